import type { Config } from './config.ts'
import type { Database } from './db/types.ts'
import type { Logger } from './logger.ts'
import { join } from 'node:path'
import type { RunningProduct } from './server.ts'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/index.ts'
import { startSimulator } from '../../mock/simulate.ts'
import { openEmbeddedDatabase } from './bootstrap.ts'
import { createLogger } from './logger.ts'
import { startProduct, StartError } from './server.ts'

/** Exits with one clear line on stderr, no stack trace (a person reads it). */
function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

function describeUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
}

async function openConfiguredDatabase(config: Config, logger: Logger): Promise<Database> {
  try {
    if (config.databaseUrl) {
      const db = await openDatabase({ url: config.databaseUrl })
      logger.info({ database: 'postgres', at: describeUrl(config.databaseUrl) }, 'database connected')
      return db
    }
    const db = await openEmbeddedDatabase(config, logger)
    logger.info({ database: 'pglite', dataDir: join(config.dataDir, 'pglite') }, 'embedded database open')
    return db
  }
  catch (error) {
    const where = config.databaseUrl ? `DATABASE_URL (${describeUrl(config.databaseUrl)})` : `the embedded database in ${config.dataDir}`
    fail(`cannot open ${where}: ${(error as Error).message}`)
  }
}

/** Starts the product: HTTP server with the app, Socket.IO on the same port, graceful shutdown. */
export async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  }
  catch (error) {
    if (error instanceof ConfigError)
      fail(error.message)
    throw error
  }
  const logger = createLogger(config)
  const db = await openConfiguredDatabase(config, logger)
  let product: RunningProduct
  try {
    product = await startProduct(config, db, logger)
  }
  catch (error) {
    if (error instanceof StartError)
      fail(error.message)
    throw error
  }
  // Demo mode: the mock township lives — reports, lifecycle moves, camera flaps, alarms — written into
  // the database by SQL as the township's own systems would, and read back like any other change.
  const simulator = config.demo
    ? startSimulator(db, { speed: config.demoSpeed, onError: error => logger.warn({ err: (error as Error).message }, 'simulator step failed') })
    : undefined
  simulator?.ready.catch(error => logger.warn({ err: (error as Error).message }, 'the demo simulator could not start'))
  const base = `http://localhost:${product.port}`
  process.stderr.write(`\n  乡镇基层治理指挥中心 is running\n  wall display:  ${base}/\n  health:        ${base}/api/health\n\n`)

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
    // Stop accepting, disconnect sockets (Socket.IO closes the HTTP server too), then the database.
    await simulator?.stop().catch(() => {})
    await product.close()
    await db.close().catch(error => logger.error({ err: error }, 'closing the database failed'))
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

await main()
