import type { ServerType } from '@hono/node-server'
import type { Config } from './config.ts'
import type { Database } from './db/types.ts'
import type { HubOptions } from './live/hub.ts'
import type { Logger } from './logger.ts'
import type { RunningProduct } from './server.ts'
import { join } from 'node:path'
import { openEmbeddedDatabase } from './bootstrap.ts'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/index.ts'
import { configureTimeZone } from './domain/calendar.ts'
import { createLogger } from './logger.ts'
import { startProduct, StartError } from './server.ts'
import { startWaitingServer, stopWaitingServer } from './waiting.ts'

/** Something that writes into the database beside the server (the demo's simulator), started after it listens. */
export interface Activity {
  /** Resolves once it runs; a rejection is logged as a warning, the server carries on. */
  readonly ready: Promise<void>
  /** Stops it; awaited on shutdown before the database closes. */
  stop: () => Promise<void>
}

/**
 * What an entry point may add to the product. The production entry (`main.ts`) adds nothing; the demo
 * (`mock/demo.ts`) seeds the embedded database and runs its simulator through these, so that the
 * server never imports the mock.
 */
export interface ProductHooks {
  /** Opens the embedded database instead of {@link openEmbeddedDatabase} (used without `DATABASE_URL`). */
  openEmbedded?: (config: Config, logger: Logger) => Promise<Database>
  /** Starts activity beside the server once it listens; `undefined` when there is none to run. */
  startActivity?: (db: Database, config: Config, logger: Logger) => Activity | undefined
  /** Options of the live hub (the benchmark's unbatched baseline); the product's defaults otherwise. */
  hub?: Partial<HubOptions>
}

/** Exits with one clear line on stderr, no stack trace (a person reads it). */
function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

function describeUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
}

function configOrFail(): Config {
  try {
    return loadConfig()
  }
  catch (error) {
    if (error instanceof ConfigError)
      fail(error.message)
    throw error
  }
}

/** Errors that retrying cannot mend: a wrong password, a database or role that does not exist. */
function permanent(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === '28P01' || code === '28000' || code === '3D000' || code === '42501' || /password authentication failed|does not exist|SASL/i.test((error as Error).message)
}

/**
 * Opens PostgreSQL, retrying with backoff while it does not answer (the server may start before its
 * database: a reboot, an orchestrator) and serving the screen meanwhile — `/api/ready` 503 — until it
 * does; a wrong password or a missing database exits with one line, since waiting cannot mend it.
 */
async function openPostgresWaiting(config: Config, logger: Logger, url: string): Promise<Database> {
  let waiting: ServerType | undefined
  let lastError = ''
  for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      const db = await openDatabase({ url })
      if (waiting)
        await stopWaitingServer(waiting)
      return db
    }
    catch (error) {
      if (permanent(error))
        fail(`cannot open DATABASE_URL (${describeUrl(url)}): ${(error as Error).message}`)
      lastError = (error as Error).message
      logger.warn({ err: lastError, retryInMs: delay, at: describeUrl(url) }, 'database not reachable; retrying')
      waiting ??= await startWaitingServer(config, logger, () => lastError).catch((listenError: NodeJS.ErrnoException) => {
        fail(listenError.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use; set PORT to a free port` : `cannot listen on ${config.host}:${config.port}: ${listenError.message}`)
      })
      await new Promise(resolve => setTimeout(resolve, delay))
    }
  }
}

async function openConfiguredDatabase(config: Config, logger: Logger, hooks: ProductHooks): Promise<Database> {
  if (config.databaseUrl) {
    const db = await openPostgresWaiting(config, logger, config.databaseUrl)
    logger.info({ database: 'postgres', at: describeUrl(config.databaseUrl) }, 'database connected')
    return db
  }
  try {
    const db = await (hooks.openEmbedded ?? openEmbeddedDatabase)(config, logger)
    logger.info({ database: 'pglite', dataDir: join(config.dataDir, 'pglite') }, 'embedded database open')
    return db
  }
  catch (error) {
    fail(`cannot open the embedded database in ${config.dataDir}: ${(error as Error).message}`)
  }
}

async function startOrFail(config: Config, db: Database, logger: Logger, hub?: Partial<HubOptions>): Promise<RunningProduct> {
  try {
    return await startProduct(config, db, logger, { hub })
  }
  catch (error) {
    if (error instanceof StartError)
      fail(error.message)
    throw error
  }
}

/** On SIGTERM/SIGINT: stops the activity, then the server (sockets, HTTP), then the database; exits. */
function exitOnSignals(config: Config, logger: Logger, db: Database, product: RunningProduct, activity: Activity | undefined): void {
  let stopping = false
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping)
      return
    stopping = true
    logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting')
      process.exit(1)
    }, config.shutdownTimeoutMs)
    force.unref()
    // The activity first: it writes into the database the server is about to close.
    await activity?.stop().catch(() => {})
    await product.close()
    await db.close().catch(error => logger.error({ err: error }, 'closing the database failed'))
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

/**
 * Runs the product in this process: reads the configuration, opens the database (PostgreSQL with
 * `DATABASE_URL`, else the embedded one), serves the screen, the API and Socket.IO on one port, starts
 * the hooks' activity, and shuts down gracefully on SIGTERM/SIGINT. A bad configuration, a database
 * that refuses the credentials, or a busy port exits with one line on stderr; a database that does not
 * answer yet is waited for (the screen served, `/api/ready` 503).
 */
export async function runProduct(hooks: ProductHooks = {}): Promise<void> {
  const config = configOrFail()
  // Before the database opens, so that anything a hook writes (the demo's seeded year) counts days in
  // the same zone as the server.
  configureTimeZone(config.timeZone)
  const logger = createLogger(config)
  const db = await openConfiguredDatabase(config, logger, hooks)
  const product = await startOrFail(config, db, logger, hooks.hub)
  const activity = hooks.startActivity?.(db, config, logger)
  activity?.ready.catch(error => logger.warn({ err: (error as Error).message }, 'the activity beside the server could not start'))
  const base = `http://localhost:${product.port}`
  process.stderr.write(`\n  乡镇基层治理指挥中心 is running\n  wall display:  ${base}/\n  health:        ${base}/api/health\n\n`)
  exitOnSignals(config, logger, db, product, activity)
}
