import type { Config } from './config.ts'
import type { Logger } from './logger.ts'
import { join } from 'node:path'
import { contractSchemaSql } from './contract/tables.ts'
import { PgliteDatabase } from './db/pglite.ts'

/**
 * The embedded database as it is: opened (created when its directory is new), with the contract's
 * tables created when missing (`schema.sql` is idempotent), and never filled with anything. An empty
 * one gets a warning that says how to fill it; the server then starts on an empty township.
 */
export async function openEmbeddedDatabase(config: Config, logger: Logger): Promise<PgliteDatabase> {
  const dataDir = join(config.dataDir, 'pglite')
  const db = await PgliteDatabase.open({ dataDir })
  try {
    await db.exec(contractSchemaSql())
    const { rows } = await db.query<{ empty: boolean }>('select not exists (select 1 from townships) and not exists (select 1 from cases) as empty')
    if (rows[0]?.empty)
      logger.warn({ dataDir }, 'the embedded database holds no township: seed the mock one with `npm run mock` (or start the demo with `npm start`), or set DATABASE_URL to the township\'s database')
  }
  catch (error) {
    await db.close().catch(() => {})
    throw error
  }
  return db
}
