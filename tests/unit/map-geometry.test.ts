import { describe, expect, it } from 'vitest'
import { areaContains, areaKm2, extentOf, homeViewFor, METRES_PER_DEGREE, metresPerDegreeLon, padExtent, pointInRing, ringAreaKm2 } from '../../screen/src/map/geometry.ts'

const square = (west: number, south: number, size: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]],
})

/** Where a ground point shows in a pinhole camera (looking north, tilted down): normalised −1…1 on both axes. */
function projectInView(view: ReturnType<typeof homeViewFor>, lon: number, lat: number, aspect: number, fovDeg = 60): { x: number, y: number } {
  // Local east/north metres relative to the camera; the point is on the ground, the camera up high.
  const e = (lon - view.position.lon) * metresPerDegreeLon(view.target.lat)
  const n = (lat - view.position.lat) * METRES_PER_DEGREE
  const h = view.position.height
  const tilt = -view.pitch * Math.PI / 180
  // Forward is (0, cos t, −sin t) and the camera's up (0, sin t, cos t) in east/north/up.
  const depth = n * Math.cos(tilt) + h * Math.sin(tilt)
  const vertical = n * Math.sin(tilt) - h * Math.cos(tilt)
  const fov = fovDeg * Math.PI / 180
  const halfH = aspect >= 1 ? fov / 2 : Math.atan(Math.tan(fov / 2) * aspect)
  const halfV = aspect >= 1 ? Math.atan(Math.tan(fov / 2) / aspect) : fov / 2
  return { x: e / depth / Math.tan(halfH), y: vertical / depth / Math.tan(halfV) }
}

