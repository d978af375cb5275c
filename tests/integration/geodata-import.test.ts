import type { Database } from '../../server/src/db/types.ts'
import type { Layers } from '../../tools/geodata/target/shared.ts'
import type { Level } from '../../tools/geodata/types.ts'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import polygonClipping from 'polygon-clipping'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { contractSchemaSql } from '../../server/src/contract/tables.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { NO_CONTEXT, validate } from '../../tools/geodata/checks/index.ts'
import { runGeodataCli } from '../../tools/geodata/cli.ts'
import { parseCrsOption } from '../../tools/geodata/crs.ts'
import { loadDivisions } from '../../tools/geodata/divisions.ts'
import { layerBytes } from '../../tools/geodata/export.ts'
import { plantGridDefects, plantRepairableDefects } from '../../tools/geodata/fixtures-defects.ts'
import { readSource } from '../../tools/geodata/formats/index.ts'
import { frameFor, hausdorffM, pointInPolygon } from '../../tools/geodata/geometry.ts'
import { readDatabaseLayers } from '../../tools/geodata/target/database.ts'
import { readFilesLayers } from '../../tools/geodata/target/files.ts'
import { prepareUnits } from '../../tools/geodata/units.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'

/**
 * `npm run geodata -- import` into the integration contract on the embedded database and on
 * PostgreSQL (each test file in its own database): the committed mock township (16 villages, 149
 * grids) exported to a Shapefile in CGCS2000 Gauss-Krüger, a KMZ in GCJ-02 and a GeoPackage in
 * another zone, imported level by level, reads back with the same codes, names and polygons within
 * 0.5 m; a file with unsafe defects or a failure in the middle of the write leaves the database as it
 * was; --repair imports the safe ones and the result validates; --retire-missing is needed to retire;
 * `export` writes what the database holds as files that read back the same.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))
const layers = await readFilesLayers(join(root, 'geodata'), undefined)
const frame = frameFor(layers.township.map(f => f.parts))
const postgres = await postgresAvailable()
let work: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'geodata-import-'))
  const files: [Level, string, string][] = [['township', 'township.zip', 'epsg:4546'], ['village', 'villages.kmz', 'gcj02'], ['grid', 'grids.gpkg', 'epsg:4525']]
  for (const [level, name, crs] of files)
    await writeFile(join(work, name), await layerBytes(level, layers[level], name.endsWith('.zip') ? 'shapefile' : name.endsWith('.kmz') ? 'kmz' : 'gpkg', parseCrsOption(crs)))
  const defective = plantGridDefects(layers.grid, frame).features
  await writeFile(join(work, 'grids-defects.geojson'), await layerBytes('grid', defective, 'geojson', parseCrsOption('wgs84')))
  const repairable = plantRepairableDefects(layers.grid, frame).features
  await writeFile(join(work, 'grids-repairable.geojson'), await layerBytes('grid', repairable, 'geojson', parseCrsOption('wgs84')))
}, 120_000)

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** Runs the command line in this process; returns its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number, out: string }> {
  const chunks: string[] = []
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(String(chunk))
    return true
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture)
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture)
  try {
    return { code: await runGeodataCli([...args, '--report-dir', join(work, 'reports')]), out: chunks.join('') }
  }
  finally {
    out.mockRestore()
    err.mockRestore()
  }
}

interface Target {
  args: string[]
  open: () => Promise<Database>
  drop: () => Promise<void>
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'geodata-pglite-'))
  const db = await openDatabase({ dataDir })
  await db.exec(contractSchemaSql())
  await db.close()
  return { args: ['--data-dir', dataDir], open: () => openDatabase({ dataDir }), drop: () => rm(dataDir, { recursive: true, force: true }) }
}

async function postgresTarget(): Promise<Target> {
  const test = await createTestDatabase('geodata')
  const db = await openDatabase({ url: test.url })
  await db.exec(contractSchemaSql())
  await db.close()
  return { args: ['--database-url', test.url], open: () => openDatabase({ url: test.url }), drop: test.drop }
}

async function withDb<T>(target: Target, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await target.open()
  try {
    return await fn(db)
  }
  finally {
    await db.close()
  }
}

const snapshot = (target: Target): Promise<unknown[]> => withDb(target, async db =>
  (await db.query('select code, name, boundary::text as b, active, updated_at from grids order by code')).rows)

function expectSameLayers(stored: Layers, levels: readonly Level[], boundM: number): void {
  for (const level of levels) {
    const original = new Map(layers[level].map(f => [f.code, f]))
    expect(stored[level].map(f => [f.code, f.name]).sort()).toEqual([...original.values()].map(f => [f.code, f.name]).sort())
    const worst = Math.max(...stored[level].map(f => hausdorffM(f.parts, original.get(f.code)!.parts, frame)))
    console.log(`${level}: round-trip error ${worst.toFixed(4)} m`)
    expect(worst).toBeLessThan(boundM)
  }
}

/** A trigger fails the second update: the import exits 1 and the grids are as they were. */
async function failMidway(target: Target): Promise<void> {
  await withDb(target, db => db.exec(`
    create sequence geodata_test_updates;
    create function geodata_test_fail() returns trigger language plpgsql as $$
    begin if nextval('geodata_test_updates') = 2 then raise exception 'simulated failure'; end if; return new; end $$;
    create trigger geodata_test_fail before update on grids for each row execute function geodata_test_fail();`))
  const before = await snapshot(target)
  const { code, out } = await cli('import', join(work, 'grids-repairable.geojson'), '--level', 'grid', '--repair', ...target.args)
  expect(code).toBe(1)
  expect(out).toMatch(/failed, nothing was written: .*simulated failure/)
  expect(await snapshot(target)).toEqual(before)
  await withDb(target, db => db.exec('drop trigger geodata_test_fail on grids; drop function geodata_test_fail(); drop sequence geodata_test_updates;'))
}

