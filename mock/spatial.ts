import type { LineString, Polygon, Position } from 'geojson'
import type { Random } from './random.ts'
import { pointInRing } from './geo/index.ts'

/**
 * Planar helpers for placing synthetic points in a township a few kilometres wide: at that size
 * degrees scaled by cos(latitude) are metres to within a fraction of a percent, so no projection.
 */

const M_PER_DEG_LAT = 110_574
const M_PER_DEG_LON_EQ = 111_320

/** Degrees of latitude and longitude per metre at a latitude. */
export function degreesPerMetre(lat: number): { lat: number, lon: number } {
  return { lat: 1 / M_PER_DEG_LAT, lon: 1 / (M_PER_DEG_LON_EQ * Math.cos(lat * Math.PI / 180)) }
}

/** Approximate distance in metres between two [lon, lat] points. */
export function distanceMetres(a: readonly number[], b: readonly number[]): number {
  const lat = ((a[1]! + b[1]!) / 2) * Math.PI / 180
  const dx = (a[0]! - b[0]!) * M_PER_DEG_LON_EQ * Math.cos(lat)
  const dy = (a[1]! - b[1]!) * M_PER_DEG_LAT
  return Math.hypot(dx, dy)
}

/** Rounds a coordinate to 6 decimals (≈0.1 m), as every stored position is. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Rounds a point to 6 decimals, e.g. before it is located, so that the stored point is the located one. */
export function roundPoint(p: readonly number[]): [number, number] {
  return [round6(p[0]!), round6(p[1]!)]
}

/** A point displaced from `[lon, lat]` by a normal deviate of `sigmaMetres` in each direction. */
export function jitter(rng: Random, point: readonly number[], sigmaMetres: number): [number, number] {
  const d = degreesPerMetre(point[1]!)
  return [point[0]! + rng.normal(0, sigmaMetres) * d.lon, point[1]! + rng.normal(0, sigmaMetres) * d.lat]
}

/** True when `[lon, lat]` lies inside the polygon (and outside its holes). */
export function pointInPolygon(lon: number, lat: number, polygon: Polygon): boolean {
  const [outer, ...holes] = polygon.coordinates
  if (!outer || !pointInRing([lon, lat], outer))
    return false
  return !holes.some(hole => pointInRing([lon, lat], hole))
}

/** [west, south, east, north] of a polygon's exterior. */
export function bbox(polygon: Polygon): [number, number, number, number] {
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  for (const [x, y] of polygon.coordinates[0] ?? []) {
    w = Math.min(w, x!)
    s = Math.min(s, y!)
    e = Math.max(e, x!)
    n = Math.max(n, y!)
  }
  return [w, s, e, n]
}

/**
 * Finds which polygon of a partition holds a point, through a uniform bucket index so that a
 * million points cost a few bucket look-ups each instead of a scan of every grid.
 */
export class PolygonLocator {
  private readonly polygons: readonly Polygon[]
  private readonly boxes: [number, number, number, number][]
  private readonly buckets: number[][]
  private readonly extent: [number, number, number, number]
  private readonly cells: number

  constructor(polygons: readonly Polygon[], cells = 48) {
    this.polygons = polygons
    this.boxes = polygons.map(bbox)
    this.cells = cells
    const ext: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
    for (const b of this.boxes) {
      ext[0] = Math.min(ext[0], b[0])
      ext[1] = Math.min(ext[1], b[1])
      ext[2] = Math.max(ext[2], b[2])
      ext[3] = Math.max(ext[3], b[3])
    }
    this.extent = ext
    this.buckets = Array.from({ length: cells * cells }, () => [])
    this.boxes.forEach((b, i) => {
      const [c0, r0] = this.cell(b[0], b[1])
      const [c1, r1] = this.cell(b[2], b[3])
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++)
          this.buckets[r * cells + c]!.push(i)
      }
    })
  }

  private cell(x: number, y: number): [number, number] {
    const [w, s, e, n] = this.extent
    const c = Math.min(this.cells - 1, Math.max(0, Math.floor(((x - w) / (e - w || 1)) * this.cells)))
    const r = Math.min(this.cells - 1, Math.max(0, Math.floor(((y - s) / (n - s || 1)) * this.cells)))
    return [c, r]
  }

  /** The index of the polygon holding `[lon, lat]`, or -1 outside all of them. */
  locate(lon: number, lat: number): number {
    const [w, s, e, n] = this.extent
    if (lon < w || lon > e || lat < s || lat > n)
      return -1
    const [c, r] = this.cell(lon, lat)
    for (const i of this.buckets[r * this.cells + c]!) {
      const b = this.boxes[i]!
      if (lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3] && pointInPolygon(lon, lat, this.polygons[i]!))
        return i
    }
    return -1
  }

  /** A uniformly random point inside polygon `i` (rejection sampling in its bounding box). */
  randomPointIn(rng: Random, i: number): [number, number] {
    const b = this.boxes[i]!
    const polygon = this.polygons[i]!
    for (let attempt = 0; attempt < 50; attempt++) {
      const x = rng.range(b[0], b[2])
      const y = rng.range(b[1], b[3])
      if (pointInPolygon(x, y, polygon))
        return [x, y]
    }
    const first = polygon.coordinates[0]?.[0] ?? [b[0], b[1]]
    return [first[0]!, first[1]!]
  }
}

