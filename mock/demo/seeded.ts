import type { Config } from '../../server/src/config.ts'
import type { Logger } from '../../server/src/logger.ts'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PgliteDatabase } from '../../server/src/db/pglite.ts'
// A template holds a year of cases ending on the local day it was made: keyed by that day.
import { localDateKey } from '../../server/src/domain/calendar.ts'
import { generateTownshipData } from '../generate.ts'
import { generateGeography } from '../geo/index.ts'
import { seedDatabase, tablesWithData } from '../load.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A short hash of what the seeded data depends on: the mock's code, the domain rules it generates
 * by (categories, SLA tiers, the calendar) and the contract's schema.
 */
export function generatorHash(): string {
  const hash = createHash('sha256')
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry)
      if (statSync(path).isDirectory())
        walk(path)
      else if (entry.endsWith('.ts'))
        hash.update(entry).update(readFileSync(path))
    }
  }
  walk(join(root, 'mock'))
  if (existsSync(join(root, 'server/src/domain')))
    walk(join(root, 'server/src/domain'))
  hash.update(readFileSync(join(root, 'server/src/contract/schema.sql')))
  return hash.digest('hex').slice(0, 10)
}

/** Where today's seeded template of the configured township lives. */
export function templatePath(config: Config, day = new Date()): string {
  return join(config.templateDir, `township-${config.mockTownship}-seed${config.mockSeed}-${localDateKey(day)}-${generatorHash()}.tar`)
}

/** Seeds the mock township into `db` (a year of cases ending now). */
async function seedMock(db: PgliteDatabase, config: Config, logger: Logger): Promise<void> {
  const started = Date.now()
  const geo = generateGeography({ seed: config.mockSeed, township: config.mockTownship })
  const data = generateTownshipData(geo, { seed: config.mockSeed, now: new Date() })
  const result = await seedDatabase(db, data)
  logger.info({ ms: Date.now() - started, township: geo.township.properties.name, cases: result.rows.cases, cameras: result.rows.cameras }, 'seeded the mock township')
}

/** Saves a seeded database as the template for the next new directory, and drops older templates. */
async function saveTemplate(db: PgliteDatabase, config: Config, template: string, logger: Logger): Promise<void> {
  try {
    mkdirSync(config.templateDir, { recursive: true })
    // Written aside and renamed, so a concurrent start never reads half a template.
    const partial = `${template}.${process.pid}.partial`
    writeFileSync(partial, await db.dumpDataDir())
    renameSync(partial, template)
    for (const old of readdirSync(config.templateDir)) {
      if (old.startsWith('township-') && join(config.templateDir, old) !== template && !old.endsWith('.partial'))
        unlinkSync(join(config.templateDir, old))
    }
  }
  catch (error) {
    logger.warn({ err: (error as Error).message }, 'could not save the seeded template (the next new database will be seeded again)')
  }
}

/**
 * The demo's embedded database, ready to serve: reused when its directory already holds the contract;
 * created from a seeded template when one made today by the same generator exists (restoring it takes
 * well under a second); otherwise seeded with the mock township — in a child process, which also saves
 * the template, so that the server never carries the generator's memory (a year of cases through COPY
 * takes the seeding process to several hundred MB; the server stays at its usual size).
 */
export async function openSeededEmbedded(config: Config, logger: Logger): Promise<PgliteDatabase> {
  const dataDir = join(config.dataDir, 'pglite')
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    const db = await PgliteDatabase.open({ dataDir })
    if ((await tablesWithData(db)).length > 0)
      return db
    await db.close()
  }
  else {
    const template = templatePath(config)
    if (existsSync(template)) {
      const started = Date.now()
      const db = await PgliteDatabase.open({ dataDir, loadDataDir: readFileSync(template) })
      logger.info({ ms: Date.now() - started, template }, 'embedded database created from the seeded template')
      return db
    }
  }
  await seedInChild(config, logger)
  return PgliteDatabase.open({ dataDir })
}

/** The seeding entry beside this code: the built one (`seed.mjs`) or the TypeScript source. */
function seedEntry(): string {
  const built = fileURLToPath(new URL('./seed.mjs', import.meta.url))
  return import.meta.url.endsWith('.mjs') && existsSync(built) ? built : fileURLToPath(new URL('./seed-main.ts', import.meta.url))
}

async function seedInChild(config: Config, logger: Logger): Promise<void> {
  const started = Date.now()
  logger.info({ township: config.mockTownship, seed: config.mockSeed }, 'seeding the mock township (first start, in a child process)')
  const child = spawn(process.execPath, [...process.execArgv, seedEntry()], { stdio: 'inherit', env: { ...process.env, DATA_DIR: config.dataDir, TEMPLATE_DIR: config.templateDir } })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0)
    throw new Error(`seeding the mock township failed (exit code ${code})`)
  logger.info({ ms: Date.now() - started }, 'mock township seeded')
}

/** Seeds the embedded database in `DATA_DIR` and saves today's template (the child process's work). */
export async function seedEmbedded(config: Config, logger: Logger): Promise<void> {
  const db = await PgliteDatabase.open({ dataDir: join(config.dataDir, 'pglite') })
  try {
    if ((await tablesWithData(db)).length === 0)
      await seedMock(db, config, logger)
    await saveTemplate(db, config, templatePath(config), logger)
  }
  finally {
    await db.close()
  }
}
