import type { Feature, Polygon, Position } from 'geojson'
import type { Geography } from '../../mock/geo/index.ts'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import polygonClipping from 'polygon-clipping'
import { describe, expect, it } from 'vitest'
import { VILLAGES } from '../../mock/geo/divisions.ts'
import { compactness, polygonAreaKm2 } from '../../mock/geo/geometry.ts'
import { displayName, generateCountyGeography, generateGeography, geodataFiles, writeGeodata } from '../../mock/geo/index.ts'
import { findConflict } from '../../mock/geo/validate.ts'
import { createRandom } from '../../mock/random.ts'

// Checks here are written independently of the generator's own validation (mock/geo/validate.ts), so
// a bug there cannot hide a bug in the output.

type Ring = readonly Position[]

/** Exact orientation sign on micro-degree integers. */
function orient(a: Position, b: Position, c: Position): number {
  const ax = Math.round(a[0]! * 1e6)
  const ay = Math.round(a[1]! * 1e6)
  return Math.sign((Math.round(b[0]! * 1e6) - ax) * (Math.round(c[1]! * 1e6) - ay) - (Math.round(b[1]! * 1e6) - ay) * (Math.round(c[0]! * 1e6) - ax))
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return orient(a, b, p) === 0
    && Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!)
    && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!)
}

/** Whether the closed segments ab and cd share any point. */
function segmentsTouch(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  if (o1 * o2 < 0 && o3 * o4 < 0)
    return true
  return onSegment(a, b, c) || onSegment(a, b, d) || onSegment(c, d, a) || onSegment(c, d, b)
}

/** First problem of a polygon ring under RFC 7946 (simple, closed, CCW exterior), or null. */
function ringProblem(ring: Ring): string | null {
  const n = ring.length - 1
  if (n < 3)
    return 'fewer than 4 positions'
  if (ring[0]![0] !== ring[n]![0] || ring[0]![1] !== ring[n]![1])
    return 'not closed'
  for (const p of ring) {
    if (p.length !== 2 || Math.round(p[0]! * 1e6) / 1e6 !== p[0] || Math.round(p[1]! * 1e6) / 1e6 !== p[1])
      return `position ${p} is not rounded to 6 decimals`
  }
  for (let i = 0; i < n; i++) {
    if (ring[i]![0] === ring[i + 1]![0] && ring[i]![1] === ring[i + 1]![1])
      return `duplicate consecutive position at ${i}`
  }
  let area2 = 0
  for (let i = 0; i < n; i++)
    area2 += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  if (area2 <= 0)
    return 'exterior ring is not counter-clockwise'
  // Segments i and j may only share the common end point of consecutive segments.
  const box = Array.from({ length: n }, (_, i) => [
    Math.min(ring[i]![0]!, ring[i + 1]![0]!),
    Math.min(ring[i]![1]!, ring[i + 1]![1]!),
    Math.max(ring[i]![0]!, ring[i + 1]![0]!),
    Math.max(ring[i]![1]!, ring[i + 1]![1]!),
  ] as const)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const bi = box[i]!
      const bj = box[j]!
      if (bi[2] < bj[0] || bj[2] < bi[0] || bi[3] < bj[1] || bj[3] < bi[1])
        continue
      const a = ring[i]!
      const b = ring[i + 1]!
      const c = ring[j]!
      const d = ring[j + 1]!
      if (j === i + 1) {
        // Consecutive: they share b === c; they must not fold back onto each other.
        if (orient(a, b, d) === 0 && (d[0]! - b[0]!) * (a[0]! - b[0]!) + (d[1]! - b[1]!) * (a[1]! - b[1]!) > 0)
          return `segments ${i} and ${j} fold back`
        continue
      }
      if (i === 0 && j === n - 1) {
        if (orient(c, d, b) === 0 && (b[0]! - a[0]!) * (c[0]! - a[0]!) + (b[1]! - a[1]!) * (c[1]! - a[1]!) > 0)
          return 'first and last segments fold back'
        continue
      }
      if (segmentsTouch(a, b, c, d))
        return `segments ${i} and ${j} intersect`
    }
  }
  return null
}

function inRing(p: Position, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number]
    const [xj, yj] = ring[j]! as [number, number]
    if ((yi > p[1]!) !== (yj > p[1]!) && p[0]! < (xj - xi) * (p[1]! - yi) / (yj - yi) + xi)
      inside = !inside
  }
  return inside
}

