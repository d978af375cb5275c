/**
 * Plain geometry for the map (no Cesium): extents of GeoJSON boundaries, areas, and the default
 * oblique view that frames the township. Coordinates are WGS84 degrees, [lon, lat].
 */

/** A bounding box in degrees. */
export interface Extent {
  west: number
  south: number
  east: number
  north: number
}

/** Where the camera stands and looks: the orientation Cesium's `setView` takes, in degrees. */
export interface HomeView {
  /** The point looked at (the extent's centre). */
  target: { lon: number, lat: number }
  /** Distance from the camera to the target, metres. */
  range: number
  /** Degrees clockwise from north. */
  heading: number
  /** Degrees, negative: looking down. */
  pitch: number
  /** The camera's own position (on a locally flat Earth; good to a few metres at township size). */
  position: { lon: number, lat: number, height: number }
}

/** Metres per degree of latitude, and of longitude at a latitude (spherical Earth, WGS84 radius). */
export const METRES_PER_DEGREE = 111_319.49

export function metresPerDegreeLon(lat: number): number {
  return METRES_PER_DEGREE * Math.cos(lat * Math.PI / 180)
}

type Position = readonly number[]
interface PolygonLike { type: 'Polygon', coordinates: readonly (readonly Position[])[] }
interface MultiPolygonLike { type: 'MultiPolygon', coordinates: readonly (readonly (readonly Position[])[])[] }
/** The GeoJSON geometries boundaries come as. */
export type AreaGeometry = PolygonLike | MultiPolygonLike

/** The outer and inner rings of a Polygon or MultiPolygon. */
export function ringsOf(geometry: AreaGeometry): (readonly Position[])[] {
  return geometry.type === 'Polygon' ? [...geometry.coordinates] : geometry.coordinates.flatMap(polygon => [...polygon])
}

/** Each polygon's rings, outer first then holes. */
export function polygonsOf(geometry: AreaGeometry): (readonly (readonly Position[])[])[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : [...geometry.coordinates]
}

/** The outer rings only (what is drawn as a boundary line). */
export function outerRingsOf(geometry: AreaGeometry): (readonly Position[])[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.coordinates.map(polygon => polygon[0]!)
}

/** The bounding box of some geometries; null when there are no coordinates at all. */
export function extentOf(geometries: Iterable<AreaGeometry>): Extent | null {
  let west = Infinity
  let south = Infinity
  let east = -Infinity
  let north = -Infinity
  for (const geometry of geometries) {
    for (const ring of ringsOf(geometry)) {
      for (const [lon, lat] of ring) {
        if (lon === undefined || lat === undefined)
          continue
        west = Math.min(west, lon)
        east = Math.max(east, lon)
        south = Math.min(south, lat)
        north = Math.max(north, lat)
      }
    }
  }
  return west <= east && south <= north ? { west, south, east, north } : null
}

/** Grows an extent by a share of its size on every side. */
export function padExtent(extent: Extent, share: number): Extent {
  const dx = (extent.east - extent.west) * share
  const dy = (extent.north - extent.south) * share
  return { west: extent.west - dx, south: extent.south - dy, east: extent.east + dx, north: extent.north + dy }
}

/** Area of a ring in km² (equirectangular projection about its mean latitude: < 0.1 % off at township size). */
export function ringAreaKm2(ring: readonly Position[]): number {
  if (ring.length < 3)
    return 0
  const lat0 = ring.reduce((sum, p) => sum + (p[1] ?? 0), 0) / ring.length
  const kx = metresPerDegreeLon(lat0) / 1000
  const ky = METRES_PER_DEGREE / 1000
  let twice = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    twice += (a[0]! * kx) * (b[1]! * ky) - (b[0]! * kx) * (a[1]! * ky)
  }
  return Math.abs(twice) / 2
}

/** Area of a Polygon or MultiPolygon in km² (holes subtracted). */
export function areaKm2(geometry: AreaGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let total = 0
  for (const polygon of polygons)
    polygon.forEach((ring, i) => (total += (i === 0 ? 1 : -1) * ringAreaKm2(ring)))
  return total
}

export interface HomeOptions {
  /** Width / height of the map's canvas. */
  aspect: number
  /** Cesium's frustum `fov` (degrees): the horizontal angle when the canvas is wider than high. */
  fovDeg?: number
  /** Degrees below the horizon the camera looks (positive). */
  tiltDeg?: number
  /** Room around what is framed: 1.08 leaves a few per cent on each side. */
  margin?: number
  heading?: number
  /** Share of the canvas's width on the left that is covered (by a legend): frame in the rest. */
  coveredLeft?: number
  /** Share of the canvas's height at the bottom that is covered (by a legend strip). */
  coveredBottom?: number
}

/**
 * The oblique view that frames an extent: looking north (or `heading`) from the south, tilted down
 * `tiltDeg`, at a point on the extent's north–south axis, just far enough back that every point of `points` (the
 * boundary's vertices; the extent's corners when absent) is inside the frustum. On a locally flat
 * Earth a ground point at (e, n) metres from the target (n towards the far side) is seen at depth
 * r + n·cos t and height n·sin t, so each point needs r ≥ |e|/tan(½fovH) − n·cos t and
 * r ≥ |n|·sin t/tan(½fovV) − n·cos t.
 */
