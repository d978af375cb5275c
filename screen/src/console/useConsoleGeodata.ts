import type { CameraPoint, GridProperties, HeatBins, PolygonCollection, TownshipProperties, VillageProperties } from '#wire'
import { onScopeDispose, shallowRef } from 'vue'
import type { Answer } from '@/api/rpc.ts'
import { answer, api } from '@/api/rpc.ts'

/** A case category of the filter (the tree depth-first), as the server sends it. */
export type ConsoleCategory = Answer<Awaited<ReturnType<typeof api.console.categories.$get>>>['categories'][number]

/** The console's geodata and reference data, loaded once (retried until the server answers): boundaries, grids with figures, cameras, heat, case categories. */
export function useConsoleGeodata() {
  const township = shallowRef<PolygonCollection<TownshipProperties> | null>(null)
  const villages = shallowRef<PolygonCollection<VillageProperties> | null>(null)
  const grids = shallowRef<PolygonCollection<GridProperties> | null>(null)
  const cameras = shallowRef<CameraPoint[]>([])
  const heat = shallowRef<HeatBins | null>(null)
  const categories = shallowRef<ConsoleCategory[]>([])
  const retries = new Set<ReturnType<typeof setTimeout>>()
  let disposed = false

  /** Runs `request` until it succeeds (backing off to 15 s), then `apply`: each part on its own, so one failing leaves the others drawn. */
  function keepTrying<T>(request: () => Promise<T>, apply: (value: T) => void, delayMs = 1000): void {
    request().then((value) => {
      if (!disposed)
        apply(value)
    }, () => {
      if (disposed)
        return
      const retry = setTimeout(() => {
        retries.delete(retry)
        keepTrying(request, apply, Math.min(delayMs * 2, 15_000))
      }, delayMs)
      retries.add(retry)
    })
  }

  keepTrying(() => Promise.all([
    answer(api.geodata.township.$get()),
    answer(api.geodata.villages.$get()),
    answer(api.grids.$get()),
    answer(api.cameras.$get({ query: {} })),
    answer(api.heat.$get({ query: { window: '30d' } })),
  ]), ([t, v, g, c, h]) => {
    township.value = t as PolygonCollection<TownshipProperties>
    villages.value = v as PolygonCollection<VillageProperties>
    grids.value = g
    cameras.value = c.cameras
    heat.value = h
  })
  keepTrying(() => answer(api.console.categories.$get()), k => (categories.value = k.categories))
  onScopeDispose(() => {
    disposed = true
    for (const retry of retries)
      clearTimeout(retry)
  })
  return { township, villages, grids, cameras, heat, categories }
}
