import type { Database } from '../server/src/db/types.ts'
import type { Geography } from './geo/index.ts'
import type { TownshipData } from './rows.ts'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { createCalibrationTally } from './calibration.ts'
import { describeError as describe, parseOptions, redactUrl, UsageError } from './cli-util.ts'
import { generateTownshipData } from './generate.ts'
import { TOWNSHIPS } from './geo/divisions.ts'
import { DEFAULT_TOWNSHIP, generateCountyGeography, generateGeography, writeGeodata } from './geo/index.ts'
import { SeedRefusedError, seedDatabase, tablesWithData } from './load.ts'

/**
 * `npm run mock -- --seed 7 --scale township|county [--township 430821103] [--force]
 *   [--database-url URL] [--data-dir DIR] [--geodata-dir DIR] [--now ISO-8601]`
 *
 * Seeds the operational database (`--database-url`, else `DATABASE_URL`, else the embedded database
 * in `--data-dir`) and, only when `--geodata-dir` is given, writes the synthetic geography there once
 * the seeding succeeded. Seeding never rewrites files otherwise: `geodata/` is committed (seed 7,
 * 东岳观镇), and seeding another township into some database must not leave the checkout dirty. Bad
 * input is one line on stderr and exit code 2.
 */

/** Townships in the county benchmark (`--scale county`). */
export const COUNTY_TOWNSHIPS = 20

/** Parsed command line of `npm run mock`. */
export interface MockCliOptions {
  seed: number
  scale: 'township' | 'county'
  township: string
  force: boolean
  url: string | undefined
  dataDir: string
  /** Where to write the geography's GeoJSON; not written when absent. */
  geodataDir: string | undefined
  now: Date
}

/** Parses and validates the command line (throws UsageError with a one-line message). */
export function parseMockArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): MockCliOptions {
  const { str, flag } = parseOptions(argv, ['seed', 'scale', 'township', 'database-url', 'data-dir', 'geodata-dir', 'now'], ['force'])
  const seedText = str('seed') ?? '7'
  if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xFFFFFFFF)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got "${seedText}"`)
  const scale = str('scale') ?? 'township'
  if (scale !== 'township' && scale !== 'county')
    throw new UsageError(`unknown --scale "${scale}": use township or county`)
  const township = str('township') ?? DEFAULT_TOWNSHIP
  if (!/^\d{9}$/.test(township) || TOWNSHIPS[township] === undefined)
    throw new UsageError(`unknown --township "${township}": give the 9-digit code of a township of the seed counties (e.g. ${DEFAULT_TOWNSHIP}, 东岳观镇)`)
  if (scale === 'county') {
    const county = township.slice(0, 6)
    const count = Object.keys(TOWNSHIPS).filter(c => c.startsWith(county)).length
    if (count < COUNTY_TOWNSHIPS)
      throw new UsageError(`--scale county needs a county with ${COUNTY_TOWNSHIPS} townships; ${county} lists ${count} (use a township of 430821 慈利县 or 120113 北辰区)`)
  }
  const nowText = str('now')
  const now = nowText === undefined ? new Date(Math.floor(Date.now() / 1000) * 1000) : new Date(nowText)
  if (!Number.isFinite(now.getTime()))
    throw new UsageError(`--now must be an ISO-8601 time, got "${nowText}"`)
  return {
    seed: Number(seedText),
    scale,
    township,
    force: flag('force'),
    url: str('database-url') ?? (env.DATABASE_URL || undefined),
    dataDir: str('data-dir') ?? '.data/pglite',
    geodataDir: str('geodata-dir'),
    now,
  }
}

/** The geographies to seed (one township, or a county's) and the one that stands for them in `geodata/`. */
function geographiesOf(options: MockCliOptions): { geographies: Geography[], shown: Geography } {
  if (options.scale === 'township') {
    const shown = generateGeography({ seed: options.seed, township: options.township })
    return { geographies: [shown], shown }
  }
  const geographies = generateCountyGeography(options.seed, COUNTY_TOWNSHIPS, options.township.slice(0, 6)).townships
  return { geographies, shown: geographies.find(g => g.township.properties.code === options.township) ?? geographies[0]! }
}

/** Writes the GeoJSON into `dir` (a county's townships also under `county/<code>/`). */
async function writeGeodataFiles(dir: string, geographies: readonly Geography[], shown: Geography): Promise<void> {
  const started = Date.now()
  if (geographies.length > 1) {
    for (const geo of geographies)
      await writeGeodata(geo, join(dir, 'county', geo.township.properties.code))
  }
  await writeGeodata(shown, dir)
  console.log(`mock: geodata for ${shown.township.properties.name} (${shown.township.properties.code}) written to ${dir}/ in ${Date.now() - started} ms`)
}

/** Generates every township's data lazily (one in memory at a time), seeds it, and prints the calibration figures. */
async function seedTownships(db: Database, options: MockCliOptions, geographies: readonly Geography[], where: string): Promise<void> {
  const tally = createCalibrationTally(options.now)
  function* townships(): Generator<TownshipData> {
    for (const [index, geo] of geographies.entries()) {
      const data = generateTownshipData(geo, { seed: options.seed, now: options.now, townshipIndex: index })
      tally.add(data)
      yield data
    }
  }
  let lastTownship = ''
  const result = await seedDatabase(db, townships(), {
    force: options.force,
    onProgress: ({ township }) => {
      if (township !== lastTownship && geographies.length > 1) {
        lastTownship = township
        process.stdout.write(`mock: loading township ${township}\n`)
      }
    },
  })
  const s = tally.summary()
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`
  console.log(`mock: seeded ${where} in ${(result.ms / 1000).toFixed(1)} s: ${result.townships} township(s), ${s.villages} villages, ${s.grids} grids, ${result.rows.cases} cases, ${result.rows.case_events} case events, ${result.rows.cameras} cameras, ${result.rows.iot_alarms} IoT alarms`)
  console.log(`mock: households ${s.households}, residents ${s.residents} + ${s.nonLocalResidents} non-local, party members ${s.partyMembers}, cameras online ${pct(s.cameraOnlineRate)}, cases/year ${s.casesPerYear}, within SLA ${pct(s.withinSlaRate)}, settled at village level ${pct(s.villageLevelRate)}, satisfaction ${pct(s.satisfactionRate)}, open ${s.openCases} (${s.overdueCases} overdue)`)
}

