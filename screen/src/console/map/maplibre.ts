import type { GeoJSONSource } from 'maplibre-gl'
import type { ConsoleMapEngine, EngineOptions } from './engine.ts'
import { Map, Marker, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import 'maplibre-gl/dist/maplibre-gl.css'

/** The console map on maplibre-gl: offline, everything from this server (the default renderer). */
export function createMaplibreEngine(options: EngineOptions): ConsoleMapEngine {
  setWorkerUrl(workerUrl)
  const map = new Map({ ...options, attributionControl: false, maxPitch: 0 })
  const loaded = new Promise<void>(resolve => map.once('load', () => resolve()))
  return {
    renderer: 'maplibre',
    loaded,
    setData: (source, data) => void map.getSource<GeoJSONSource>(source)?.setData(data),
    setFilter: (layer, filter) => void map.setFilter(layer, filter),
    fitBounds: (west, south, east, north) => void map.fitBounds([[west, south], [east, north]], { padding: 30, duration: 0 }),
    flyTo: (lon, lat, minZoom) => void map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), minZoom), duration: 800 }),
    zoomInAt: (lon, lat, by) => void map.easeTo({ center: [lon, lat], zoom: map.getZoom() + by }),
    onClick: (layer, listener) => void map.on('click', layer, event => listener({ properties: event.features?.[0]?.properties ?? null, lngLat: event.lngLat })),
    pointerOver(layer) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    },
    addElement(lon, lat, element) {
      const marker = new Marker({ element }).setLngLat([lon, lat]).addTo(map)
      return () => void marker.remove()
    },
    remove: () => map.remove(),
  }
}
