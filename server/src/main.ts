import type { Config } from './config.ts'
import type { Database } from './db/types.ts'
import type { Logger } from './logger.ts'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Server as SocketServer } from 'socket.io'
import { createApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/index.ts'
import { createLogger } from './logger.ts'

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
    const dataDir = join(config.dataDir, 'pglite')
    const db = await openDatabase({ dataDir })
    logger.info({ database: 'pglite', dataDir }, 'embedded database open')
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
  const app = createApp({ config, db, logger })

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host })
  await new Promise<void>((resolve) => {
    server.once('listening', resolve)
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use; set PORT to a free port` : `cannot listen on ${config.host}:${config.port}: ${error.message}`)
    })
  })
  const io = new SocketServer(server, { serveClient: false })

  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  logger.info({ port, host: config.host, database: db.kind }, 'listening')
  const base = `http://localhost:${port}`
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
    await new Promise<void>(resolve => io.close(() => resolve()))
    if ('closeAllConnections' in server)
      server.closeAllConnections()
    await db.close().catch(error => logger.error({ err: error }, 'closing the database failed'))
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

await main()
