import type { Config } from './config.ts'
import type { Logger } from './logger.ts'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase, tablesWithData } from '../../mock/load.ts'
import { PgliteDatabase } from './db/pglite.ts'
// A template holds a year of cases ending on the local day it was made: keyed by that day.
import { localDateKey } from './domain/calendar.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** A short hash of what the seeded data depends on: the generator's code and the contract's schema. */
function generatorHash(): string {
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
  hash.update(readFileSync(join(root, 'server/src/contract/schema.sql')))
  return hash.digest('hex').slice(0, 10)
}

/** Seeds the mock township into `db` (a year of cases ending now). */
async function seedMock(db: PgliteDatabase, config: Config, logger: Logger): Promise<void> {
  const started = Date.now()
  const geo = generateGeography({ seed: config.mockSeed, township: config.mockTownship })
  const data = generateTownshipData(geo, { seed: config.mockSeed, now: new Date() })
  const result = await seedDatabase(db, data)
  logger.info({ ms: Date.now() - started, township: geo.township.properties.name, cases: result.rows.cases, cameras: result.rows.cameras }, 'seeded the mock township')
}

/**
 * The embedded database, ready to serve: reused when its directory already holds the contract;
 * otherwise created and seeded with the mock township — from a seeded template when one made today
 * by the same generator exists (restoring it takes well under a second, where initdb plus seeding
 * takes several), else seeded and saved as that template for the next new directory.
 */
export async function openEmbeddedDatabase(config: Config, logger: Logger): Promise<PgliteDatabase> {
  const dataDir = join(config.dataDir, 'pglite')
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    const db = await PgliteDatabase.open({ dataDir })
    if ((await tablesWithData(db)).length === 0)
      await seedMock(db, config, logger)
    return db
  }
  const template = join(config.templateDir, `township-${config.mockTownship}-seed${config.mockSeed}-${localDateKey(new Date())}-${generatorHash()}.tar`)
  if (existsSync(template)) {
    const started = Date.now()
    const db = await PgliteDatabase.open({ dataDir, loadDataDir: readFileSync(template) })
    logger.info({ ms: Date.now() - started, template }, 'embedded database created from the seeded template')
    return db
  }
  const db = await PgliteDatabase.open({ dataDir })
  await seedMock(db, config, logger)
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
  return db
}
