import type { FixtureFile } from '../../tools/geodata/fixtures.ts'
import type { Layers } from '../../tools/geodata/target/shared.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCrsOption } from '../../tools/geodata/crs.ts'
import { UsageError } from '../../tools/geodata/errors.ts'
import { layersOf, smallGeography, writeRoundTripFixtures } from '../../tools/geodata/fixtures.ts'
import { readSource } from '../../tools/geodata/formats/index.ts'
import { frameFor, hausdorffM } from '../../tools/geodata/geometry.ts'
import { prepareUnits } from '../../tools/geodata/units.ts'

/**
 * Every format in every datum its users meet, written by the fixtures script from the mock township
 * and read back: the same codes, names and polygons (within 0.5 m; GCJ-02 and BD-09 within gcoord's
 * accuracy, ≈ 0.1 m). And the reading errors that are bad input.
 */

let dir: string
let files: FixtureFile[]
let layers: Layers
const measured: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geodata-formats-'))
  layers = layersOf(smallGeography())
  files = await writeRoundTripFixtures(dir, layers)
}, 60_000)

afterAll(async () => {
  if (measured.length > 0)
    console.log(`round-trip error (max over vertices, m):\n${measured.join('\n')}`)
  await rm(dir, { recursive: true, force: true })
})

const BOUND_M: Record<string, number> = { 'wgs84': 0.01, 'epsg:4546': 0.01, 'epsg:4525': 0.01, 'gcj02': 0.12, 'bd09': 0.2 }

describe('round trip through each format and datum', () => {
  it('writes 15 variants of each level', () => {
    expect(files).toHaveLength(45)
  })

  it.each(['township', 'village', 'grid'] as const)('%s: every variant reads back with the same codes, names and polygons', async (level) => {
    const frame = frameFor(layers.township.map(f => f.parts))
    const original = new Map(layers[level].map(f => [f.code, f]))
    for (const file of files.filter(f => f.level === level)) {
      const source = await readSource(join(dir, file.name), { maxBytes: 1e8 })
      const prepared = prepareUnits(source, { level, crs: file.crsOption ? parseCrsOption(file.crsOption) : undefined })
      expect(prepared.units.map(u => [u.code, u.name]).sort(), file.name).toEqual([...original.values()].map(f => [f.code, f.name]).sort())
      const worst = Math.max(...prepared.units.map(u => hausdorffM(u.parts, original.get(u.code)!.parts, frame)))
      measured.push(`${file.name.padEnd(30)} ${worst.toFixed(4)}`)
      expect(worst, file.name).toBeLessThan(BOUND_M[file.crs]!)
    }
  }, 60_000)

  it('writes the area as a number in Shapefile and GeoPackage, for the county\'s GIS to sum', async () => {
    for (const name of ['villages-wgs84.zip', 'villages-epsg4546.gpkg']) {
      const source = await readSource(join(dir, name), { maxBytes: 1e8 })
      const areas = source.features.map(f => f.properties.AREA_KM2)
      expect(areas.every(a => typeof a === 'number' && a > 0), `${name}: ${areas.join(', ')}`).toBe(true)
      expect(areas).toEqual(layers.village.map(f => Math.round((f.properties.areaKm2 as number) * 1e4) / 1e4))
    }
  })

  it('reads a GBK .dbf without a .cpg (Chinese field names and values)', async () => {
    const file = files.find(f => f.name === 'villages-gcj02-gbk.zip')!
    const source = await readSource(join(dir, file.name), { maxBytes: 1e8 })
    expect(source.fields).toEqual(expect.arrayContaining(['编码', '名称', '上级代码']))
    expect(source.features.map(f => f.properties['名称'])).toContain('江西村')
  })
})

describe('bad input', () => {
  it('refuses an unknown format, a missing file and a file over the size limit before reading it', async () => {
    const text = join(dir, 'notes.txt')
    await writeFile(text, 'hello')
    await expect(readSource(text, { maxBytes: 1e8 })).rejects.toThrow(/unknown format of .*notes\.txt/)
    await expect(readSource(join(dir, 'missing.geojson'), { maxBytes: 1e8 })).rejects.toThrow(/no such file/)
    await expect(readSource(join(dir, 'grids-wgs84.geojson'), { maxBytes: 1000 })).rejects.toThrow(/MB, over the 0\.001 MB size limit/)
  })

  it('refuses an archive that unpacks to more than the limit, before inflating it', async () => {
    const bomb = join(dir, 'bomb.zip')
    await writeFile(bomb, zipSync({ 'a.shp': new Uint8Array(5_000_000) }, { level: 9 }))
    await expect(readSource(bomb, { maxBytes: 1e6 })).rejects.toThrow(/unpacks to more than 1 MB/)
  })

  it('refuses broken files with a UsageError naming them', async () => {
    const broken = join(dir, 'broken.geojson')
    await writeFile(broken, '{"type": "FeatureCollection", "features": [')
    await expect(readSource(broken, { maxBytes: 1e8 })).rejects.toThrow(UsageError)
    const kml = join(dir, 'broken.kml')
    await writeFile(kml, '<kml><Document><Placemark>')
    await expect(readSource(kml, { maxBytes: 1e8 })).rejects.toThrow(/not readable KML/)
    const gpkg = join(dir, 'broken.gpkg')
    await writeFile(gpkg, 'SQLite format 3\0 but not really')
    await expect(readSource(gpkg, { maxBytes: 1e8 })).rejects.toThrow(/not a readable GeoPackage/)
    const empty = join(dir, 'empty.zip')
    await writeFile(empty, zipSync({ 'readme.txt': new TextEncoder().encode('x') }))
    await expect(readSource(empty, { maxBytes: 1e8 })).rejects.toThrow(/holds no \.shp file \(found: readme\.txt\)/)
  })

  it('refuses coordinates that land outside China in the given CRS', async () => {
    const source = await readSource(join(dir, 'villages-wgs84.geojson'), { maxBytes: 1e8 })
    expect(() => prepareUnits(source, { level: 'village', crs: parseCrsOption('epsg:4546') })).toThrow(/outside China when read as .*EPSG:4546/)
    const projected = await readSource(join(dir, 'villages-epsg4546.geojson'), { maxBytes: 1e8 })
    expect(projected.crs?.epsg).toBe(4546)
    expect(() => prepareUnits({ ...projected, crs: undefined }, { level: 'village' })).toThrow(/not longitude\/latitude .* give --crs/)
  })
})
