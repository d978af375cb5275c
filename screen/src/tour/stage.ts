import type { TourLayers } from '#wire'
import type { useMapStore } from '@/stores/map.ts'

type MapStore = ReturnType<typeof useMapStore>

/** The map's layer settings a tour may change, to put back when it ends. */
export type LayerSnapshot = Pick<MapStore, 'layers' | 'gridMetric' | 'gridExtruded' | 'heatWindow' | 'heatCategory'>

export function snapshotLayers(map: MapStore): LayerSnapshot {
  return { layers: { ...map.layers }, gridMetric: map.gridMetric, gridExtruded: map.gridExtruded, heatWindow: map.heatWindow, heatCategory: map.heatCategory }
}

export function restoreLayers(map: MapStore, snapshot: LayerSnapshot): void {
  map.layers = { ...snapshot.layers }
  map.gridMetric = snapshot.gridMetric
  map.gridExtruded = snapshot.gridExtruded
  map.heatWindow = snapshot.heatWindow
  map.heatCategory = snapshot.heatCategory
}

/** A step's layers onto the map store; a layer or setting the step leaves out keeps its state. */
export function applyLayers(map: MapStore, layers: TourLayers): void {
  const { grids, heat, cameras, incidents } = layers
  if (grids?.show !== undefined)
    map.toggle('grids', grids.show)
  if (grids?.metric)
    map.gridMetric = grids.metric
  if (grids?.extruded !== undefined)
    map.gridExtruded = grids.extruded
  if (heat?.show !== undefined)
    map.toggle('heat', heat.show)
  if (heat?.window)
    map.heatWindow = heat.window
  if (heat?.category !== undefined)
    map.heatCategory = heat.category
  if (cameras?.show !== undefined)
    map.toggle('cameras', cameras.show)
  if (incidents?.show !== undefined)
    map.toggle('incidents', incidents.show)
}

/**
 * Lights the element a selector finds and dims every other panel (the styles are in TourOverlay.vue,
 * keyed on `data-tour-highlight` on the wall and `data-tour-lit`); null: nothing dimmed.
 */
export function highlightPanel(selector: string | null, root: ParentNode = document): void {
  const wall = root.querySelector<HTMLElement>('[data-testid="wall"]')
  const wanted = selector ? root.querySelector<HTMLElement>(selector) : null
  for (const current of root.querySelectorAll<HTMLElement>('[data-tour-lit]')) {
    if (current !== wanted)
      delete current.dataset.tourLit
  }
  if (wanted)
    wanted.dataset.tourLit = ''
  if (wall && selector)
    wall.dataset.tourHighlight = ''
  else if (wall)
    delete wall.dataset.tourHighlight
}

/** Lights the element again when it was re-rendered without the mark (a recovered part of the page). */
export function keepLit(selector: string | null): void {
  if (selector && !document.querySelector(`${selector}[data-tour-lit]`))
    highlightPanel(selector)
}