function bbox(ring: Ring): [number, number, number, number] {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of ring as [number, number][]) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX, minY, maxX, maxY]
}

function boxesOverlap(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!
}

function pcPolygon(f: Feature<Polygon>): polygonClipping.Polygon {
  return f.geometry.coordinates as polygonClipping.Polygon
}

function multiAreaKm2(mp: polygonClipping.MultiPolygon): number {
  return mp.reduce((sum, poly) => sum + polygonAreaKm2(poly), 0)
}

function distanceM(a: Position, b: Position): number {
  const k = Math.cos(a[1]! * Math.PI / 180)
  return Math.hypot((a[0]! - b[0]!) * k, a[1]! - b[1]!) * 111_195
}

function distanceToLineM(p: Position, line: Ring): number {
  let best = Infinity
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!
    const b = line[i]!
    const k = Math.cos(p[1]! * Math.PI / 180)
    const ax = (a[0]! - p[0]!) * k
    const ay = a[1]! - p[1]!
    const dx = (b[0]! - a[0]!) * k
    const dy = b[1]! - a[1]!
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)))
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy) * 111_195)
  }
  return best
}

const cases: { label: string, geo: Geography }[] = [
  { label: 'default (东岳观镇), seed 42', geo: generateGeography({ seed: 42 }) },
  { label: '双街镇 (9 communities), seed 4', geo: generateGeography({ seed: 4, township: '120113102' }) },
  { label: '珙县 synthetic township, seed 7', geo: generateGeography({ seed: 7, township: '511526205' }) },
]

