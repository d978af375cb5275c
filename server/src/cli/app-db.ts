import type { Config } from '../config.ts'
import type { Database } from '../db/types.ts'
import type { AuthService } from '../auth/service.ts'
import { join } from 'node:path'
import { migrateAppSchema } from '../auth/schema.ts'
import { AuthService as Service } from '../auth/service.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../db/index.ts'
import { configureTimeZone } from '../domain/calendar.ts'

/** Bad input to a command line: one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** The configuration, or a UsageError naming the bad variable. */
export function commandConfig(): Config {
  try {
    const config = loadConfig()
    configureTimeZone(config.timeZone)
    return config
  }
  catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(error.message)
    throw error
  }
}

/**
 * The database holding accounts and the audit log, as the server finds it: `APP_DATABASE_URL`, else
 * `DATABASE_URL`, else the embedded database in `DATA_DIR` (which one process at a time may open:
 * stop the server first, or use the admin API).
 */
export async function openAppDatabase(config: Config): Promise<{ db: Database, auth: AuthService }> {
  const url = config.appDatabaseUrl ?? config.databaseUrl
  let db: Database
  try {
    db = await openDatabase(url ? { url } : { dataDir: join(config.dataDir, 'pglite') })
  }
  catch (error) {
    const where = url ? 'the app database' : `the embedded database in ${config.dataDir} (is the server running? stop it first)`
    throw new UsageError(`cannot open ${where}: ${(error as Error).message.split('\n')[0]}`)
  }
  await migrateAppSchema(db)
  const auth = new Service(db, { idleMinutes: config.auth.idleMinutes, absoluteHours: config.auth.absoluteHours, maxFailures: config.auth.maxFailures, lockMinutes: config.auth.lockMinutes })
  return { db, auth }
}

/** Runs a command: a UsageError (or an account error) is one line on stderr and exit code 2. */
export async function runCommand(run: () => Promise<void>, isUsage: (error: unknown) => boolean = () => false): Promise<void> {
  try {
    await run()
  }
  catch (error) {
    if (error instanceof UsageError || isUsage(error)) {
      process.stderr.write(`error: ${(error as Error).message}\n`)
      process.exit(2)
    }
    throw error
  }
}
