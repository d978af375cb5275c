import type { ServerType } from '@hono/node-server'
import type { Config } from './config.ts'
import type { Database } from './db/types.ts'
import type { ClientToServerEvents, ServerToClientEvents } from './wire/index.ts'
import type { Logger } from './logger.ts'
import { serve } from '@hono/node-server'
import { Server as SocketServer } from 'socket.io'
import { createApp } from './app.ts'
import { LiveHub } from './live/hub.ts'
import { linkRedis } from './live/redis.ts'
import { ContractSource } from './sources/source.ts'

/** A running product: HTTP (screen + API) and Socket.IO on one port. */
export interface RunningProduct {
  port: number
  hub: LiveHub
  io: SocketServer<ClientToServerEvents, ServerToClientEvents>
  http: ServerType
  /** Stops accepting, disconnects every socket, stops the change feed (the database stays open). */
  close: () => Promise<void>
}

/** Something the product cannot start without, said in one line for a person. */
export class StartError extends Error {}

/**
 * Builds the state from the contract, then listens. Used by `main.ts` and by tests that need a real
 * server in their own process.
 */
export async function startProduct(config: Config, db: Database, logger: Logger): Promise<RunningProduct> {
  const source = new ContractSource(db, logger, { mode: config.changeCapture, pollIntervalMs: config.pollIntervalMs })
  const leadership: { isLeader?: () => boolean } = {}
  const hub = new LiveHub(source, logger, { isPublisher: () => leadership.isLeader?.() ?? true, batch: config.frameBatching })
  try {
    await hub.start()
  }
  catch (error) {
    await hub.stop().catch(() => {})
    throw new StartError(`cannot read the integration contract (${db.kind}): ${(error as Error).message}. Seed a mock township with \`npm run mock\`, or map your systems onto docs/CONTRACT.md`)
  }
  const app = createApp({ config, db, logger, hub })
  const http = serve({ fetch: app.fetch, port: config.port, hostname: config.host })
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('listening', resolve)
      http.once('error', (error: NodeJS.ErrnoException) => {
        reject(new StartError(error.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use; set PORT to a free port` : `cannot listen on ${config.host}:${config.port}: ${error.message}`))
      })
    })
  }
  catch (error) {
    await hub.stop().catch(() => {})
    throw error
  }
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    // Screens send only small subscriptions; up to 1 MB reaches the handlers, which validate, log and
    // drop anything malformed while the connection stays. Beyond that the transport protects itself.
    maxHttpBufferSize: 1_000_000,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: false },
  })
  const redis = config.redisUrl ? await linkRedis(io, config.redisUrl, logger, config.redisPrefix) : undefined
  leadership.isLeader = redis?.isLeader
  hub.attach(io)
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  logger.info({ port, host: config.host, database: db.kind, capture: config.changeCapture }, 'listening')
  return {
    port,
    hub,
    io,
    http,
    async close() {
      await hub.stop().catch(error => logger.error({ err: error }, 'stopping the live hub failed'))
      await new Promise<void>(resolve => io.close(() => resolve()))
      await redis?.close()
      if ('closeAllConnections' in http)
        http.closeAllConnections()
    },
  }
}
