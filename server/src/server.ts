import type { ServerType } from '@hono/node-server'
import type { Config } from './config.ts'
import type { Database } from './db/types.ts'
import type { ClientToServerEvents, ServerToClientEvents } from './wire/index.ts'
import type { Logger } from './logger.ts'
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import { serve } from '@hono/node-server'
import { Server as SocketServer } from 'socket.io'
import type { AuthPolicy } from './auth/service.ts'
import { createApp } from './app.ts'
import { migrateAppSchema } from './auth/schema.ts'
import { AccountError, AuthService } from './auth/service.ts'
import { openDatabase } from './db/index.ts'
import { configureTimeZone } from './domain/calendar.ts'
import type { HubOptions } from './live/hub.ts'
import { LiveHub } from './live/hub.ts'
import { linkRedis } from './live/redis.ts'
import { OpsMetrics } from './ops/metrics.ts'
import { attachSocketAuth, mayJoin } from './live/socket-auth.ts'
import { redactUrl } from './db/errors.ts'
import { ContractSource } from './sources/source.ts'

/** A running product: HTTP (screen + API) and Socket.IO on one port. */
export interface RunningProduct {
  port: number
  hub: LiveHub
  /** Accounts, sessions and the audit log. */
  auth: AuthService
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
export async function startProduct(config: Config, db: Database, logger: Logger, options: { hub?: Partial<HubOptions> } = {}): Promise<RunningProduct> {
  configureTimeZone(config.timeZone)
  const source = new ContractSource(db, logger, { mode: config.changeCapture, pollIntervalMs: config.pollIntervalMs })
  const hub = new LiveHub(source, logger, { ...options.hub, engine: { specialMinCount: config.specialMinCount, ...options.hub?.engine } })
  // Socket.IO exists only once the server listens; the metrics count its connections from then on.
  const live: { io?: SocketServer<ClientToServerEvents, ServerToClientEvents> } = {}
  const metrics = new OpsMetrics(hub, () => live.io)
  try {
    await hub.start()
  }
  catch (error) {
    await hub.stop().catch(() => {})
    throw new StartError(`cannot read the integration contract (${db.kind}): ${(error as Error).message}. Seed a mock township with \`npm run mock\`, or map your systems onto docs/CONTRACT.md`)
  }
  const { auth, appDb } = await openAuth(config, db, logger).catch(async (error: unknown) => {
    await hub.stop().catch(() => {})
    throw error
  })
  const redis = config.redisUrl
    ? await linkRedis(config.redisUrl, logger, config.redisPrefix).catch(async (error: unknown) => {
        await hub.stop().catch(() => {})
        throw new StartError(`cannot reach Redis at ${redactUrl(config.redisUrl!)}: ${(error as Error).message}`)
      })
    : undefined
  const app = createApp({ config, db, logger, hub, auth, metrics })
  // HTTPS with the server's own certificate when configured (else TLS ends at a reverse proxy).
  const tls = config.tls ? { createServer: createHttpsServer, serverOptions: { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } } : {}
  const http = serve({ fetch: app.fetch, port: config.port, hostname: config.host, ...tls })
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
    await redis?.close()
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
  live.io = io
  // Everything a connection meets is set up in this same tick: a screen that connects at once (a
  // reconnecting wall) finds the adapter, the checks and its topics' handlers in place.
  redis?.attach(io)
  metrics.watchRedis(redis)
  const socketAuth = attachSocketAuth(io, { auth, logger, wallAccess: config.wallAccess, allowedOrigins: config.auth.allowedOrigins })
  hub.attach(io, (socket, topic) => mayJoin(socket.data, topic, config.wallAccess))
  const pruning = setInterval(() => void pruneAudit(auth, config, logger), 86_400_000)
  pruning.unref()
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  logger.info({ port, host: config.host, database: db.kind, capture: config.changeCapture }, 'listening')
  return {
    port,
    hub,
    auth,
    io,
    http,
    async close() {
      socketAuth.stop()
      clearInterval(pruning)
      await hub.stop().catch(error => logger.error({ err: error }, 'stopping the live hub failed'))
      await new Promise<void>(resolve => io.close(() => resolve()))
      await redis?.close()
      if (appDb !== db)
        await appDb.close().catch(error => logger.error({ err: error }, 'closing the app database failed'))
      if ('closeAllConnections' in http)
        http.closeAllConnections()
    },
  }
}

/**
 * Accounts, sessions and the audit log, in the product's own schema: in `APP_DATABASE_URL` when set,
 * else in the contract's database (the embedded one, or a writable `DATABASE_URL`). Migrates it, makes
 * the first administrator when there is no account (its password printed once), audits the start and
 * prunes the audit log past its retention.
 */
async function openAuth(config: Config, db: Database, logger: Logger): Promise<{ auth: AuthService, appDb: Database }> {
  const appDb = config.appDatabaseUrl ? await openDatabase({ url: config.appDatabaseUrl }) : db
  try {
    await migrateAppSchema(appDb)
  }
  catch (error) {
    const message = (error as Error).message
    const readOnly = /read-only|permission denied|must be owner/i.test(message)
    throw new StartError(readOnly
      ? `the database cannot hold the product's accounts and audit log (${message}): set APP_DATABASE_URL to a writable PostgreSQL`
      : `cannot prepare the product's schema for accounts and the audit log: ${message}`)
  }
  const policy: AuthPolicy = { idleMinutes: config.auth.idleMinutes, absoluteHours: config.auth.absoluteHours, maxFailures: config.auth.maxFailures, lockMinutes: config.auth.lockMinutes }
  const auth = new AuthService(appDb, policy)
  const admin = await auth.ensureFirstAdmin(config.auth.adminPassword).catch((error: Error) => {
    throw error instanceof AccountError ? new StartError(`ADMIN_PASSWORD does not meet the password policy: ${error.message}`) : error
  })
  if (admin?.generated)
    process.stderr.write(`\n  First start: an administrator account was created.\n  account:  ${admin.username}\n  password: ${admin.password}\n  (shown once; change it with \`npm run users -- reset-password admin\`)\n\n`)
  else if (admin)
    logger.info({ account: admin.username }, 'first administrator created with the configured ADMIN_PASSWORD')
  await auth.record({ actor: 'system', role: null, ip: null, action: 'config.start', outcome: 'success', details: {
    database: db.kind,
    appDatabase: config.appDatabaseUrl ? 'APP_DATABASE_URL' : db.kind,
    wallAccess: config.wallAccess,
    changeCapture: config.changeCapture,
    timeZone: config.timeZone,
    idleMinutes: config.auth.idleMinutes,
    absoluteHours: config.auth.absoluteHours,
    auditRetentionDays: config.auth.auditRetentionDays,
    tls: config.tls !== undefined,
    redis: config.redisUrl !== undefined,
  } })
  await pruneAudit(auth, config, logger)
  return { auth, appDb }
}

async function pruneAudit(auth: AuthService, config: Config, logger: Logger): Promise<void> {
  try {
    const removed = await auth.audit.prune(config.auth.auditRetentionDays)
    if (removed > 0)
      logger.info({ removed, retentionDays: config.auth.auditRetentionDays }, 'pruned the audit log')
  }
  catch (error) {
    logger.warn({ err: (error as Error).message }, 'pruning the audit log failed')
  }
}
