import type { MapEngine } from '../engine.ts'
import { onScopeDispose, watch } from 'vue'
import { useAppStore } from '@/stores/app.ts'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'
import { countsByGrid } from '../layers/special.ts'

/**
 * The map's settings onto the engine: the configured base layer, the layer toggles, the grids'
 * metric and extrusion, the grids' special-population counts (live, from the rankings topic); the
 * grids' legend back into the map store (unhooked with the scope).
 */
export function useLayerSettings(engine: MapEngine): void {
  const app = useAppStore()
  const map = useMapStore()
  const live = useLiveStore()

  watch(() => app.config?.map.basemap, (basemap) => {
    if (basemap)
      engine.setBasemap(basemap)
  }, { immediate: true })
  watch(() => map.layers, (layers) => {
    engine.grids.show = layers.grids
    engine.cameras.show = layers.cameras
    engine.heat.show = layers.heat
    engine.incidents.show = layers.incidents
  }, { immediate: true })
  watch(() => map.gridMetric, metric => engine.grids.setMetric(metric), { immediate: true })
  watch(() => map.gridExtruded, extruded => engine.grids.setExtruded(extruded), { immediate: true })
  // Every rankings frame carries the counts; the grids recolour only when they changed.
  let specialKey = ''
  watch(() => live.rankings?.specialPopulation, (special) => {
    const key = special ? JSON.stringify(special) : ''
    if (!special || key === specialKey)
      return
    specialKey = key
    engine.grids.setSpecial(countsByGrid(special), special.minCount)
  }, { immediate: true })
  engine.onGridLegend = (legend) => {
    map.gridLegend = legend
  }
  onScopeDispose(() => {
    engine.onGridLegend = () => {}
  })
}
