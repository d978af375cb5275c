import type { Position } from 'geojson'
import type { LonLat, Parts } from './types.ts'
import polylabel from 'polylabel'

/** A point in a local plane, metres east and north of the frame's centre. */
export type XY = [number, number]

/** A polygon in the local plane: exterior ring first, then holes; rings closed. */
export type PlanarRings = XY[][]

/**
 * A local plane around a centre: metres east (x) and north (y), scaled by the WGS84 ellipsoid's radii
 * of curvature at the centre's latitude. Exactly invertible; over a township (≤ 30 km across) lengths
 * and areas are within 0.1 % of the geodesic ones, and orientation is kept (counter-clockwise in
 * metres is counter-clockwise in [lon, lat]).
 */
export interface Frame {
  readonly lon0: number
  readonly lat0: number
  toXY: (p: Position) => XY
  toLonLat: (p: readonly number[]) => LonLat
}

const WGS84_A = 6378137
const WGS84_E2 = 0.00669437999014

/** The frame centred on [lon0, lat0]. */
export function frameAt(lon0: number, lat0: number): Frame {
  const phi = lat0 * Math.PI / 180
  const w = 1 - WGS84_E2 * Math.sin(phi) ** 2
  const ky = WGS84_A * (1 - WGS84_E2) / w ** 1.5 * Math.PI / 180
  const kx = WGS84_A / Math.sqrt(w) * Math.cos(phi) * Math.PI / 180
  return {
    lon0,
    lat0,
    toXY: p => [(p[0]! - lon0) * kx, (p[1]! - lat0) * ky],
    toLonLat: p => [lon0 + p[0]! / kx, lat0 + p[1]! / ky],
  }
}

/** The frame centred on the bounding box of some (multi)polygons (the centre of China when empty). */
export function frameFor(all: Iterable<Parts>): Frame {
  const box = [Infinity, Infinity, -Infinity, -Infinity]
  for (const parts of all) {
    for (const rings of parts) {
      for (const p of rings[0] ?? [])
        extend(box, p)
    }
  }
  return Number.isFinite(box[0]) ? frameAt((box[0]! + box[2]!) / 2, (box[1]! + box[3]!) / 2) : frameAt(105, 35)
}

function extend(box: number[], p: Position): void {
  box[0] = Math.min(box[0]!, p[0]!)
  box[1] = Math.min(box[1]!, p[1]!)
  box[2] = Math.max(box[2]!, p[0]!)
  box[3] = Math.max(box[3]!, p[1]!)
}

/** [minX, minY, maxX, maxY] of positions. */
export function bbox(points: Iterable<Position>): [number, number, number, number] {
  const box = [Infinity, Infinity, -Infinity, -Infinity]
  for (const p of points)
    extend(box, p)
  return box as [number, number, number, number]
}

/** Whether two boxes overlap once each is grown by `margin`. */
export function boxesMeet(a: readonly number[], b: readonly number[], margin = 0): boolean {
  return a[0]! - margin <= b[2]! && b[0]! - margin <= a[2]! && a[1]! - margin <= b[3]! && b[1]! - margin <= a[3]!
}

/** The signed area of a closed ring (shoelace), positive when counter-clockwise. */
export function signedArea(ring: readonly Position[]): number {
  let a = 0
  for (let i = 0; i + 1 < ring.length; i++)
    a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return a / 2
}

/** Area of a polygon: its exterior minus its holes. */
export function polygonArea(rings: readonly (readonly Position[])[]): number {
  return rings.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * Math.abs(signedArea(ring)), 0)
}

/** Area of a multipolygon's parts. */
export function partsArea(parts: readonly (readonly (readonly Position[])[])[]): number {
  return parts.reduce((sum, rings) => sum + polygonArea(rings), 0)
}

/** Length of a closed ring's boundary. */
export function perimeter(ring: readonly Position[]): number {
  let total = 0
  for (let i = 0; i + 1 < ring.length; i++)
    total += Math.hypot(ring[i + 1]![0]! - ring[i]![0]!, ring[i + 1]![1]! - ring[i]![1]!)
  return total
}