/** Two villages merged into one: refused while the other is still there, accepted with --retire-missing. */
async function mergeAndRetire(target: Target): Promise<void> {
  const [a, b] = [layers.village.find(f => f.code === '430821103203')!, layers.village.find(f => f.code === '430821103204')!]
  const merged = polygonClipping.union(a.parts as polygonClipping.MultiPolygon, b.parts as polygonClipping.MultiPolygon)
  expect(merged).toHaveLength(1)
  const villages = layers.village.filter(f => f !== b).map(f => (f === a ? { ...f, parts: merged } : f))
  const file = join(work, 'villages-merged.geojson')
  await writeFile(file, await layerBytes('village', villages, 'geojson', parseCrsOption('wgs84')))
  const refused = await cli('import', file, '--level', 'village', ...target.args)
  expect(refused.code).toBe(1)
  expect(refused.out).toMatch(/overlap +430821103203 江西村 × 430821103204 彩球村/)
  const { code, out } = await cli('import', file, '--level', 'village', '--retire-missing', ...target.args)
  expect(code, out).toBe(0)
  expect(out).toMatch(/0 inserted, \d+ updated, \d+ unchanged, 1 retired/)
  const active = await withDb(target, async db => (await db.query<{ code: string, active: boolean }>(`select code, active from villages where code in ('430821103203', '430821103204') order by code`)).rows)
  expect(active).toEqual([{ code: '430821103203', active: true }, { code: '430821103204', active: false }])
}

