import type { Geodata, MapEngine } from '../engine.ts'
import type { GridFigures } from '../layers/grids.ts'
import { onScopeDispose, watch } from 'vue'
import { answer, api } from '@/api/rpc.ts'
import { useLiveStore } from '@/stores/live.ts'

/** Loads the township's geography (boundaries, and the grids with their figures at load time). */
async function loadGeodata(): Promise<Geodata & { figures: Map<number, GridFigures> }> {
  const [township, villages, grids] = await Promise.all([
    answer(api.geodata.township.$get()),
    answer(api.geodata.villages.$get()),
    answer(api.grids.$get()),
  ])
  return {
    township: township.features.map(f => f.geometry),
    villages: villages.features.map(f => ({ id: f.id ?? 0, name: f.properties.name, center: f.properties.center, geometry: f.geometry })),
    grids: grids.features.map(({ geometry, properties: p }) => ({ id: p.id, code: p.code, name: p.name, village: p.village, labelPoint: p.labelPoint, geometry })),
    figures: new Map(grids.features.map(f => [f.properties.id, f.properties])),
  }
}

/** What the geography drawn by each engine reflects: the server's `boundariesAt` when it was loaded. */
const drawnFor = new WeakMap<MapEngine, string | null>()

/**
 * Draws the township's geography (retrying, with backoff, until the server answers), keeps the
 * grids' figures current from the rankings topic, and draws the geography again when the server says
 * a boundary was written since (`rankings.boundariesAt`: an import, a renamed grid) — no reload.
 * `onDrawn` runs once it is first drawn: `loaded` true when it was loaded now, false at once when the
 * engine already had it (the map was re-mounted). The retry ends with the scope.
 */
export function useGeodata(engine: MapEngine, onDrawn: (loaded: boolean) => void): void {
  const live = useLiveStore()
  let disposed = false
  let retry: ReturnType<typeof setTimeout> | undefined
  let loading = false

  const attempt = async (delay: number, first: boolean): Promise<void> => {
    // The version this load reflects (unknown until the rankings arrive: then the first one seen).
    const wanted = live.rankings?.boundariesAt
    loading = true
    try {
      const geo = await loadGeodata()
      if (disposed)
        return
      engine.setGeodata(geo)
      // The rankings' figures when they are in (those of the moment shown, in the time machine's past).
      engine.grids.setFigures(live.rankings ? new Map(live.rankings.grids.map(g => [g.id, g])) : geo.figures)
      if (wanted === undefined)
        drawnFor.delete(engine)
      else
        drawnFor.set(engine, wanted)
      if (first)
        onDrawn(true)
      loading = false
      // Written again while it loaded: once more.
      followBoundaries(live.rankings?.boundariesAt)
    }
    catch (error) {
      console.warn('map geodata not loaded yet', error)
      if (!disposed)
        retry = setTimeout(() => void attempt(Math.min(delay * 2, 15_000), first), delay)
    }
    finally {
      loading = false
    }
  }

  function followBoundaries(at: string | null | undefined): void {
    if (at === undefined || !engine.extent || loading || disposed)
      return
    if (!drawnFor.has(engine)) {
      drawnFor.set(engine, at)
      return
    }
    if (drawnFor.get(engine) !== at)
      void attempt(1000, false)
  }

  if (engine.extent)
    onDrawn(false)
  else
    void attempt(1000, true)

  watch(() => live.rankings, (rankings) => {
    if (rankings && engine.extent) {
      engine.grids.setFigures(new Map(rankings.grids.map(g => [g.id, g])))
      followBoundaries(rankings.boundariesAt)
    }
  })

  onScopeDispose(() => {
    disposed = true
    clearTimeout(retry)
  })
}
