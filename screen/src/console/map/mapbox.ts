import type { ConsoleMapEngine, EngineOptions } from './engine.ts'
import mapboxgl from 'mapbox-gl'
import 'mapbox-gl/dist/mapbox-gl.css'

/**
 * The console map on mapbox-gl, for deployments with a Mapbox account (`MAP2D_RENDERER=mapbox` and
 * `MAPBOX_ACCESS_TOKEN`). It draws the same offline style, but mapbox-gl itself contacts Mapbox
 * (token checks, usage events): never loaded unless configured.
 */
export function createMapboxEngine(options: EngineOptions, accessToken: string): ConsoleMapEngine {
  // The style is the maplibre style spec, which mapbox-gl reads alike for these source and layer kinds.
  const map = new mapboxgl.Map({ ...options, style: options.style as mapboxgl.StyleSpecification, accessToken, attributionControl: false, maxPitch: 0 })
  const loaded = new Promise<void>(resolve => map.once('load', () => resolve()))
  return {
    renderer: 'mapbox',
    loaded,
    setData: (source, data) => void map.getSource<mapboxgl.GeoJSONSource>(source)?.setData(data),
    setFilter: (layer, filter) => void map.setFilter(layer, filter as mapboxgl.FilterSpecification),
    fitBounds: (west, south, east, north) => void map.fitBounds([[west, south], [east, north]], { padding: 30, duration: 0 }),
    flyTo: (lon, lat, minZoom) => void map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), minZoom), duration: 800 }),
    zoomInAt: (lon, lat, by) => void map.easeTo({ center: [lon, lat], zoom: map.getZoom() + by }),
    onClick: (layer, listener) => void map.on('click', layer, event => listener({ properties: event.features?.[0]?.properties ?? null, lngLat: event.lngLat })),
    pointerOver(layer) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    },
    addElement(lon, lat, element) {
      const marker = new mapboxgl.Marker({ element }).setLngLat([lon, lat]).addTo(map)
      return () => void marker.remove()
    },
    remove: () => map.remove(),
  }
}