describe.each([['PGlite (embedded)', pgliteTarget, false], ['PostgreSQL', postgresTarget, !postgres]] as const)('geodata import into %s', (_name, make, skip) => {
  let target: Target

  beforeAll(async () => {
    if (!skip)
      target = await make()
  }, 120_000)

  afterAll(async () => {
    await target?.drop()
  })

  it.skipIf(skip)('imports township, villages and grids from three formats and datums; they read back within 0.5 m', async () => {
    for (const [file, level, crs] of [['township.zip', 'township', []], ['villages.kmz', 'village', ['--crs', 'gcj02']], ['grids.gpkg', 'grid', []]] as const) {
      const { code, out } = await cli('import', join(work, file), '--level', level, ...crs, ...target.args)
      expect(code, out).toBe(0)
      expect(out).toMatch(/inserted/)
    }
    const stored = await withDb(target, db => readDatabaseLayers(db, undefined))
    expectSameLayers(stored, ['township', 'village', 'grid'], 0.5)
    for (const f of stored.grid)
      expect(pointInPolygon(f.properties.labelPoint as [number, number], f.parts[0]!)).toBe(true)
    const kinds = await withDb(target, async db => (await db.query<{ code: string, kind: string }>('select code, kind from villages order by code')).rows)
    expect(kinds).toEqual(layers.village.map(f => ({ code: f.code, kind: f.properties.kind })).sort((a, b) => a.code.localeCompare(b.code)))
  }, 180_000)

  it.skipIf(skip)('leaves unchanged rows alone when the same file is imported again', async () => {
    const before = await snapshot(target)
    const { code, out } = await cli('import', join(work, 'grids.gpkg'), '--level', 'grid', ...target.args)
    expect(code).toBe(0)
    expect(out).toMatch(/0 inserted, 0 updated, 149 unchanged, 0 retired/)
    expect(await snapshot(target)).toEqual(before)
  }, 120_000)

  it.skipIf(skip)('exports what the database holds to GeoJSON and Shapefile (and GeoPackage in CGCS2000), which read back as imported', async () => {
    const out = await mkdtemp(join(work, 'export-'))
    const { code, out: printed } = await cli('export', ...target.args, '--out', out, '--format', 'geojson,shapefile')
    expect(code, printed).toBe(0)
    expect(printed).toMatch(/exported 1 township\(s\), 16 village\(s\), 149 grid\(s\) from .* in WGS84/)
    const projected = await cli('export', ...target.args, '--out', join(out, 'gk'), '--format', 'gpkg', '--crs', 'epsg:4546', '--level', 'village')
    expect(projected.code, projected.out).toBe(0)
    const files: [Level, string][] = [['township', 'township.geojson'], ['township', 'township.zip'], ['village', 'villages.geojson'], ['village', 'villages.zip'], ['village', 'gk/villages.gpkg'], ['grid', 'grids.geojson'], ['grid', 'grids.zip']]
    for (const [level, name] of files) {
      const source = await readSource(join(out, name), { maxBytes: 1e8 })
      const prepared = prepareUnits(source, { level })
      const exported: Layers = { township: [], village: [], grid: [] }
      exported[level] = prepared.units.map(u => ({ code: u.code, name: u.name, parent: u.parent ?? '', parts: u.parts, properties: {} }))
      expectSameLayers(exported, [level], 0.5)
      if (level !== 'township')
        expect(prepared.units.map(u => [u.code, u.parent]).sort(), name).toEqual(layers[level].map(f => [f.code, f.parent]).sort())
    }
  }, 120_000)

  it.skipIf(skip)('stops at unsafe defects: nothing is written', async () => {
    const before = await snapshot(target)
    const { code, out } = await cli('import', join(work, 'grids-defects.geojson'), '--level', 'grid', '--repair', ...target.args)
    expect(code).toBe(1)
    expect(out).toMatch(/self-intersection/)
    expect(out).toMatch(/import stopped, nothing was written/)
    expect(await snapshot(target)).toEqual(before)
  }, 120_000)

  it.skipIf(skip)('rolls back a write that fails midway: nothing half-applied', () => failMidway(target), 120_000)

  it.skipIf(skip)('imports the safe defects with --repair, and the stored grids validate', async () => {
    const { code, out } = await cli('import', join(work, 'grids-repairable.geojson'), '--level', 'grid', '--repair', ...target.args)
    expect(code, out).toBe(0)
    expect(out).toMatch(/\d safe repair\(s\) applied/)
    expect(out).toMatch(/0 inserted, [1-9] updated/)
    const stored = await withDb(target, db => readDatabaseLayers(db, undefined))
    const units = stored.grid.map((f, i) => ({ index: i + 1, code: f.code, name: f.name, parent: f.parent, parentSource: 'field' as const, parts: f.parts }))
    const parents = new Map(stored.village.map(f => [f.code, { code: f.code, name: f.name, parent: f.parent, parts: f.parts }]))
    const v = validate(units, { ...NO_CONTEXT, parents, hasTarget: true }, { level: 'grid', tolerance: 0.5, repair: false, accept: new Set(), divisions: loadDivisions(), orientationByFormat: false })
    expect(v.problems).toEqual([])
    expectSameLayers(stored, ['grid'], 0.5)
  }, 120_000)

  it.skipIf(skip)('retires a village only with --retire-missing (two villages merged into one)', () => mergeAndRetire(target), 120_000)
})

describe('geodata import into a geodata directory', () => {
  it('replaces the level\'s file atomically, keeping other properties, and leaves it untouched when stopped', async () => {
    const dir = join(work, 'geodata')
    await cp(join(root, 'geodata'), dir, { recursive: true })
    const original = await readFile(join(dir, 'grids.geojson'), 'utf8')
    const stopped = await cli('import', join(work, 'grids-defects.geojson'), '--level', 'grid', '--geodata-dir', dir)
    expect(stopped.code).toBe(1)
    expect(await readFile(join(dir, 'grids.geojson'), 'utf8')).toBe(original)
    const { code, out } = await cli('import', join(work, 'grids-repairable.geojson'), '--level', 'grid', '--repair', '--geodata-dir', dir)
    expect(code, out).toBe(0)
    expect(out).toMatch(/0 inserted, 4 updated, 145 unchanged, 0 retired/)
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'grids.geojson', 'roads.geojson', 'township.geojson', 'villages.geojson'])
    const stored = await readFilesLayers(dir, undefined)
    expect(stored.grid).toHaveLength(149)
    expect(Object.keys(stored.grid[0]!.properties).sort()).toEqual(['areaKm2', 'code', 'labelPoint', 'name', 'villageCode'])
    expectSameLayers(stored, ['grid'], 0.5)
  }, 120_000)

  it('exports a geodata directory to GeoJSON and Shapefile that check clean', async () => {
    const out = join(work, 'export')
    const exported = await cli('export', '--geodata-dir', join(root, 'geodata'), '--out', out)
    expect(exported.code, exported.out).toBe(0)
    expect((await readdir(out)).sort()).toEqual(['grids.geojson', 'grids.zip', 'township.geojson', 'township.zip', 'villages.geojson', 'villages.zip'])
    const checked = await cli('check', join(out, 'villages.zip'), '--level', 'village', '--geodata-dir', join(root, 'geodata'))
    expect(checked.code, checked.out).toBe(0)
  }, 120_000)
})
