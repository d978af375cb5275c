import type { FixtureFile, PlantedDefect } from '../../tools/geodata/fixtures.ts'
import type { Problem } from '../../tools/geodata/types.ts'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NO_CONTEXT, validate } from '../../tools/geodata/checks/index.ts'
import { parseCrsOption } from '../../tools/geodata/crs.ts'
import { loadDivisions } from '../../tools/geodata/divisions.ts'
import { writeDefectFixtures } from '../../tools/geodata/fixtures.ts'
import { readSource } from '../../tools/geodata/formats/index.ts'
import { frameAt } from '../../tools/geodata/geometry.ts'
import { prepareUnits } from '../../tools/geodata/units.ts'

/**
 * The deliberate defects of the fixtures (a self-intersection, an overlap, a gap, a duplicate vertex,
 * an unclosed ring, a wrong code, a misspelled name, an unknown code) are each reported with the right
 * kind, feature and place, in every format that carries them; the safe ones are repaired by --repair
 * and the result validates; the committed fixtures are what the script makes.
 */

const committed = fileURLToPath(new URL('../fixtures/geodata/', import.meta.url))
const divisions = loadDivisions()
let dir: string
let files: FixtureFile[]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geodata-defects-'))
  files = await writeDefectFixtures(dir)
}, 60_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const frame = frameAt(111.18, 29.47)
function metres(a: readonly number[], b: readonly number[]): number {
  const [ax, ay] = frame.toXY(a as number[])
  const [bx, by] = frame.toXY(b as number[])
  return Math.hypot(ax - bx, ay - by)
}

async function check(file: FixtureFile, repair = false): Promise<ReturnType<typeof validate>> {
  const source = await readSource(join(dir, file.name), { maxBytes: 1e8 })
  const prepared = prepareUnits(source, { level: file.level, crs: file.crsOption ? parseCrsOption(file.crsOption) : undefined })
  return validate(prepared.units, NO_CONTEXT, { level: file.level, tolerance: 0.5, repair, accept: new Set(), divisions, orientationByFormat: source.orientationByFormat })
}

function reported(problems: readonly Problem[], defect: PlantedDefect): Problem | undefined {
  return problems.find(p => p.kind === defect.kind && p.features.some(f => f.startsWith(defect.code)) && p.at !== undefined && metres(p.at, defect.at) < 50)
}

/** KML readers close rings as they read them (togeojson does, as Google Earth does): no unclosed ring survives. */
const carried = (file: FixtureFile, defect: PlantedDefect): boolean => !(defect.kind === 'ring-unclosed' && (file.format === 'kml' || file.format === 'kmz'))

describe('deliberate defects', () => {
  it('are planted in GeoJSON, Shapefile (CGCS2000 Gauss-Krüger), KML and GeoPackage files', () => {
    expect(files.map(f => f.name).sort()).toEqual([
      'grids-defects-epsg4546.zip',
      'grids-defects-wgs84.geojson',
      'grids-defects-wgs84.gpkg',
      'grids-defects-wgs84.kml',
      'grids-repairable-wgs84.geojson',
      'villages-defects-gcj02.kml',
      'villages-defects-wgs84.geojson',
    ])
    expect(files.find(f => f.name === 'grids-defects-wgs84.geojson')!.defects!.map(d => d.kind).sort()).toEqual(['code-parent-mismatch', 'duplicate-vertex', 'gap', 'overlap', 'ring-unclosed', 'self-intersection'])
  })

  it.each(['grids-defects-wgs84.geojson', 'grids-defects-epsg4546.zip', 'grids-defects-wgs84.kml', 'grids-defects-wgs84.gpkg', 'villages-defects-wgs84.geojson', 'villages-defects-gcj02.kml'])('%s: each defect is reported with its kind, feature and place, and nothing else', async (name) => {
    const file = files.find(f => f.name === name)!
    const v = await check(file)
    for (const defect of file.defects!.filter(d => carried(file, d)))
      expect(reported(v.problems, defect), `${defect.kind} of ${defect.code}`).toBeDefined()
    for (const p of v.problems) {
      const near = file.defects!.some(d => p.features.some(f => f.startsWith(d.code)) || (p.at && metres(p.at, d.at) < 100))
      expect(near, `unexpected ${p.kind}: ${p.message}`).toBe(true)
    }
    expect(v.blocking).toBeGreaterThan(0)
  })

  it('measures each defect: the overlap and gap are ≈ 30 m wide, the fold of the self-intersection is small', async () => {
    const v = await check(files.find(f => f.name === 'grids-defects-wgs84.geojson')!)
    const by = (kind: string): Problem => v.problems.find(p => p.kind === kind)!
    expect(by('overlap').widthM).toBeGreaterThan(20)
    expect(by('overlap').widthM).toBeLessThan(31)
    expect(by('gap').widthM).toBeGreaterThan(20)
    expect(by('overlap').areaM2).toBeGreaterThan(500)
    expect(by('self-intersection').areaM2).toBeGreaterThan(0)
    expect(by('self-intersection').areaM2).toBeLessThan(500)
    expect(by('code-parent-mismatch').suggestion).toMatch(/^a code starting with 430821103/)
  })

  it('suggests the official name and code for the village defects', async () => {
    const v = await check(files.find(f => f.name === 'villages-defects-wgs84.geojson')!)
    expect(v.problems.map(p => [p.kind, p.suggestion]).sort()).toEqual([['code-unknown', '430821103204 彩球村委会'], ['name-mismatch', '江西村']])
  })
})

