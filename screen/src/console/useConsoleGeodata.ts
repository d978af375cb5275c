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
  let retry: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  async function load(delayMs = 1000): Promise<void> {
    try {
      const [t, v, g, c, h, k] = await Promise.all([
        answer(api.geodata.township.$get()),
        answer(api.geodata.villages.$get()),
        answer(api.grids.$get()),
        answer(api.cameras.$get({ query: {} })),
        answer(api.heat.$get({ query: { window: '30d' } })),
        answer(api.console.categories.$get()),
      ])
      if (disposed)
        return
      township.value = t as PolygonCollection<TownshipProperties>
      villages.value = v as PolygonCollection<VillageProperties>
      grids.value = g
      cameras.value = c.cameras
      heat.value = h
      categories.value = k.categories
    }
    catch {
      if (!disposed)
        retry = setTimeout(() => void load(Math.min(delayMs * 2, 15_000)), delayMs)
    }
  }
  void load()
  onScopeDispose(() => {
    disposed = true
    clearTimeout(retry)
  })
  return { township, villages, grids, cameras, heat, categories }
}