describe.each(cases)('geography: $label', ({ geo }) => {
  const town = geo.township.geometry.coordinates[0]!
  const townArea = polygonAreaKm2(geo.township.geometry.coordinates)
  const villageByCode = new Map(geo.villages.features.map(f => [f.properties.code, f]))

  it('has counts and sizes in range', () => {
    expect(townArea).toBeGreaterThanOrEqual(60)
    expect(townArea).toBeLessThanOrEqual(150)
    expect(geo.grids.features.length).toBeGreaterThanOrEqual(100)
    expect(geo.grids.features.length).toBeLessThanOrEqual(300)
    const perVillage = new Map<string, number>()
    for (const g of geo.grids.features)
      perVillage.set(g.properties.villageCode, (perVillage.get(g.properties.villageCode) ?? 0) + 1)
    expect(perVillage.size).toBe(geo.villages.features.length)
    for (const v of geo.villages.features) {
      const n = perVillage.get(v.properties.code)!
      // 6–15 per village; only a small built-up community may have fewer (grids stay ≥ 0.05 km²).
      expect(n, v.properties.name).toBeGreaterThanOrEqual(v.properties.areaKm2 >= 1.2 ? 6 : 2)
      expect(n, v.properties.name).toBeLessThanOrEqual(15)
    }
    expect(geo.roads.features.filter(r => r.properties.kind === 'county')).toHaveLength(1)
    expect(geo.roads.features.filter(r => r.properties.kind === 'township').length).toBeGreaterThanOrEqual(2)
  })

  it('writes valid RFC 7946 polygons: single ring, closed, CCW, simple, 6 decimals', () => {
    const all = [geo.township, ...geo.villages.features, ...geo.grids.features] as Feature<Polygon>[]
    for (const f of all) {
      expect(f.geometry.type).toBe('Polygon')
      expect(f.geometry.coordinates).toHaveLength(1)
      expect(ringProblem(f.geometry.coordinates[0]!), String(f.id)).toBeNull()
    }
  })

  it('partitions the township into grids: areas add up, neighbours do not overlap', () => {
    const gridSum = geo.grids.features.reduce((s, g) => s + polygonAreaKm2(g.geometry.coordinates), 0)
    expect(Math.abs(gridSum - townArea) / townArea).toBeLessThan(1e-6)
    const villageSum = geo.villages.features.reduce((s, v) => s + polygonAreaKm2(v.geometry.coordinates), 0)
    expect(Math.abs(villageSum - townArea) / townArea).toBeLessThan(1e-6)

    const boxes = geo.grids.features.map(g => bbox(g.geometry.coordinates[0]!))
    let pairs = 0
    let overlap = 0
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (!boxesOverlap(boxes[i]!, boxes[j]!))
          continue
        pairs++
        overlap += multiAreaKm2(polygonClipping.intersection(pcPolygon(geo.grids.features[i]!), pcPolygon(geo.grids.features[j]!)))
      }
    }
    expect(pairs).toBeGreaterThan(geo.grids.features.length)
    expect(overlap).toBeLessThan(1e-9)
  })

  it('puts every point of the township in exactly one grid, of the right village', () => {
    const random = createRandom(2024)
    const [minX, minY, maxX, maxY] = bbox(town)
    const grids = geo.grids.features.map(g => ({ g, box: bbox(g.geometry.coordinates[0]!) }))
    let inside = 0
    for (let k = 0; k < 2000; k++) {
      const p: Position = [random.range(minX, maxX), random.range(minY, maxY)]
      const hits = grids.filter(({ g, box }) => boxesOverlap(box, [p[0]!, p[1]!, p[0]!, p[1]!]) && inRing(p, g.geometry.coordinates[0]!))
      if (!inRing(p, town)) {
        expect(hits).toHaveLength(0)
        continue
      }
      inside++
      expect(hits).toHaveLength(1)
      const village = villageByCode.get(hits[0]!.g.properties.villageCode)!
      expect(inRing(p, village.geometry.coordinates[0]!)).toBe(true)
    }
    expect(inside).toBeGreaterThan(800)
  })

  it('keeps each grid inside its village', () => {
    for (const g of geo.grids.features) {
      const village = villageByCode.get(g.properties.villageCode)!
      expect(g.properties.code.startsWith(village.properties.code)).toBe(true)
      expect(g.properties.code).toMatch(/^\d{15}$/)
      const outside = multiAreaKm2(polygonClipping.difference(pcPolygon(g), pcPolygon(village)))
      expect(outside, g.properties.code).toBeLessThan(1e-9)
    }
  })

  it('has no slivers', () => {
    for (const g of geo.grids.features) {
      const ring = g.geometry.coordinates[0]!
      expect(polygonAreaKm2([ring]), g.properties.code).toBeGreaterThanOrEqual(0.05)
      expect(compactness(ring), g.properties.code).toBeGreaterThanOrEqual(0.15)
    }
  })

  it('puts labels, centres and the seat inside their polygons, and roads inside the township', () => {
    for (const g of geo.grids.features)
      expect(inRing(g.properties.labelPoint, g.geometry.coordinates[0]!), g.properties.code).toBe(true)
    for (const v of geo.villages.features)
      expect(inRing(v.properties.center, v.geometry.coordinates[0]!), v.properties.code).toBe(true)
    const seatVillage = geo.villages.features[0]!
    expect(seatVillage.properties.center).toEqual(geo.township.properties.seat)
    for (const r of geo.roads.features) {
      expect(r.geometry.coordinates.length).toBeGreaterThanOrEqual(2)
      for (const p of r.geometry.coordinates)
        expect(inRing(p, town)).toBe(true)
    }
  })

  it('lays roads past the seat and every village centre', () => {
    const county = geo.roads.features.find(r => r.properties.kind === 'county')!
    expect(distanceToLineM(geo.township.properties.seat, county.geometry.coordinates)).toBeLessThan(150)
    const [start, end] = [county.geometry.coordinates[0]!, county.geometry.coordinates.at(-1)!]
    expect(distanceM(start, end)).toBeGreaterThan(3000)
    for (const v of geo.villages.features) {
      const nearest = Math.min(...geo.roads.features.map(r => distanceToLineM(v.properties.center, r.geometry.coordinates)))
      expect(nearest, v.properties.name).toBeLessThan(150)
    }
  })

  it('numbers and names grids after their village', () => {
    const codes = new Set(geo.grids.features.map(g => g.properties.code))
    expect(codes.size).toBe(geo.grids.features.length)
    for (const g of geo.grids.features) {
      const village = villageByCode.get(g.properties.villageCode)!
      expect(g.properties.name).toBe(`${village.properties.name}第${Number(g.properties.code.slice(12))}网格`)
    }
  })
})

