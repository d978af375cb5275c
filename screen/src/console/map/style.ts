import type { CameraPoint, GridProperties, HeatBins, MapConfig, PolygonCollection, QueueCase, VillageProperties } from '#wire'
import type { FeatureCollection, Point } from 'geojson'
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl'

/** Level colours of cases, as in the queue. */
export const LEVEL_COLOURS: Record<string, string> = { urgent: '#ff3b3b', major: '#ff8a00', serious: '#ffd000', general: '#3fb6ff' }
const CAMERA_COLOURS: Record<string, string> = { online: '#36e08c', offline: '#7a8797', alarm: '#ff3b3b' }
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** A `match` expression: the colour of a feature by one of its properties. */
function matchColour(property: string, colours: Record<string, string>, fallback: string): ExpressionSpecification {
  const [first, ...rest] = Object.entries(colours)
  if (!first)
    return ['literal', fallback]
  return ['match', ['get', property], first[0], first[1], ...rest.flat(), fallback]
}

/**
 * The console map's raster basemap from the wall's configuration: intranet XYZ or TMS tiles in Web
 * Mercator ({s} expanded over the subdomains); none otherwise (the dark background alone).
 */
export function basemapSource(map: MapConfig | undefined): { tiles: string[], scheme: 'xyz' | 'tms', maxzoom: number } | null {
  const b = map?.basemap
  if (!b || (b.kind !== 'xyz' && b.kind !== 'tms') || b.crs !== 'webmercator')
    return null
  const subdomains = b.subdomains.length > 0 ? b.subdomains : ['']
  const tiles = b.url.includes('{s}') ? subdomains.map(s => b.url.replaceAll('{s}', s)) : [b.url]
  return { tiles, scheme: b.kind, maxzoom: b.maximumLevel }
}

/**
 * The console's offline style: no style URL, no glyphs (text would need a glyph server: village names
 * are HTML labels instead, see `villageLabels`), only local sources.
 */
export function consoleStyle(map: MapConfig | undefined): StyleSpecification {
  const basemap = basemapSource(map)
  return {
    version: 8,
    sources: {
      ...(basemap ? { basemap: { type: 'raster', tiles: basemap.tiles, scheme: basemap.scheme, maxzoom: basemap.maxzoom, tileSize: 256 } } : {}),
      township: { type: 'geojson', data: EMPTY },
      villages: { type: 'geojson', data: EMPTY },
      grids: { type: 'geojson', data: EMPTY },
      heat: { type: 'geojson', data: EMPTY },
      cameras: { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 15 },
      cases: { type: 'geojson', data: EMPTY, promoteId: 'id' },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#03101f' } },
      ...(basemap ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap', paint: { 'raster-opacity': 0.8 } }] : []),
      { id: 'township-fill', type: 'fill', source: 'township', paint: { 'fill-color': '#0a2644', 'fill-opacity': basemap ? 0.15 : 0.9 } },
      { id: 'grids-fill', type: 'fill', source: 'grids', paint: {
        'fill-color': ['case', ['>', ['get', 'overdue'], 0], '#c0392b', ['interpolate', ['linear'], ['get', 'open'], 0, '#0d3a66', 5, '#1f6fb8', 15, '#e0a526']],
        'fill-opacity': 0.45,
      } },
      { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#3f8fd8', 'line-width': 0.6, 'line-opacity': 0.6 } },
      { id: 'villages-line', type: 'line', source: 'villages', paint: { 'line-color': '#7cc4ff', 'line-width': 1.4 } },
      { id: 'township-line', type: 'line', source: 'township', paint: { 'line-color': '#4fd1ff', 'line-width': 3, 'line-blur': 1 } },
      { id: 'heat', type: 'heatmap', source: 'heat', maxzoom: 16, paint: {
        'heatmap-weight': ['interpolate', ['linear'], ['get', 'n'], 0, 0, 10, 1],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 40],
        'heatmap-opacity': 0.55,
      } },
      { id: 'camera-clusters', type: 'circle', source: 'cameras', filter: ['has', 'point_count'], paint: {
        'circle-color': '#1d6fb8', 'circle-opacity': 0.75, 'circle-stroke-color': '#9fd4ff', 'circle-stroke-width': 1,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 8, 50, 16, 300, 24],
      } },
      { id: 'cameras', type: 'circle', source: 'cameras', filter: ['!', ['has', 'point_count']], paint: {
        'circle-color': matchColour('status', CAMERA_COLOURS, '#7a8797'), 'circle-radius': 4, 'circle-stroke-color': '#02101f', 'circle-stroke-width': 1,
      } },
      { id: 'cases', type: 'circle', source: 'cases', paint: {
        'circle-color': matchColour('level', LEVEL_COLOURS, '#3fb6ff'),
        'circle-radius': ['match', ['get', 'level'], 'urgent', 8, 'major', 7, 5],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      } },
      { id: 'selected-ring', type: 'circle', source: 'cases', filter: ['==', ['get', 'id'], -1], paint: {
        'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 16, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3,
      } },
    ],
  }
}

const points = <T>(items: readonly T[], at: (item: T) => [number, number], props: (item: T) => Record<string, unknown>): FeatureCollection<Point> => ({
  type: 'FeatureCollection',
  features: items.map(item => ({ type: 'Feature', geometry: { type: 'Point', coordinates: at(item) }, properties: props(item) })),
})

export const casesData = (cases: readonly QueueCase[]) => points(cases, c => [c.lon, c.lat], c => ({ id: c.id, level: c.level, code: c.code }))
export const camerasData = (cameras: readonly CameraPoint[]) => points(cameras, c => [c.lon, c.lat], c => ({ id: c.id, status: c.status }))
/** Heat bins as weighted points at their cells' centres. */
export const heatData = (heat: HeatBins | null) => points(heat?.cells ?? [], ([lon, lat]) => [lon + (heat?.cellDeg ?? 0) / 2, lat + (heat?.cellDeg ?? 0) / 2], ([, , n]) => ({ n }))
/** Grids with the figures the choropleth reads. */
export const gridsData = (grids: PolygonCollection<GridProperties>) => ({
  type: 'FeatureCollection' as const,
  features: grids.features.map(f => ({ type: 'Feature' as const, geometry: f.geometry, properties: { id: f.properties.id, open: f.properties.open, overdue: f.properties.overdue } })),
})

/** Village names at their label points (villages without one are left unnamed), for HTML labels. */
export const villageLabels = (villages: PolygonCollection<VillageProperties>): { name: string, at: [number, number] }[] =>
  villages.features.flatMap(f => (f.properties.center ? [{ name: f.properties.name, at: f.properties.center }] : []))
