import type { PolygonGeometry } from '#wire'

/**
 * The briefing's map picture: the township's, villages' and grids' boundaries (GeoJSON, WGS84) drawn
 * as SVG paths, each grid filled by its cases in the period. Pure: a projection fitted to the
 * township, paths, and the colour classes with their legend.
 */

/** A projection of lon/lat to the picture's pixels (equirectangular, true to shape at the township's latitude). */
export interface Projection {
  width: number
  height: number
  project: (lon: number, lat: number) => [number, number]
}

/** A projection fitting every ring into `width` pixels (the height follows the township's shape), `pad` pixels around. */
export function fitProjection(rings: number[][][], width: number, pad = 8): Projection {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      west = Math.min(west, lon!)
      east = Math.max(east, lon!)
      south = Math.min(south, lat!)
      north = Math.max(north, lat!)
    }
  }
  if (!Number.isFinite(west))
    return { width, height: width * 0.6, project: () => [0, 0] }
  const kx = Math.cos(((south + north) / 2) * Math.PI / 180)
  const spanX = Math.max((east - west) * kx, 1e-9)
  const spanY = Math.max(north - south, 1e-9)
  const scale = (width - 2 * pad) / spanX
  const height = Math.round(spanY * scale + 2 * pad)
  return {
    width,
    height,
    project: (lon, lat) => [pad + (lon - west) * kx * scale, pad + (north - lat) * scale],
  }
}

/** An SVG path (`d`) of a polygon's rings. */
export function polygonPath(geometry: PolygonGeometry, projection: Projection): string {
  return geometry.coordinates.map(ring => ring.map((p, i) => {
    const [x, y] = projection.project(p[0]!, p[1]!)
    return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`
  }).join('') + 'Z').join('')
}

/** Light to dark: legible on paper in colour and in greyscale (a photocopy). */
export const HEAT_RAMP = ['#f7f4ea', '#fde0a5', '#fdae61', '#f46d43', '#d73027', '#8f1d1d'] as const

/** One class of the legend: counts from `min` to `max` (inclusive) and its colour. */
export interface HeatClass {
  min: number
  max: number
  colour: string
}

/**
 * Six classes: no case, then five equal steps up to the busiest grid (integer bounds, none empty when
 * the busiest has fewer than five cases).
 */
export function heatClasses(counts: readonly number[]): HeatClass[] {
  const top = Math.max(0, ...counts)
  const classes: HeatClass[] = [{ min: 0, max: 0, colour: HEAT_RAMP[0] }]
  if (top === 0)
    return classes
  const steps = Math.min(5, top)
  let low = 1
  for (let i = 1; i <= steps; i++) {
    const high = i === steps ? top : Math.max(low, Math.round((top * i) / steps))
    classes.push({ min: low, max: high, colour: HEAT_RAMP[Math.round((i * 5) / steps)]! })
    low = high + 1
  }
  return classes
}

/** The colour of a count among the classes. */
export function heatColour(count: number, classes: readonly HeatClass[]): string {
  return classes.find(c => count >= c.min && count <= c.max)?.colour ?? classes[classes.length - 1]?.colour ?? HEAT_RAMP[0]
}