describe('generateGeography', () => {
  it('is deterministic: same options give identical bytes, another seed another township', () => {
    const a = geodataFiles(generateGeography({ seed: 5 }))
    const b = geodataFiles(generateGeography({ seed: 5 }))
    const c = geodataFiles(generateGeography({ seed: 6 }))
    expect(a).toEqual(b)
    expect(c.township).not.toBe(a.township)
    expect(c.grids).not.toBe(a.grids)
  })

  it('uses the real 2023 names and codes of 东岳观镇 by default', () => {
    const geo = generateGeography({ seed: 9 })
    expect(geo.township.properties).toMatchObject({ code: '430821103', name: '东岳观镇', county: '湖南省张家界市慈利县', synthetic: true })
    const real = VILLAGES['430821103']!
    expect(geo.villages.features.map(v => v.properties.code).sort()).toEqual(real.map(([code]) => code).sort())
    const byCode = new Map(geo.villages.features.map(v => [v.properties.code, v.properties]))
    expect(byCode.get('430821103001')).toMatchObject({ name: '东市社区', kind: 'community', nameSource: 'nbs-2023' })
    expect(byCode.get('430821103203')).toMatchObject({ name: '江西村', officialName: '江西村委会', kind: 'village' })
    // The seat is in the community (0xx), the built-up township centre.
    expect(geo.villages.features[0]!.properties.code).toBe('430821103001')
    const [lon, lat] = geo.township.properties.seat
    expect(Math.abs(lon - 111.13)).toBeLessThan(0.2)
    expect(Math.abs(lat - 29.43)).toBeLessThan(0.2)
  })

  it('gives communities near the seat more, smaller grids', () => {
    const geo = generateGeography({ seed: 11, township: '120113102' })
    const mean = (kind: string): number => {
      const grids = geo.grids.features.filter(g => geo.villages.features.find(v => v.properties.code === g.properties.villageCode)!.properties.kind === kind)
      return grids.reduce((s, g) => s + g.properties.areaKm2, 0) / grids.length
    }
    expect(mean('community')).toBeLessThan(mean('village') / 2)
  })

  it('synthesises plausible villages for a township without real village data', () => {
    const geo = generateGeography({ seed: 3, township: '430821104' })
    expect(geo.township.properties.name).toBe('通津铺镇')
    const villages = geo.villages.features.map(v => v.properties)
    expect(villages.length).toBeGreaterThanOrEqual(16)
    expect(villages.length).toBeLessThanOrEqual(20)
    expect(new Set(villages.map(v => v.code)).size).toBe(villages.length)
    expect(new Set(villages.map(v => v.name)).size).toBe(villages.length)
    for (const v of villages) {
      expect(v.code).toMatch(/^430821104(0\d\d|2\d\d)$/)
      expect(v.kind).toBe(v.code[9] === '0' ? 'community' : 'village')
      expect(v.name).toMatch(v.kind === 'community' ? /社区$/ : /村$/)
      expect(v.nameSource).toBe('synthetic')
    }
    expect(villages.filter(v => v.kind === 'community').length).toBeGreaterThanOrEqual(1)
  })

  it('places other counties near their centres and rejects unknown codes', () => {
    const geo = generateGeography({ seed: 1, township: '371403109' })
    expect(geo.villages.features).toHaveLength(40)
    const [lon, lat] = geo.township.properties.seat
    expect(Math.abs(lon - 116.57)).toBeLessThan(0.2)
    expect(Math.abs(lat - 37.34)).toBeLessThan(0.2)
    expect(() => generateGeography({ seed: 1, township: '999999101' })).toThrow(/seed counties/)
    expect(() => generateGeography({ seed: 1, township: '4308' })).toThrow(/9 digits/)
    expect(() => generateGeography({ seed: 1, villages: 0 })).toThrow(/villages/)
    expect(() => generateGeography({ seed: 1, gridsPerVillage: [9, 3] })).toThrow(/gridsPerVillage/)
  })

  it('honours villages and gridsPerVillage', () => {
    const geo = generateGeography({ seed: 2, township: '430821104', villages: 17, gridsPerVillage: [6, 8] })
    expect(geo.villages.features).toHaveLength(17)
    const per = new Map<string, number>()
    for (const g of geo.grids.features)
      per.set(g.properties.villageCode, (per.get(g.properties.villageCode) ?? 0) + 1)
    for (const n of per.values()) {
      expect(n).toBeGreaterThanOrEqual(6)
      expect(n).toBeLessThanOrEqual(8)
    }
  })

  it('writes four compact GeoJSON files without foreign members', async () => {
    const geo = generateGeography({ seed: 1 })
    const dir = await mkdtemp(join(tmpdir(), 'geo-'))
    try {
      const files = await writeGeodata(geo, dir)
      expect(files.map(f => f.slice(dir.length + 1))).toEqual(['township.geojson', 'villages.geojson', 'grids.geojson', 'roads.geojson'])
      const township = JSON.parse(await readFile(join(dir, 'township.geojson'), 'utf8'))
      expect(Object.keys(township).sort()).toEqual(['geometry', 'id', 'properties', 'type'])
      for (const name of ['villages', 'grids', 'roads']) {
        const text = await readFile(join(dir, `${name}.geojson`), 'utf8')
        expect(text).not.toContain('\n  ')
        expect(Object.keys(JSON.parse(text)).sort()).toEqual(['features', 'type'])
      }
    }
    finally {
      await rm(dir, { recursive: true })
    }
  })
})

