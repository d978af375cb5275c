import type { MapEngine } from '../engine.ts'
import { onScopeDispose, watch } from 'vue'
import { useAppStore } from '@/stores/app.ts'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'

/**
 * A case pushed from the console (投屏, the `push` topic): the map pulses it, flies there and opens
 * its card; it returns home after `MAP_RETURN_HOME_SECONDS` or when the console releases the wall.
 */
export function useWallPush(engine: MapEngine): void {
  const live = useLiveStore()
  const map = useMapStore()
  const app = useAppStore()
  let home: ReturnType<typeof setTimeout> | undefined

  watch(() => live.push, (push, before) => {
    clearTimeout(home)
    if (!push) {
      if (before && map.selection?.kind === 'incident' && map.selection.id === before.caseId)
        map.goHome()
      return
    }
    if (push.id === before?.id)
      return
    engine.incidents.setCases([...live.feed.filter(c => c.id !== push.caseId), push.case], [push.caseId])
    map.focusCase(push.case)
    home = setTimeout(() => map.goHome(), (app.config?.map.returnHomeSeconds ?? 60) * 1000)
  }, { immediate: true })
  onScopeDispose(() => clearTimeout(home))
}
