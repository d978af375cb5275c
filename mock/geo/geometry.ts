import type { Position } from 'geojson'
import type { Random } from '../random.ts'

/** Mean Earth radius in metres (IUGG), as used by turf and most web-map area functions. */
export const EARTH_RADIUS = 6371008.8

/** Output precision: 6 decimals of a degree (≈ 0.1 m), the RFC 7946 recommendation. */
export const MICRO = 1e6

/**
 * A local equirectangular projection around a centre, in metres (x east, y north). Over a township
 * (≤ 20 km) its distortion is below 0.1 %, and it keeps the orientation of rings: counter-clockwise in
 * metres is counter-clockwise in [lon, lat].
 */
export interface LocalProjection {
  readonly lon0: number
  readonly lat0: number
  /** [lon, lat] of a local point, unrounded. */
  toLonLat: (x: number, y: number) => [number, number]
  /** Local metres of a [lon, lat] point. */
  fromLonLat: (lon: number, lat: number) => [number, number]
}

/** Creates the local projection centred on [lon0, lat0]. */
export function localProjection(lon0: number, lat0: number): LocalProjection {
  const ky = EARTH_RADIUS * Math.PI / 180
  const kx = ky * Math.cos(lat0 * Math.PI / 180)
  return {
    lon0,
    lat0,
    toLonLat: (x, y) => [lon0 + x / kx, lat0 + y / ky],
    fromLonLat: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
  }
}

/** Rounds a coordinate to integer micro-degrees; all output geometry is assembled from these integers. */
export function toMicro(value: number): number {
  return Math.round(value * MICRO)
}

/** Converts integer micro-degrees back to degrees; `x / 1e6` gives the shortest decimal that JSON prints. */
export function fromMicro(value: number): number {
  return value / MICRO
}

/**
 * Area of a closed [lon, lat] ring in square metres on the sphere (Chamberlain & Duquette 2007, the
 * formula of turf's `area`); positive for counter-clockwise rings.
 */
export function ringAreaM2(ring: readonly Position[]): number {
  const n = ring.length - 1
  if (n < 3)
    return 0
  let total = 0
  const rad = Math.PI / 180
  for (let i = 0; i < n; i++) {
    const lower = ring[i]!
    const middle = ring[(i + 1) % n]!
    const upper = ring[(i + 2) % n]!
    total += (upper[0]! - lower[0]!) * rad * Math.sin(middle[1]! * rad)
  }
  return -total * EARTH_RADIUS * EARTH_RADIUS / 2
}

/** Area of a polygon (exterior minus holes) in km². */
export function polygonAreaKm2(rings: readonly (readonly Position[])[]): number {
  let area = 0
  rings.forEach((ring, i) => {
    const a = Math.abs(ringAreaM2(ring))
    area += i === 0 ? a : -a
  })
  return area / 1e6
}

/** Perimeter of a closed [lon, lat] ring in metres (haversine). */
export function ringPerimeterM(ring: readonly Position[]): number {
  const rad = Math.PI / 180
  let total = 0
  for (let i = 1; i < ring.length; i++) {
    const [lon1, lat1] = ring[i - 1]! as [number, number]
    const [lon2, lat2] = ring[i]! as [number, number]
    const dLat = (lat2 - lat1) * rad
    const dLon = (lon2 - lon1) * rad
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
    total += 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)))
  }
  return total
}

/** Isoperimetric ratio 4πA/P² of a polygon's exterior ring: 1 for a disc, ≈ 0.79 for a square, → 0 for slivers. */
export function compactness(ring: readonly Position[]): number {
  const p = ringPerimeterM(ring)
  return p > 0 ? 4 * Math.PI * Math.abs(ringAreaM2(ring)) / (p * p) : 0
}

/**
 * One Chaikin corner-cutting pass over an open polyline (flat [x0, y0, x1, y1, …]) that keeps both end
 * points, so chains that meet at a junction still meet there after smoothing. Each corner is cut at
 * 1/4 of its two edges, which keeps the cut inside the convex Voronoi cell at that corner: neighbouring
 * chains cannot be crossed.
 */
export function chaikinOpen(xy: readonly number[]): number[] {
  const n = xy.length / 2
  if (n < 3)
    return xy.slice()
  const out: number[] = [xy[0]!, xy[1]!]
  for (let i = 0; i < n - 1; i++) {
    const x0 = xy[2 * i]!
    const y0 = xy[2 * i + 1]!
    const x1 = xy[2 * i + 2]!
    const y1 = xy[2 * i + 3]!
    if (i > 0)
      out.push(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1)
    if (i < n - 2)
      out.push(0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)
  }
  out.push(xy[2 * n - 2]!, xy[2 * n - 1]!)
  return out
}

