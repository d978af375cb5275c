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
 * 2 s as cells change), one category from `/api/heat` (asked again at most every 15 s); in the past
 * (the time machine) the cells are the snapshot's of then and one category comes from
 * `/api/history/heat` as of the moment shown. `draw`
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
    // The time machine: the category's heat as of the moment shown, as it came with the moment (the
    // live cells above are already of then), or asked for once when the category was just chosen.
    const past = live.past?.at ?? null
    const came = live.pastCategoryHeat
    if (past !== null && came && came.window === window && came.categoryId === category)
      return { bins: came.cells, cellDeg: came.cellDeg }
    const key = `${window}:${category}:${past ?? 'live'}`
    if (!fetched || fetched.key !== key || (past === null && Date.now() - fetched.at > HEAT_FETCH_THROTTLE_MS)) {
      const query = { window, category: String(category) }
      fetched = { key, at: Date.now(), bins: await answer(past === null ? api.heat.$get({ query }) : api.history.heat.$get({ query: { ...query, at: past } })) }
    }
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

  watch([() => map.heatWindow, () => map.heatCategory, () => live.past === null], draw)
  // A replay asks for the category's heat with each moment; a new moment's heat is drawn as its cells are.
  live.setPastHeatFilter(() => (map.heatCategory === null ? null : { window: map.heatWindow, category: map.heatCategory }))
  watch(() => live.pastCategoryHeat, schedule)
  watch(() => live.heatVersion, schedule)
  // The first snapshot's heat is drawn at once (later changes are throttled).
  watch(() => live.state.snapshots > 0, (arrived) => {
    if (arrived)
      draw()
  }, { immediate: true })

  onScopeDispose(() => {
    disposed = true
    live.setPastHeatFilter(() => null)
    resolveLiveHeat()
    clearTimeout(timer)
  })
  return { draw, liveHeatDrawn }
}
