import { describe, expect, it } from 'vitest'
import { assertInChina, crsFromHint, esriGaussKrugerPrj, fromWgs84, gaussKruger, guessCrs, parseCrsOption, toWgs84, wktFor } from '../../tools/geodata/crs.ts'
import { UsageError } from '../../tools/geodata/errors.ts'
import { frameAt } from '../../tools/geodata/geometry.ts'

/** Coordinate reference systems: the CGCS2000 Gauss-Krüger table, .prj reading, guesses and round trips. */

const seat: [number, number] = [111.177035, 29.470934]
const frame = frameAt(...seat)
const metres = (a: number[], b: number[]): number => {
  const [ax, ay] = frame.toXY(a)
  const [bx, by] = frame.toXY(b)
  return Math.hypot(ax - bx, ay - by)
}

describe('CGCS2000 Gauss-Krüger codes', () => {
  it.each([
    [4491, 75, 13500000, 'CGCS2000 / Gauss-Kruger zone 13'],
    [4501, 135, 23500000, 'CGCS2000 / Gauss-Kruger zone 23'],
    [4502, 75, 500000, 'CGCS2000 / Gauss-Kruger CM 75E'],
    [4513, 75, 25500000, 'CGCS2000 / 3-degree Gauss-Kruger zone 25'],
    [4525, 111, 37500000, 'CGCS2000 / 3-degree Gauss-Kruger zone 37'],
    [4534, 75, 500000, 'CGCS2000 / 3-degree Gauss-Kruger CM 75E'],
    [4545, 108, 500000, 'CGCS2000 / 3-degree Gauss-Kruger CM 108E'],
    [4546, 111, 500000, 'CGCS2000 / 3-degree Gauss-Kruger CM 111E'],
    [4554, 135, 500000, 'CGCS2000 / 3-degree Gauss-Kruger CM 135E'],
  ])('EPSG:%i has central meridian %i° and false easting %i', (epsg, cm, fe, name) => {
    expect(gaussKruger(epsg)).toMatchObject({ centralMeridian: cm, falseEasting: fe, name })
  })

  it('has no definition outside 4491–4554', () => {
    expect(gaussKruger(4490)).toBeUndefined()
    expect(gaussKruger(4555)).toBeUndefined()
  })

  it('puts the mock township (lon ≈ 111.18°) 12.4 km east of CM 111°E in EPSG:4546 and in zone 37 of EPSG:4525', () => {
    const [x, y] = fromWgs84(parseCrsOption('epsg:4546'))(seat)
    expect(x).toBeGreaterThan(517000)
    expect(x).toBeLessThan(518000)
    expect(y).toBeGreaterThan(3.26e6)
    expect(fromWgs84(parseCrsOption('epsg:4525'))(seat)[0]).toBeCloseTo(x! + 37e6, 3)
  })
})

describe('--crs and declared CRSs', () => {
  it('parses the names and EPSG codes', () => {
    expect(parseCrsOption('wgs84').kind).toBe('wgs84')
    expect(parseCrsOption('CGCS2000').kind).toBe('wgs84')
    expect(parseCrsOption('gcj02').kind).toBe('gcj02')
    expect(parseCrsOption('bd-09').kind).toBe('bd09')
    expect(parseCrsOption('epsg:4546')).toMatchObject({ kind: 'proj', epsg: 4546 })
    expect(parseCrsOption('EPSG:4326').kind).toBe('wgs84')
  })

  it('refuses unknown names, unsupported codes and the Xi\'an 1980 / Beijing 1954 datums with a reason', () => {
    expect(() => parseCrsOption('mars')).toThrow(UsageError)
    expect(() => parseCrsOption('epsg:2000')).toThrow(/unsupported CRS EPSG:2000/)
    expect(() => parseCrsOption('epsg:2383')).toThrow(/Xi'an 1980 or Beijing 1954/)
    expect(() => crsFromHint({ definition: 'PROJCS["Xian_1980_3_Degree_GK_CM_111E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]]]', source: '.prj' })).toThrow(/seven-parameter/)
  })

  it('reads an ArcGIS .prj (ESRI WKT without authority) by its parameters', () => {
    const crs = crsFromHint({ definition: esriGaussKrugerPrj(4546), source: '.prj' })
    expect(crs.kind).toBe('proj')
    const p = fromWgs84(parseCrsOption('epsg:4546'))(seat)
    expect(metres(toWgs84(crs)(p), seat)).toBeLessThan(0.001)
  })

  it('reads an OGC WKT by its authority code', () => {
    expect(crsFromHint({ definition: wktFor(parseCrsOption('epsg:4525')), source: '.prj' })).toMatchObject({ kind: 'proj', epsg: 4525 })
    expect(crsFromHint({ definition: wktFor(parseCrsOption('wgs84')), source: '.prj' }).kind).toBe('wgs84')
  })

  it('guesses degrees, or a Gauss-Krüger zone from the zone number in x, else asks for --crs', () => {
    const feature = (p: number[]) => [{ index: 1, properties: {}, parts: [[[p, p, p, p]]], geometryType: 'Polygon' }]
    expect(guessCrs(feature(seat)).kind).toBe('wgs84')
    expect(guessCrs(feature([37517400, 3262000]))).toMatchObject({ kind: 'proj', epsg: 4525 })
    expect(guessCrs(feature([19517400, 3262000]))).toMatchObject({ kind: 'proj', epsg: 4497 })
    expect(() => guessCrs(feature([517400, 3262000]))).toThrow(/give --crs/)
  })
})

describe('conversions to WGS84', () => {
  it.each(['epsg:4546', 'epsg:4525', 'epsg:4497', 'epsg:3857', 'epsg:32649'])('%s round-trips within a millimetre', (name) => {
    const crs = parseCrsOption(name)
    expect(metres(toWgs84(crs)(fromWgs84(crs)(seat)), seat)).toBeLessThan(0.001)
  })

  it('GCJ-02 is offset by hundreds of metres and gcoord inverts it within its 1e-6° iteration (≈ 0.1 m)', () => {
    const crs = parseCrsOption('gcj02')
    const shifted = fromWgs84(crs)(seat)
    expect(metres(shifted, seat)).toBeGreaterThan(300)
    expect(metres(shifted, seat)).toBeLessThan(1000)
    expect(metres(toWgs84(crs)(shifted), seat)).toBeLessThan(0.12)
  })

  it('BD-09 round-trips within gcoord\'s accuracy (Baidu\'s closed-form inverse, ≈ 0.1 m)', () => {
    const crs = parseCrsOption('bd09')
    const shifted = fromWgs84(crs)(seat)
    expect(metres(shifted, seat)).toBeGreaterThan(460)
    expect(metres(toWgs84(crs)(shifted), seat)).toBeLessThan(0.2)
  })

  it('refuses positions outside China (a wrong CRS)', () => {
    const crs = parseCrsOption('epsg:4546')
    expect(() => assertInChina(toWgs84(crs)(seat), seat, crs)).toThrow(/outside China when read as .*EPSG:4546.*wrong --crs/)
    expect(() => assertInChina(seat, seat, crs)).not.toThrow()
  })
})