export function homeViewFor(extent: Extent, options: HomeOptions, points?: Iterable<readonly number[]>): HomeView {
  const { aspect, fovDeg = 60, tiltDeg = 50, margin = 1.08, heading = 0, coveredLeft = 0, coveredBottom = 0 } = options
  const lat = (extent.south + extent.north) / 2
  const lon = (extent.west + extent.east) / 2
  const fov = fovDeg * Math.PI / 180
  const free = 1 - Math.min(0.6, Math.max(0, coveredLeft))
  const fullHalfH = aspect >= 1 ? fov / 2 : Math.atan(Math.tan(fov / 2) * aspect)
  const halfH = Math.atan(Math.tan(fullHalfH) * free)
  const freeV = 1 - Math.min(0.6, Math.max(0, coveredBottom))
  const fullHalfV = aspect >= 1 ? Math.atan(Math.tan(fov / 2) / aspect) : fov / 2
  const halfV = Math.atan(Math.tan(fullHalfV) * freeV)
  const tilt = tiltDeg * Math.PI / 180
  const h = heading * Math.PI / 180
  const kx = metresPerDegreeLon(lat)
  const corners = [[extent.west, extent.south], [extent.east, extent.south], [extent.west, extent.north], [extent.east, extent.north]]
  // Into the view's frame: e to the right, n away from the camera (metres from the extent's centre).
  const local = [...(points ?? corners)].map((p) => {
    const dx = (p[0]! - lon) * kx
    const dy = (p[1]! - lat) * METRES_PER_DEGREE
    return [dx * Math.cos(h) - dy * Math.sin(h), dx * Math.sin(h) + dy * Math.cos(h)] as const
  })
  const rangeFor = (shift: number): number => {
    let r = 1
    for (const [e, n0] of local) {
      const n = n0 - shift
      r = Math.max(r, Math.abs(e) / Math.tan(halfH) - n * Math.cos(tilt), Math.abs(n) * Math.sin(tilt) / Math.tan(halfV) - n * Math.cos(tilt))
    }
    return r
  }
  // The far half looks smaller than the near half: look a little nearer than the centre. Of the
  // aims from which the whole fits from (nearly) closest, take the one that centres it vertically.
  let depth = 1
  for (const [, n] of local)
    depth = Math.max(depth, Math.abs(n))
  const imbalance = (shift: number, r: number): number => {
    let top = -Infinity
    let bottom = Infinity
    for (const [, n0] of local) {
      const n = n0 - shift
      const y = n * Math.sin(tilt) / (r + n * Math.cos(tilt))
      top = Math.max(top, y)
      bottom = Math.min(bottom, y)
    }
    return Math.abs(top + bottom)
  }
  const shifts = Array.from({ length: 41 }, (_, i) => (i - 20) / 20 * 0.5 * depth)
  const ranges = shifts.map(rangeFor)
  const closest = Math.min(...ranges)
  let best = 20
  shifts.forEach((shift, i) => {
    if (ranges[i]! <= closest * 1.04 && imbalance(shift, ranges[i]!) < imbalance(shifts[best]!, ranges[best]!) - 1e-9)
      best = i
  })
  if (ranges[best]! > closest * 1.04)
    best = ranges.indexOf(closest)
  const shift = shifts[best]!
  let range = ranges[best]!
  range *= margin
  const target = { lon: lon + shift * Math.sin(h) / kx, lat: lat + shift * Math.cos(h) / METRES_PER_DEGREE }
  const back = range * Math.cos(tilt)
  // Step left (west when looking north) so that the target sits in the middle of the uncovered part.
  const side = (1 - free) * Math.tan(fullHalfH) * range
  // …and down along the camera's up vector, so that it sits in the middle of what the strip leaves.
  const down = (1 - freeV) * Math.tan(fullHalfV) * range
  const south = back + down * Math.sin(tilt)
  const position = {
    lon: target.lon - (south * Math.sin(h) + side * Math.cos(h)) / kx,
    lat: target.lat - (south * Math.cos(h) - side * Math.sin(h)) / METRES_PER_DEGREE,
    height: range * Math.sin(tilt) - down * Math.cos(tilt),
  }
  return { target, range, heading, pitch: -tiltDeg, position }
}

/** Whether a point lies inside a ring (even-odd rule). */
export function pointInRing(lon: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
      inside = !inside
  }
  return inside
}

/** Whether a point lies inside an area: inside one of its polygons' outer rings and none of that polygon's holes. */
export function areaContains(geometry: AreaGeometry, lon: number, lat: number): boolean {
  return polygonsOf(geometry).some(([outer, ...holes]) => outer !== undefined && pointInRing(lon, lat, outer) && !holes.some(hole => pointInRing(lon, lat, hole)))
}
