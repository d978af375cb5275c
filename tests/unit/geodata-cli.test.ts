import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCli } from '../../tools/geodata/options.ts'

/**
 * `npm run geodata`: bad input is one line on stderr and exit code 2 (as for `npm run mock`); a check
 * that finds problems exits 1 and names its report and picture; a clean check exits 0.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixtures = join(root, 'tests/fixtures/geodata')
const tsx = join(root, 'node_modules/.bin/tsx')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geodata-cli-'))
  await writeFile(join(dir, 'notes.txt'), 'not a boundary file')
  await writeFile(join(dir, 'nameless.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { FID: 1, LABEL: 'x' }, geometry: { type: 'Polygon', coordinates: [[[111.1, 29.4], [111.2, 29.4], [111.2, 29.5], [111.1, 29.4]]] } }] }))
  // Metres with a zone-like 37 in front of x and no CRS declared: guessed as CGCS2000 Gauss-Krüger zone
  // 37 (EPSG:4525), which puts them on the equator — the guess is wrong, not the geometry.
  await writeFile(join(dir, 'local-metres.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '430821103203', name: '江西村' }, geometry: { type: 'Polygon', coordinates: [[[37511000, 29000], [37512000, 29000], [37512000, 30000], [37511000, 29000]]] } }] }))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function run(args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [join(root, 'tools/geodata/cli.ts'), ...args], { cwd: root, timeout: 60_000, env: { ...process.env, DATABASE_URL: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

const bad: [string, () => string[], RegExp][] = [
  ['unknown format', () => ['check', join(dir, 'notes.txt'), '--level', 'village'], /unknown format of .*notes\.txt: give a \.geojson, \.zip \(Shapefile\), \.shp, \.kml, \.kmz or \.gpkg file/],
  ['missing code field', () => ['check', join(dir, 'nameless.geojson'), '--level', 'village'], /no code field found: give --code-field \(fields: FID, LABEL\)/],
  ['wrong CRS', () => ['check', join(fixtures, 'villages-defects-wgs84.geojson'), '--level', 'village', '--crs', 'epsg:4546'], /coordinates fall outside China when read as .*EPSG:4546.*wrong --crs\?/],
  ['wrong CRS guessed from the coordinates', () => ['check', join(dir, 'local-metres.geojson'), '--level', 'village'], /coordinates fall outside China when read as .*EPSG:4525, from the zone number in x.*wrong --crs\?/],
  ['file over the size limit', () => ['check', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'grid', '--max-size-mb', '0.01'], /is 0\.0272 MB, over the 0\.01 MB size limit \(--max-size-mb\)/],
  ['unknown level', () => ['check', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'county'], /unknown --level "county": use township, village or grid/],
  ['unknown option', () => ['check', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'grid', '--bogus'], /Unknown option '--bogus'/],
  ['negative tolerance', () => ['import', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'grid', '--geodata-dir', dir, '--tolerance-m', '-1'], /--tolerance-m must be a positive number, got "-1"/],
  ['import without a target', () => ['import', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'grid'], /import needs a target: --database-url URL, --data-dir DIR/],
  ['unreachable database', () => ['import', join(fixtures, 'grids-defects-wgs84.geojson'), '--level', 'grid', '--database-url', 'postgres://postgres:secret@127.0.0.1:1/nowhere'], /cannot open the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere/],
]

describe('npm run geodata: bad input', () => {
  it.each(bad)('%s → one line on stderr, exit code 2', async (_, args, message) => {
    const { code, stderr, stdout } = await run(args())
    expect(code).toBe(2)
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^geodata: /)
    expect(lines[0]).toMatch(message)
    expect(lines[0]).not.toMatch(/secret/)
    expect(stdout).not.toMatch(/error|stopped/)
  }, 60_000)
})

describe('npm run geodata -- check', () => {
  it('exits 1 on defects, listing them and naming the report and its picture', async () => {
    const { code, stdout } = await run(['check', join(fixtures, 'grids-defects-epsg4546.zip'), '--level', 'grid', '--report-dir', dir])
    expect(code).toBe(1)
    expect(stdout).toMatch(/CRS CGCS2000_3_Degree_GK_CM_111E \(\.prj\)/)
    expect(stdout).toMatch(/self-intersection +430821103203001 江西村第1网格 at 111\.18\d+,29\.4\d+/)
    expect(stdout).toMatch(/report .*\.txt, picture .*\.html/)
    expect(stdout).toMatch(/problem\(s\) would stop an import/)
  }, 60_000)

  it('says when the official list cannot check the codes and names (a township it does not hold)', async () => {
    const file = join(dir, 'villages-elsewhere.geojson')
    await writeFile(file, (await readFile(join(fixtures, 'villages-defects-wgs84.geojson'), 'utf8')).replaceAll('430821103', '430821104'))
    const { code, stdout } = await run(['check', file, '--level', 'village', '--report-dir', dir])
    expect(code).toBe(0)
    expect(stdout).toMatch(/codes and names not compared with the official list: it has no villages of 430821104 \(give --divisions DIR/)
    const { stdout: covered } = await run(['check', join(fixtures, 'villages-defects-wgs84.geojson'), '--level', 'village', '--report-dir', dir])
    expect(covered).toMatch(/name-mismatch/)
    expect(covered).not.toMatch(/not compared with the official list/)
  }, 60_000)

  it('keeps going with its own exit code when its output is cut short (… | head)', async () => {
    const command = `set -o pipefail; '${tsx}' '${join(root, 'tools/geodata/cli.ts')}' check '${join(fixtures, 'grids-defects-wgs84.geojson')}' --level grid --report-dir '${dir}' | head -c 1 >/dev/null`
    const { code, stderr } = await new Promise<{ code: number | null, stderr: string }>((resolve) => {
      execFile('bash', ['-c', command], { cwd: root, timeout: 60_000 }, (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }))
    })
    expect(stderr).toBe('')
    expect(code).toBe(1)
  }, 60_000)

  it('exits 0 when --repair leaves nothing', async () => {
    const { code, stdout } = await run(['check', join(fixtures, 'grids-repairable-wgs84.geojson'), '--level', 'grid', '--repair', '--report-dir', dir])
    expect(code).toBe(0)
    expect(stdout).toMatch(/no problems found/)
    expect(stdout).toMatch(/5 safe repair\(s\) applied/)
  }, 60_000)
})

describe('parseCli', () => {
  it('defaults: tolerance 0.5 m, 100 MB, reports under .data/geodata-reports, export as GeoJSON and Shapefile in WGS84', () => {
    expect(parseCli(['check', 'a.zip', '--level', 'villages'], {})).toMatchObject({ command: 'check', file: 'a.zip', level: 'village', toleranceM: 0.5, maxSizeMb: 100, repair: false, target: undefined, reportDir: '.data/geodata-reports' })
    expect(parseCli(['export', '--geodata-dir', 'geodata', '--out', 'out'], {})).toMatchObject({ formats: ['geojson', 'shapefile'], levels: ['township', 'village', 'grid'], crs: { kind: 'wgs84' } })
  })

  it('takes DATABASE_URL as the target when no option names one', () => {
    expect(parseCli(['import', 'a.zip', '--level', 'grid'], { DATABASE_URL: 'postgres://x/y' })).toMatchObject({ target: { kind: 'database', url: 'postgres://x/y' } })
    expect(() => parseCli(['import', 'a.zip', '--level', 'grid', '--geodata-dir', 'g', '--data-dir', 'd'], {})).toThrow(/give one target/)
  })

  it('accepts only the kinds a township may have reasons for', () => {
    expect(parseCli(['check', 'a.zip', '--level', 'village', '--accept', 'name-mismatch,code-unknown'], {})).toMatchObject({ accept: new Set(['name-mismatch', 'code-unknown']) })
    expect(() => parseCli(['check', 'a.zip', '--level', 'village', '--accept', 'overlap'], {})).toThrow(/--accept takes name-mismatch, code-unknown, area-implausible, sliver; got "overlap"/)
  })
})