describe('--repair', () => {
  const file = (): FixtureFile => files.find(f => f.name === 'grids-repairable-wgs84.geojson')!

  it('without it, the safe defects are reported as repairable and stop the import', async () => {
    const v = await check(file())
    expect(v.problems.map(p => `${p.kind}:${p.severity}`).sort()).toEqual(['duplicate-vertex:repairable', 'gap:repairable', 'overlap:repairable', 'ring-orientation:repairable', 'ring-unclosed:repairable'])
    for (const defect of file().defects!)
      expect(reported(v.problems, defect), defect.kind).toBeDefined()
    expect(v.blocking).toBe(5)
  })

  it('with it, they are repaired and listed, and the result validates', async () => {
    const v = await check(file(), true)
    expect(v.problems).toEqual([])
    expect(v.repairs.map(r => r.kind).sort()).toEqual(['close-ring', 'orient-ring', 'remove-duplicates', 'snap', 'snap'])
    const again = validate(v.units, NO_CONTEXT, { level: 'grid', tolerance: 0.5, repair: false, accept: new Set(), divisions, orientationByFormat: false })
    expect(again.problems).toEqual([])
  })

  it('does not repair the unsafe ones: they still stop the import', async () => {
    const v = await check(files.find(f => f.name === 'grids-defects-wgs84.geojson')!, true)
    expect(v.problems.map(p => p.kind)).toEqual(expect.arrayContaining(['self-intersection', 'overlap', 'gap', 'code-parent-mismatch']))
    expect(v.problems.every(p => p.severity === 'error')).toBe(true)
    expect(v.repairs.map(r => r.kind).sort()).toEqual(['close-ring', 'remove-duplicates'])
  })
})

describe('committed fixtures', () => {
  it.each(['defects.json', 'grids-defects-wgs84.geojson', 'grids-defects-wgs84.kml', 'grids-repairable-wgs84.geojson', 'villages-defects-wgs84.geojson', 'villages-defects-gcj02.kml'])('tests/fixtures/geodata/%s is what tools/geodata/fixtures.ts writes', async (name) => {
    expect(await readFile(join(committed, name), 'utf8')).toBe(await readFile(join(dir, name), 'utf8'))
  })

  // Zip entries and GeoPackages carry write times: compared by what they hold.
  it.each(['grids-defects-epsg4546.zip', 'grids-defects-wgs84.gpkg'])('tests/fixtures/geodata/%s holds what tools/geodata/fixtures.ts writes', async (name) => {
    const [kept, made] = await Promise.all([readSource(join(committed, name), { maxBytes: 1e8 }), readSource(join(dir, name), { maxBytes: 1e8 })])
    expect(kept.features.length).toBe(12)
    expect(kept.features).toEqual(made.features)
    expect(kept.crs).toEqual(made.crs)
    expect(kept.fields).toEqual(made.fields)
  })
})
