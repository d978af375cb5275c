import type { MapEngine } from '../engine.ts'
import { watch } from 'vue'
import { useLiveStore } from '@/stores/live.ts'

/**
 * The cameras layer from the live cameras: recoloured in place by each frame's changes, redrawn
 * whole after a snapshot (or when the counts disagree).
 */
export function useCameraPoints(engine: MapEngine): void {
  const live = useLiveStore()

  const sync = (): void => {
    const changed = live.changedCameras
    if (changed === null || engine.cameras.count === 0) {
      engine.cameras.setAll(live.cameras.values())
      return
    }
    engine.cameras.update(changed)
    if (engine.cameras.count !== live.cameras.size)
      engine.cameras.setAll(live.cameras.values())
  }
  // Every camera frame counts (two frames in one tick must not lose the first one's changes): sync.
  watch(() => live.camerasVersion, sync, { flush: 'sync' })
  if (live.cameras.size > 0)
    sync()
}