/** Seeds the open database, then writes the geodata when asked; resolves to the exit code. */
async function seedOpenDatabase(db: Database, options: MockCliOptions, where: string): Promise<number> {
  try {
    // Refuse before generating anything; the seeding transaction checks again.
    const occupied = await tablesWithData(db)
    if (occupied.length > 0 && !options.force) {
      console.error(`mock: ${new SeedRefusedError(occupied).message}`)
      return 2
    }
    const { geographies, shown } = geographiesOf(options)
    await seedTownships(db, options, geographies, where)
    // Only after the seeding succeeded: a failed run writes nothing, files included.
    if (options.geodataDir !== undefined)
      await writeGeodataFiles(options.geodataDir, geographies, shown)
    return 0
  }
  catch (error) {
    if (error instanceof SeedRefusedError) {
      console.error(`mock: ${error.message}`)
      return 2
    }
    console.error(`mock: seeding failed, nothing was written: ${describe(error)}`)
    return 1
  }
}

/** Runs `npm run mock`; resolves to the exit code. */
export async function runMockCli(argv: readonly string[]): Promise<number> {
  let options: MockCliOptions
  try {
    options = parseMockArgs(argv)
  }
  catch (error) {
    console.error(`mock: ${describe(error)}`)
    return error instanceof UsageError ? 2 : 1
  }
  const where = options.url ? redactUrl(options.url) : options.dataDir
  const { openDatabase } = await import('../server/src/db/index.ts')
  let db: Database
  try {
    db = await openDatabase(options.url ? { url: options.url } : { dataDir: options.dataDir })
  }
  catch (error) {
    console.error(`mock: cannot open the database at ${where}: ${describe(error)}`)
    return 2
  }
  try {
    return await seedOpenDatabase(db, options, where)
  }
  finally {
    await db.close().catch(() => {})
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runMockCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  }, (error: unknown) => {
    console.error(`mock: ${describe(error)}`)
    process.exitCode = 1
  })
}
