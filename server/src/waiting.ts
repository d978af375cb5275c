import type { ServerType } from '@hono/node-server'
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { SYSTEM_NAME } from './api/system.ts'

/**
 * What the port serves while the database is not reachable at start (a reboot, an orchestrator that
 * starts the server first): the screen itself, `/api/health` 200, `/api/ready` 503 with the reason,
 * `/api/config` (so a wall can draw its frame and say it is connecting), and 503 for the rest of the
 * API. The product takes the port over as soon as the database answers.
 */
export function startWaitingServer(config: Config, logger: Logger, reason: () => string): Promise<ServerType> {
  const app = new Hono()
  app.get('/api/health', c => c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()), database: 'connecting' }))
  app.get('/api/ready', c => c.json({ error: { code: 'not_ready', message: `database not reachable yet: ${reason()}` } }, 503))
  app.get('/api/config', c => c.json({ systemName: SYSTEM_NAME, townshipName: config.townshipName ?? null, title: config.townshipName ? `${config.townshipName}基层治理指挥中心` : SYSTEM_NAME, timeZone: config.timeZone, wallAccess: config.wallAccess, map: config.map, map2d: config.map2d, watchdog: config.watchdog, connecting: true }))
  app.all('/api/*', c => c.json({ error: { code: 'not_ready', message: `the server is waiting for its database: ${reason()}` } }, 503))
  const root = relative(process.cwd(), config.screenDir) || '.'
  app.use('*', serveStatic({ root, precompressed: true }))
  app.get('*', async (c, next) => {
    if (!existsSync(join(config.screenDir, 'index.html')))
      return c.text('The screen is not built: run `npm run build`.', 503)
    c.header('Cache-Control', 'no-cache')
    return serveStatic({ root, path: 'index.html', precompressed: true })(c, next)
  })
  return new Promise((resolve, reject) => {
    const http = serve({ fetch: app.fetch, port: config.port, hostname: config.host })
    http.once('listening', () => {
      logger.warn({ port: config.port }, 'serving the screen while the database is not reachable; retrying')
      resolve(http)
    })
    http.once('error', reject)
  })
}

/** Closes the waiting server, dropping its connections (screens reconnect to the product). */
export function stopWaitingServer(http: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in http)
      http.closeAllConnections()
    http.close(() => resolve())
  })
}
