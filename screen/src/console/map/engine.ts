import type { FeatureCollection } from 'geojson'
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl'

/** What a click on a layer hit: the first feature's properties, and where. */
export interface LayerClick {
  properties: Record<string, unknown> | null
  lngLat: { lng: number, lat: number }
}

/**
 * The console map's renderer, whichever library draws it (maplibre-gl, or mapbox-gl when a deployment
 * opts in): the few calls the console makes, so the map component never imports a library itself and
 * each library stays in a chunk of its own, loaded only when chosen.
 */
export interface ConsoleMapEngine {
  readonly renderer: 'maplibre' | 'mapbox'
  /** Resolves once the style is loaded (sources and layers may be used). */
  readonly loaded: Promise<void>
  setData: (source: string, data: FeatureCollection) => void
  setFilter: (layer: string, filter: ExpressionSpecification) => void
  fitBounds: (west: number, south: number, east: number, north: number) => void
  /** Flies to a point, zooming in to at least `minZoom`. */
  flyTo: (lon: number, lat: number, minZoom: number) => void
  /** Eases towards a point, `by` zoom levels closer. */
  zoomInAt: (lon: number, lat: number, by: number) => void
  onClick: (layer: string, listener: (click: LayerClick) => void) => void
  /** A pointer cursor over a layer's features. */
  pointerOver: (layer: string) => void
  /** An HTML element anchored at a point (labels: no glyph server needed); returns its removal. */
  addElement: (lon: number, lat: number, element: HTMLElement) => () => void
  remove: () => void
}

/** What an engine is made with. */
export interface EngineOptions {
  container: HTMLElement
  style: StyleSpecification
  center: [number, number]
  zoom: number
}