describe('map geometry', () => {
  it('finds whether a point is inside an area, holes and all parts of a multipolygon counted', () => {
    const square = (x: number, y: number, size: number): number[][] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    const withHole = { type: 'Polygon' as const, coordinates: [square(0, 0, 10), square(4, 4, 2)] }
    expect(areaContains(withHole, 1, 1)).toBe(true)
    expect(areaContains(withHole, 5, 5)).toBe(false)
    expect(areaContains(withHole, 11, 5)).toBe(false)
    const two = { type: 'MultiPolygon' as const, coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] }
    expect(areaContains(two, 5.5, 5.5)).toBe(true)
    expect(areaContains(two, 3, 3)).toBe(false)
  })

  it('finds the extent of polygons and multipolygons, and null for nothing', () => {
    const multi = { type: 'MultiPolygon' as const, coordinates: [square(111, 29, 0.1).coordinates, square(111.3, 29.2, 0.05).coordinates] }
    expect(extentOf([square(111.1, 29.4, 0.1), multi])).toEqual({ west: 111, south: 29, east: 111.35, north: 29.5 })
    expect(extentOf([])).toBeNull()
    expect(padExtent({ west: 0, south: 0, east: 2, north: 1 }, 0.5)).toEqual({ west: -1, south: -0.5, east: 3, north: 1.5 })
  })

  it('measures areas in km² (a 0.01° square at 29.5° N is ≈ 1.07 km²), holes subtracted', () => {
    const area = ringAreaKm2(square(111, 29.5, 0.01).coordinates[0]!)
    expect(area).toBeCloseTo(1.113 * 1.113 * Math.cos(29.505 * Math.PI / 180), 2)
    const withHole = { type: 'Polygon' as const, coordinates: [square(111, 29.5, 0.02).coordinates[0]!, square(111.005, 29.505, 0.01).coordinates[0]!] }
    expect(areaKm2(withHole)).toBeCloseTo(area * 3, 2)
  })

  it('frames an extent: the view looks at its centre from the south, tilted, and every corner is on screen', () => {
    const extent = { west: 111.107, south: 29.428, east: 111.239, north: 29.528 }
    for (const aspect of [16 / 9, 4 / 3, 0.8, 2.4]) {
      const view = homeViewFor(extent, { aspect, tiltDeg: 48 })
      expect(view.target.lon).toBeCloseTo(111.173, 3)
      // Looking a little south of the centre: the near half looks bigger.
      expect(view.target.lat).toBeLessThanOrEqual(29.478)
      expect(view.position.lat).toBeLessThan(extent.south + 0.05)
      expect(view.pitch).toBe(-48)
      expect(view.position.height).toBeCloseTo(view.range * Math.sin(48 * Math.PI / 180), 3)
      const corners = [[extent.west, extent.south], [extent.east, extent.south], [extent.west, extent.north], [extent.east, extent.north]] as const
      const projected = corners.map(([lon, lat]) => projectInView(view, lon, lat, aspect))
      for (const p of projected) {
        expect(Math.abs(p.x), `aspect ${aspect}`).toBeLessThanOrEqual(1)
        expect(Math.abs(p.y), `aspect ${aspect}`).toBeLessThanOrEqual(1)
      }
      // …and it is framed, not lost in the middle: some corner reaches at least 85 % towards an edge,
      // and the extent is vertically balanced (the near and far edges about as far from the frame).
      expect(Math.max(...projected.flatMap(p => [Math.abs(p.x), Math.abs(p.y)]))).toBeGreaterThan(0.85)
      const ys = projected.map(p => p.y)
      if (Math.max(...ys.map(Math.abs)) > 0.85)
        expect(Math.abs(Math.max(...ys) + Math.min(...ys)), `aspect ${aspect}`).toBeLessThan(0.2)
    }
  })

  it('frames a boundary\'s own vertices closer than its bounding box', () => {
    const diamond = [[111.17, 29.43], [111.24, 29.48], [111.17, 29.53], [111.1, 29.48]]
    const extent = { west: 111.1, south: 29.43, east: 111.24, north: 29.53 }
    const byBox = homeViewFor(extent, { aspect: 1 })
    const byShape = homeViewFor(extent, { aspect: 1 }, diamond)
    expect(byShape.range).toBeLessThan(byBox.range)
    for (const [lon, lat] of diamond) {
      const p = projectInView(byShape, lon!, lat!, 1)
      expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThanOrEqual(1)
    }
  })

  it('frames in the part of the canvas a legend leaves free', () => {
    const extent = { west: 111.107, south: 29.428, east: 111.239, north: 29.528 }
    const plain = homeViewFor(extent, { aspect: 4 / 3 })
    const aside = homeViewFor(extent, { aspect: 4 / 3, coveredLeft: 0.25 })
    expect(aside.range).toBeGreaterThan(plain.range)
    expect(aside.position.lon).toBeLessThan(aside.target.lon)
    const xs = [extent.west, extent.east].map(lon => projectInView(aside, lon, extent.south, 4 / 3).x)
    // Everything lies right of the covered quarter (x from −1 to −0.5) and inside the frame.
    expect(Math.min(...xs)).toBeGreaterThan(-0.5 - 1e-6)
    expect(Math.max(...xs)).toBeLessThanOrEqual(1 + 1e-6)
  })

  it('frames above a legend strip along the bottom', () => {
    const extent = { west: 111.107, south: 29.428, east: 111.239, north: 29.528 }
    const view = homeViewFor(extent, { aspect: 4 / 3, coveredBottom: 0.2 })
    const ys = [[extent.west, extent.south], [extent.east, extent.north], [extent.east, extent.south]].map(([lon, lat]) => projectInView(view, lon!, lat!, 4 / 3).y)
    // The covered fifth is y from −1 to −0.6.
    expect(Math.min(...ys)).toBeGreaterThan(-0.6 - 1e-6)
    expect(Math.max(...ys)).toBeLessThanOrEqual(1 + 1e-6)
  })

  it('tells inside from outside', () => {
    const ring = square(0, 0, 1).coordinates[0]!
    expect(pointInRing(0.5, 0.5, ring)).toBe(true)
    expect(pointInRing(1.5, 0.5, ring)).toBe(false)
  })
})
