import type { MapEngine } from '../engine.ts'
import { watch } from 'vue'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'

/** Rings the selected camera, incident or alarm, so that the card's subject is found at a glance (a grid is the area around the click: no ring). */
export function useSelectionRing(engine: MapEngine): void {
  const live = useLiveStore()
  const map = useMapStore()

  watch([() => map.selection, () => live.camerasVersion], ([selection]) => {
    let place: { lon: number, lat: number } | null | undefined = null
    if (selection?.kind === 'camera')
      place = live.cameras.get(selection.id) ?? engine.cameras.camera(selection.id)
    else if (selection?.kind === 'incident')
      place = engine.incidents.incident(selection.id)
    else if (selection?.kind === 'alarm') {
      const alarm = engine.incidents.alarm(selection.id)
      place = alarm && alarm.lon !== null && alarm.lat !== null ? { lon: alarm.lon, lat: alarm.lat } : null
    }
    engine.mark(place ?? null)
  }, { immediate: true })
}
