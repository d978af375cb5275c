import type { MapEngine } from '../engine.ts'
import { onScopeDispose, watch } from 'vue'
import { useAppStore } from '@/stores/app.ts'
import { useMapStore } from '@/stores/map.ts'
import { useScreenStore } from '@/stores/screen.ts'

/**
 * The map's camera: its timing (idle orbit, return home) from the configuration, flights to
 * where the map store asks (`focus`, `homeRequests`), the card's life (closed when the map returns
 * home), and the resolution it renders at.
 */
export function useCameraView(engine: MapEngine): void {
  const app = useAppStore()
  const map = useMapStore()
  const screen = useScreenStore()

  watch(() => app.config?.map, (config) => {
    if (config)
      engine.control.setTiming(config)
  }, { immediate: true })
  watch(() => map.focus, (focus) => {
    if (focus)
      engine.control.flyTo(focus.lon, focus.lat, focus.range)
  })
  watch(() => map.homeRequests, () => engine.control.goHome())
  // A card is a moment's: untouched for the return time, the map goes home and the card closes
  // (one opened by the urgent alert's flight as well as one clicked at home). The button home closes it too (map.goHome).
  watch(() => map.selection, (selection) => {
    if (selection)
      engine.control.holdAway()
  })
  engine.control.onReturnHome = () => map.select(null)
  onScopeDispose(() => {
    engine.control.onReturnHome = () => {}
  })
  // The wall scales its 1920×1080 canvas: render at the pixels it really covers.
  watch(() => screen.pixelRatio, (ratio) => {
    engine.viewer.resolutionScale = ratio
  }, { immediate: true })
}