/** The point of segment ab closest to p, and its distance from p. */
export function closestOnSegment(p: Position, a: Position, b: Position): { point: XY, distance: number } {
  const dx = b[0]! - a[0]!
  const dy = b[1]! - a[1]!
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0]! - a[0]!) * dx + (p[1]! - a[1]!) * dy) / len2))
  const point: XY = [a[0]! + t * dx, a[1]! + t * dy]
  return { point, distance: Math.hypot(p[0]! - point[0], p[1]! - point[1]) }
}

/** Distance from p to the nearest segment of any ring. */
export function distanceToRings(p: Position, rings: readonly (readonly Position[])[]): number {
  let best = Infinity
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++)
      best = Math.min(best, closestOnSegment(p, ring[i]!, ring[i + 1]!).distance)
  }
  return best
}

/** Even-odd point in ring test. */
export function pointInRing(p: Position, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as XY
    const [xj, yj] = ring[j]! as XY
    if ((yi > p[1]!) !== (yj > p[1]!) && p[0]! < (xj - xi) * (p[1]! - yi) / (yj - yi) + xi)
      inside = !inside
  }
  return inside
}

/** Whether p lies inside a polygon (inside its exterior, outside its holes). */
export function pointInPolygon(p: Position, rings: readonly (readonly Position[])[]): boolean {
  if (rings.length === 0 || !pointInRing(p, rings[0]!))
    return false
  return !rings.slice(1).some(hole => pointInRing(p, hole))
}

/** A piece of area (an overlap, a gap) measured: its area, width and a point inside it. */
export interface PieceMeasure {
  areaM2: number
  /** Diameter of the largest circle inside the piece, m: how far apart the two borders are at most. */
  widthM: number
  /** The centre of that circle: a point inside the piece. */
  at: XY
}

/** The parts of segment ab (arc positions sa…sb along its ring) outside the windows, as [t0, t1] ranges. */
function outsideWindows(sa: number, sb: number, windows: readonly [number, number][]): [number, number][] {
  let ranges: [number, number][] = [[sa, sb]]
  for (const [w0, w1] of windows)
    ranges = ranges.flatMap(([r0, r1]) => (w1 <= r0 || w0 >= r1 ? [[r0, r1]] : [...(w0 > r0 ? [[r0, w0]] : []), ...(w1 < r1 ? [[w1, r1]] : [])] as [number, number][]))
  const length = sb - sa
  return ranges.map(([r0, r1]) => (length > 0 ? [(r0 - sa) / length, (r1 - sa) / length] : [0, 1]))
}

/** The nearest point to v (at arc position sv of ring r) on the rings, leaving out the boundary within `exclude` of it along its ring. */
function acrossFrom(rings: PlanarRings, arcs: number[][], r: number, v: XY, sv: number, exclude: number): XY | undefined {
  const total = arcs[r]![arcs[r]!.length - 1]!
  const windows: [number, number][] = [-total, 0, total].map(k => [sv - exclude + k, sv + exclude + k])
  let best: XY | undefined
  let bestDistance = Infinity
  rings.forEach((ring, r2) => {
    for (let j = 0; j + 1 < ring.length; j++) {
      const [a, b] = [ring[j]!, ring[j + 1]!]
      const ranges = r2 === r ? outsideWindows(arcs[r]![j]!, arcs[r]![j + 1]!, windows) : [[0, 1] as [number, number]]
      for (const [t0, t1] of ranges) {
        const from: XY = [a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1])]
        const to: XY = [a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1])]
        const hit = closestOnSegment(v, from, to)
        if (hit.distance < bestDistance) {
          best = hit.point
          bestDistance = hit.distance
        }
      }
    }
  })
  return best
}

/**
 * The width of a thin piece and where it is widest: halfway between each vertex and the boundary
 * across from it (beyond `exclude` metres along its own side) lies the centre of a circle inside the
 * piece; the widest such circle. For a sliver between two nearly parallel borders that is the widest
 * gap between them, at O(n²) in the piece's vertices, where a largest-circle search costs the sliver's
 * length over its width.
 */