/**
 * Binomial (1/4, 1/2, 1/4) smoothing of an open polyline (flat), ends fixed. One pass removes the
 * two-edge zig-zag that Voronoi borders have at the scale of one atom, and moves no point by more than
 * half that zig-zag; the polyline's course at larger scales is kept.
 */
export function binomialOpen(xy: readonly number[]): number[] {
  const n = xy.length / 2
  const out = xy.slice()
  for (let i = 1; i < n - 1; i++) {
    out[2 * i] = 0.25 * xy[2 * i - 2]! + 0.5 * xy[2 * i]! + 0.25 * xy[2 * i + 2]!
    out[2 * i + 1] = 0.25 * xy[2 * i - 1]! + 0.5 * xy[2 * i + 1]! + 0.25 * xy[2 * i + 3]!
  }
  return out
}

/** Binomial smoothing of a closed polyline (flat, first point not repeated). */
export function binomialClosed(xy: readonly number[]): number[] {
  const n = xy.length / 2
  const out = xy.slice()
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n
    const q = (i + 1) % n
    out[2 * i] = 0.25 * xy[2 * p]! + 0.5 * xy[2 * i]! + 0.25 * xy[2 * q]!
    out[2 * i + 1] = 0.25 * xy[2 * p + 1]! + 0.5 * xy[2 * i + 1]! + 0.25 * xy[2 * q + 1]!
  }
  return out
}

/** One Chaikin pass over a closed polyline (flat, first point not repeated at the end). */
export function chaikinClosed(xy: readonly number[]): number[] {
  const n = xy.length / 2
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    const x0 = xy[2 * i]!
    const y0 = xy[2 * i + 1]!
    const x1 = xy[2 * j]!
    const y1 = xy[2 * j + 1]!
    out.push(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1, 0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)
  }
  return out
}

/**
 * Douglas–Peucker simplification of an open polyline (flat) keeping both ends; drops the near-collinear
 * points that smoothing leaves on gentle curves, which halves the output size.
 */
export function simplifyOpen(xy: readonly number[], tolerance: number): number[] {
  const n = xy.length / 2
  if (n <= 2)
    return xy.slice()
  const keep = new Uint8Array(n)
  keep[0] = 1
  keep[n - 1] = 1
  const stack: [number, number][] = [[0, n - 1]]
  const tol2 = tolerance * tolerance
  while (stack.length > 0) {
    const [a, b] = stack.pop()!
    const ax = xy[2 * a]!
    const ay = xy[2 * a + 1]!
    const dx = xy[2 * b]! - ax
    const dy = xy[2 * b + 1]! - ay
    const len2 = dx * dx + dy * dy
    let worst = -1
    let worstD2 = tol2
    for (let i = a + 1; i < b; i++) {
      const px = xy[2 * i]! - ax
      const py = xy[2 * i + 1]! - ay
      let d2: number
      if (len2 === 0) {
        d2 = px * px + py * py
      }
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2))
        const qx = px - t * dx
        const qy = py - t * dy
        d2 = qx * qx + qy * qy
      }
      if (d2 > worstD2) {
        worstD2 = d2
        worst = i
      }
    }
    if (worst > 0) {
      keep[worst] = 1
      stack.push([a, worst], [worst, b])
    }
  }
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    if (keep[i])
      out.push(xy[2 * i]!, xy[2 * i + 1]!)
  }
  return out
}

/**
 * A smooth random field on the plane, roughly in [-1, 1]: a sum of plane waves with random directions
 * and wavelengths. Cheap, deterministic, and smooth enough to make region borders meander like
 * ridges and streams do.
 */
export function smoothNoise(random: Random, minWavelength: number, maxWavelength: number, waves = 8): (x: number, y: number) => number {
  const kx: number[] = []
  const ky: number[] = []
  const phase: number[] = []
  const amp: number[] = []
  let norm = 0
  for (let i = 0; i < waves; i++) {
    const wavelength = minWavelength * (maxWavelength / minWavelength) ** random.next()
    const angle = random.range(0, Math.PI)
    const k = 2 * Math.PI / wavelength
    kx.push(k * Math.cos(angle))
    ky.push(k * Math.sin(angle))
    phase.push(random.range(0, 2 * Math.PI))
    // Longer waves carry more weight, as in natural terrain.
    const a = wavelength / maxWavelength
    amp.push(a)
    norm += a * a
  }
  const scale = 1 / Math.sqrt(norm / 2)
  return (x, y) => {
    let v = 0
    for (let i = 0; i < waves; i++)
      v += amp[i]! * Math.cos(kx[i]! * x + ky[i]! * y + phase[i]!)
    return v * scale / 2
  }
}
