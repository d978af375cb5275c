import type { Database } from './types.ts'
import { PgliteDatabase } from './pglite.ts'
import { PostgresDatabase } from './postgres.ts'

export { DatabaseError } from './errors.ts'
export type { Database, Queryable, QueryResult } from './types.ts'
export { PgliteDatabase, PostgresDatabase }

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection URL; when absent, the embedded database. */
  url?: string
  /** The embedded database's directory (kept between runs); in memory when absent. */
  dataDir?: string
  /** Seeded template (from `PgliteDatabase.dumpDataDir`) for a new embedded database directory. */
  loadDataDir?: Uint8Array
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url)
    return PostgresDatabase.open(options.url)
  return PgliteDatabase.open({ dataDir: options.dataDir, loadDataDir: options.loadDataDir })
}