function thinWidth(rings: PlanarRings, exclude: number): { widthM: number, at: XY } {
  const arcs = rings.map((ring) => {
    const s = [0]
    for (let i = 1; i < ring.length; i++)
      s.push(s[i - 1]! + Math.hypot(ring[i]![0] - ring[i - 1]![0], ring[i]![1] - ring[i - 1]![1]))
    return s
  })
  const candidates: { widthM: number, at: XY }[] = []
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [a, b] = [ring[i]!, ring[i + 1]!]
      // From each vertex and from each edge's middle.
      for (const [v, sv] of [[a, arcs[r]![i]!], [[(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], (arcs[r]![i]! + arcs[r]![i + 1]!) / 2]] as [XY, number][]) {
        const q = acrossFrom(rings, arcs, r, v, sv, exclude)
        const centre: XY | undefined = q && [(v[0] + q[0]) / 2, (v[1] + q[1]) / 2]
        if (centre && pointInPolygon(centre, rings))
          candidates.push({ widthM: 2 * distanceToRings(centre, rings), at: centre })
      }
    }
  })
  // Of the (nearly) widest places, the one nearest the middle of the piece: a sliver of even width is
  // reported where a person would point at it.
  const widest = Math.max(0, ...candidates.map(c => c.widthM))
  const box = bbox(rings[0]!)
  const middle: XY = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]
  const near = candidates.filter(c => c.widthM >= 0.95 * widest)
  near.sort((a, b) => Math.hypot(a.at[0] - middle[0], a.at[1] - middle[1]) - Math.hypot(b.at[0] - middle[0], b.at[1] - middle[1]))
  return near[0] ?? { widthM: 0, at: rings[0]![0]! as XY }
}

/** Largest inscribed circle (polylabel): exact enough, but its cost grows with length over width. */
function roundWidth(rings: PlanarRings, areaM2: number): { widthM: number, at: XY } {
  const precision = Math.min(1, Math.max(0.0005, Math.sqrt(Math.max(areaM2, 0)) / 2000))
  const pole = polylabel(rings, precision)
  return { widthM: 2 * pole.distance, at: [pole[0], pole[1]] }
}

/**
 * Measures a planar piece (metres). Compact pieces by their largest inscribed circle; elongated ones
 * (slivers along a border, perimeter² > 100 × area) by the widest distance between their sides, unless
 * their area shows a wide part a sliver cannot have (then the circle after all).
 */
export function measurePiece(rings: PlanarRings): PieceMeasure {
  const areaM2 = polygonArea(rings)
  const length = rings.reduce((sum, ring) => sum + perimeter(ring), 0)
  if (length * length <= 100 * areaM2)
    return { areaM2, ...roundWidth(rings, areaM2) }
  const thin = thinWidth(rings, 8 * areaM2 / length)
  return { areaM2, ...(areaM2 > thin.widthM * length ? roundWidth(rings, areaM2) : thin) }
}

/** A point inside a polygon for its label (pole of inaccessibility, 1 m precision), in [lon, lat]. */
export function labelPoint(rings: readonly (readonly Position[])[], frame: Frame): LonLat {
  const planar = rings.map(ring => ring.map(frame.toXY))
  const pole = polylabel(planar, 1)
  return frame.toLonLat(pole)
}

/** Converts (multi)polygon parts between [lon, lat] and the plane. */
export function toPlanar(parts: Parts, frame: Frame): PlanarRings[] {
  return parts.map(rings => rings.map(ring => ring.map(frame.toXY)))
}

export function toLonLat(parts: readonly PlanarRings[], frame: Frame): Parts {
  return parts.map(rings => rings.map(ring => ring.map(p => frame.toLonLat(p))))
}

/** Rounds degrees to 7 decimals (≈ 1 cm), the precision the tool writes. */
export function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7
}

/**
 * The (symmetric, vertex-based) Hausdorff distance between two polygons in metres: how far a vertex
 * of either lies from the other's boundary at most. Used to measure round trips.
 */
export function hausdorffM(a: Parts, b: Parts, frame: Frame): number {
  const pa = toPlanar(a, frame).flat()
  const pb = toPlanar(b, frame).flat()
  let worst = 0
  for (const [from, to] of [[pa, pb], [pb, pa]] as const) {
    for (const ring of from) {
      for (const p of ring)
        worst = Math.max(worst, distanceToRings(p, to))
    }
  }
  return worst
}
