import type { HeatBins } from '#wire'
import type { MapEngine } from '../engine.ts'
import type { HeatBin } from '../heat-raster.ts'
import { onScopeDispose, watch } from 'vue'
import { answer, api } from '@/api/rpc.ts'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'
import { liveHeatBins } from '../heat-raster.ts'

/** Heat redraws at most this often while cases stream in (a redraw is tens of milliseconds). */
const HEAT_THROTTLE_MS = 2000
/** A filtered heatmap comes from the server: asked again at most this often. */
const HEAT_FETCH_THROTTLE_MS = 15_000

/**
 * The heat layer: all categories from the live cells (every window at once, redrawn at most every
 * 2 s as cells change), one category from `/api/heat` (asked again at most every 15 s). `draw`
 * redraws now (e.g. once the township's extent is known); `liveHeatDrawn` resolves once heat has
 * been drawn from live data (not the empty heat before the first snapshot). The throttle's timer
 * ends with the scope.
 */
export function useHeat(engine: MapEngine): { draw: () => void, liveHeatDrawn: Promise<void> } {
  const live = useLiveStore()
  const map = useMapStore()
  let disposed = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let drawnAt = 0
  let fetched: { key: string, at: number, bins: HeatBins } | undefined

  async function bins(): Promise<{ bins: readonly HeatBin[], cellDeg: number }> {
    const window = map.heatWindow
    const category = map.heatCategory
    if (category === null)
      return { bins: liveHeatBins(live.heat.values(), window), cellDeg: live.heatCellDeg }
    const key = `${window}:${category}`
    if (!fetched || fetched.key !== key || Date.now() - fetched.at > HEAT_FETCH_THROTTLE_MS)
      fetched = { key, at: Date.now(), bins: await answer(api.heat.$get({ query: { window, category: String(category) } })) }
    return { bins: fetched.bins.cells, cellDeg: fetched.bins.cellDeg }
  }

  let resolveLiveHeat = (): void => {}
  const liveHeatDrawn = new Promise<void>(resolve => (resolveLiveHeat = resolve))
  function draw(): void {
    clearTimeout(timer)
    timer = undefined
    drawnAt = Date.now()
    const fromLive = live.state.snapshots > 0
    void bins().then((result) => {
      if (disposed || !engine.extent)
        return
      const drawn = engine.heat.setBins(result.bins, result.cellDeg)
      if (drawn)
        map.heatLegend = { topCount: drawn.topCount, total: drawn.total }
      if (fromLive)
        resolveLiveHeat()
    }).catch(error => console.warn('heat not drawn', error))
  }
  function schedule(): void {
    if (!timer)
      timer = setTimeout(draw, Math.max(0, HEAT_THROTTLE_MS - (Date.now() - drawnAt)))
  }

  watch([() => map.heatWindow, () => map.heatCategory], draw)
  watch(() => live.heatVersion, schedule)
  // The first snapshot's heat is drawn at once (later changes are throttled).
  watch(() => live.state.snapshots > 0, (arrived) => {
    if (arrived)
      draw()
  }, { immediate: true })

  onScopeDispose(() => {
    disposed = true
    resolveLiveHeat()
    clearTimeout(timer)
  })
  return { draw, liveHeatDrawn }
}