describe('generateCountyGeography', () => {
  it('lays 20 valid townships side by side without overlap', () => {
    const county = generateCountyGeography(1)
    expect(county.townships).toHaveLength(20)
    const boxes = county.townships.map(t => bbox(t.township.geometry.coordinates[0]!))
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++)
        expect(boxesOverlap(boxes[i]!, boxes[j]!)).toBe(false)
    }
    expect(new Set(county.townships.map(t => t.township.properties.code)).size).toBe(20)
    for (const t of county.townships) {
      const area = polygonAreaKm2(t.township.geometry.coordinates)
      expect(area).toBeGreaterThanOrEqual(60)
      expect(area).toBeLessThanOrEqual(150)
      expect(t.grids.features.length).toBeGreaterThanOrEqual(100)
      expect(t.grids.features.length).toBeLessThanOrEqual(300)
      const sum = t.grids.features.reduce((s, g) => s + polygonAreaKm2(g.geometry.coordinates), 0)
      expect(Math.abs(sum - area) / area).toBeLessThan(1e-6)
      expect(ringProblem(t.township.geometry.coordinates[0]!)).toBeNull()
      for (const g of t.grids.features)
        expect(polygonAreaKm2(g.geometry.coordinates)).toBeGreaterThanOrEqual(0.05)
    }
  }, 60_000)

  it('pads a county whose list is short with synthetic township codes', () => {
    const county = generateCountyGeography(2, 15, '511526')
    const codes = county.townships.map(t => t.township.properties.code)
    expect(new Set(codes).size).toBe(15)
    expect(codes.every(c => /^511526\d{3}$/.test(c))).toBe(true)
    const names = county.townships.map(t => t.township.properties.name)
    expect(new Set(names).size).toBe(15)
    expect(names).toContain('珙泉镇')
  }, 60_000)
})

describe('geo helpers', () => {
  it('shortens official village names the way maps show them', () => {
    expect(displayName('江西村委会')).toBe('江西村')
    expect(displayName('胡园村民委员会')).toBe('胡园村')
    expect(displayName('双街新家园社区居委会')).toBe('双街新家园社区')
    expect(displayName('前童居民委员会')).toBe('前童社区')
    expect(displayName('北平村')).toBe('北平村')
  })

  it('finds crossing and overlapping segments, and accepts a plane graph', () => {
    expect(findConflict([[0, 0, 10, 0, 10, 10], [10, 10, 0, 10, 0, 0]])).toBeNull()
    expect(findConflict([[0, 0, 10, 10], [0, 10, 10, 0]])).toMatch(/cross/)
    expect(findConflict([[0, 0, 10, 0], [5, 0, 20, 0]])).toMatch(/cross/)
    expect(findConflict([[0, 0, 10, 0], [10, 0, 5, 0]])).toMatch(/cross/)
    expect(findConflict([[0, 0, 10, 0], [5, 0, 5, 5]])).toMatch(/cross/)
  })

  it('the independent ring check rejects bad rings', () => {
    expect(ringProblem([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).toBeNull()
    expect(ringProblem([[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]])).toMatch(/counter-clockwise/)
    expect(ringProblem([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).not.toBeNull()
    expect(ringProblem([[0, 0], [1, 0], [1, 1], [0, 1]])).toMatch(/closed/)
    expect(ringProblem([[0, 0], [1, 0], [1, 0], [1, 1], [0, 0]])).toMatch(/duplicate/)
  })
})