interface Segment { a: Position, b: Position, road: number, length: number }

/** Samples points along roads, weighted by length and by a weight per road. */
export class RoadSampler {
  private readonly segments: Segment[] = []
  private readonly cumulative: number[] = []
  private total = 0

  constructor(roads: readonly LineString[], weights: readonly number[]) {
    roads.forEach((road, r) => {
      const coords = road.coordinates
      for (let i = 1; i < coords.length; i++) {
        const a = coords[i - 1]!
        const b = coords[i]!
        const length = distanceMetres(a, b)
        if (length <= 0)
          continue
        this.segments.push({ a, b, road: r, length })
        this.total += length * (weights[r] ?? 1)
        this.cumulative.push(this.total)
      }
    })
  }

  /** True when there is no road to sample. */
  get empty(): boolean {
    return this.segments.length === 0
  }

  /** A point on a road, displaced sideways by a normal deviate of `sideMetres`; with its road's index. */
  sample(rng: Random, sideMetres: number): { point: [number, number], road: number } {
    const target = rng.next() * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid]! < target)
        lo = mid + 1
      else hi = mid
    }
    const seg = this.segments[lo]!
    const t = rng.next()
    const x = seg.a[0]! + (seg.b[0]! - seg.a[0]!) * t
    const y = seg.a[1]! + (seg.b[1]! - seg.a[1]!) * t
    return { point: jitter(rng, [x, y], sideMetres), road: seg.road }
  }
}

function segmentIntersection(p: Position, p2: Position, q: Position, q2: Position): [number, number] | null {
  const rx = p2[0]! - p[0]!
  const ry = p2[1]! - p[1]!
  const sx = q2[0]! - q[0]!
  const sy = q2[1]! - q[1]!
  const denom = rx * sy - ry * sx
  if (Math.abs(denom) < 1e-18)
    return null
  const t = ((q[0]! - p[0]!) * sy - (q[1]! - p[1]!) * sx) / denom
  const u = ((q[0]! - p[0]!) * ry - (q[1]! - p[1]!) * rx) / denom
  if (t < 0 || t > 1 || u < 0 || u > 1)
    return null
  return [p[0]! + t * rx, p[1]! + t * ry]
}

/**
 * Road junctions: where two different roads cross or one ends on another (within `snapMetres`),
 * de-duplicated to one point per `snapMetres`. Cameras cluster there (路口 points of 雪亮工程).
 */
export function roadJunctions(roads: readonly LineString[], snapMetres = 30): [number, number][] {
  const found: [number, number][] = []
  const add = (point: [number, number]): void => {
    if (!found.some(f => distanceMetres(f, point) < snapMetres))
      found.push(point)
  }
  for (let i = 0; i < roads.length; i++) {
    const a = roads[i]!.coordinates
    for (let j = i + 1; j < roads.length; j++) {
      const b = roads[j]!.coordinates
      for (let k = 1; k < a.length; k++) {
        for (let l = 1; l < b.length; l++) {
          const hit = segmentIntersection(a[k - 1]!, a[k]!, b[l - 1]!, b[l]!)
          if (hit)
            add(hit)
        }
      }
      // A road that ends on (or next to) a vertex of another is a T-junction.
      for (const end of [a[0], a[a.length - 1], b[0], b[b.length - 1]]) {
        if (!end)
          continue
        const other = end === a[0] || end === a[a.length - 1] ? b : a
        if (other.some(v => distanceMetres(v, end) < snapMetres))
          add([end[0]!, end[1]!])
      }
    }
  }
  return found
}
