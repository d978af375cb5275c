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

/**
 * Draws the township's geography once (retrying, with backoff, until the server answers) and
 * keeps the grids' figures current from the rankings topic. `onDrawn` runs once it is drawn:
 * `loaded` true when it was loaded now, false at once when the engine already had it (the map was
 * re-mounted). The retry ends with the scope.
 */
export function useGeodata(engine: MapEngine, onDrawn: (loaded: boolean) => void): void {
  const live = useLiveStore()
  let disposed = false
  let retry: ReturnType<typeof setTimeout> | undefined

  const attempt = async (delay: number): Promise<void> => {
    try {
      const geo = await loadGeodata()
      if (disposed)
        return
      engine.setGeodata(geo)
      engine.grids.setFigures(geo.figures)
      onDrawn(true)
    }
    catch (error) {
      console.warn('map geodata not loaded yet', error)
      if (!disposed)
        retry = setTimeout(() => void attempt(Math.min(delay * 2, 15_000)), delay)
    }
  }
  if (engine.extent)
    onDrawn(false)
  else
    void attempt(1000)

  watch(() => live.rankings, (rankings) => {
    if (rankings && engine.extent)
      engine.grids.setFigures(new Map(rankings.grids.map(g => [g.id, g])))
  })

  onScopeDispose(() => {
    disposed = true
    clearTimeout(retry)
  })
}
