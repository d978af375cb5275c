import type { ApiEnv, AppDeps } from './api/deps.ts'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { compress } from 'hono/compress'
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { guard, principal } from './api/access.ts'
import { auditApi } from './api/audit.ts'
import { authApi } from './api/auth.ts'
import { briefingApi } from './api/briefing.ts'
import { camerasApi } from './api/cameras.ts'
import { casesApi } from './api/cases.ts'
import { consoleApi } from './api/console.ts'
import { sendError } from './api/errors.ts'
import { geodataApi } from './api/geodata.ts'
import { gridsApi } from './api/grids.ts'
import { historyApi } from './api/history.ts'
import { securityHeaders } from './api/headers.ts'
import { heatApi, liveApi } from './api/live.ts'
import { revealApi } from './api/reveal.ts'
import { systemApi } from './api/system.ts'
import { toursApi } from './api/tours.ts'
import { villagesApi } from './api/villages.ts'
import { wallApi } from './api/wall.ts'

export type { AppDeps } from './api/deps.ts'

/**
 * The API (under `/api`): one sub-app per resource, mounted at its own path, so the RPC client's tree
 * (`api.cases[':id'].$get`) is the URL tree. System (`/health`, `/ready`, `/config`) and the live
 * views (`/snapshot`, `/overview`, `/trends`, `/sla`, `/status`) are single endpoints at the root.
 * Its type is what the screen's client is typed by.
 */
export function createApi(deps: AppDeps) {
  return new Hono<ApiEnv>()
    .use(principal(deps))
    .use(guard(deps))
    .route('/', systemApi(deps))
    .route('/auth', authApi(deps))
    .route('/', liveApi(deps))
    .route('/heat', heatApi(deps))
    .route('/history', historyApi(deps))
    .route('/briefing', briefingApi(deps))
    .route('/villages', villagesApi(deps))
    .route('/grids', gridsApi(deps))
    .route('/geodata', geodataApi(deps))
    .route('/cameras', camerasApi(deps))
    .route('/cases', casesApi(deps))
    .route('/tours', toursApi(deps))
    .route('/reveal', revealApi(deps))
    .route('/console', consoleApi(deps))
    .route('/wall', wallApi(deps))
    .route('/audit', auditApi(deps))
}

/** The API's type, for Hono's RPC client in the screen (`hc<AppType>('/api')`). */
export type AppType = ReturnType<typeof createApi>

/**
 * The HTTP application: the API under `/api` and the built screen at `/`. It never listens; the
 * entry (`main.ts`) creates the HTTP server and attaches Socket.IO, and tests call `app.request()`.
 */
export function createApp(deps: AppDeps) {
  const { config, logger } = deps
  const api = createApi(deps)

  const app = new Hono<ApiEnv>()
  app.use(requestId())
  // One JSON line per request, carrying the request id also sent back as X-Request-Id; probes that
  // answer every few seconds only at debug.
  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    const probe = c.req.path === '/api/health' || c.req.path === '/api/ready'
    logger[probe && c.res.ok ? 'debug' : 'info']({ reqId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request')
  })
  app.use(securityHeaders(config))
  app.onError((error, c) => {
    logger.error({ reqId: c.get('requestId'), err: error }, 'unhandled error')
    return sendError(c, 500, 'internal', 'internal error; the request id is in the X-Request-Id header')
  })

  // JSON over a township's link: the grids' GeoJSON and snapshots shrink ≈5× (static files are precompressed).
  app.use('/api/*', compress())
  app.route('/api', api)
  // Prometheus scrapes here (outside /api: no session; a bearer token when METRICS_TOKEN is set).
  app.get('/metrics', async (c) => {
    if (!deps.metrics)
      return sendError(c, 404, 'not_found', 'metrics are not collected by this process')
    if (config.metricsToken && c.req.header('authorization') !== `Bearer ${config.metricsToken}`)
      return sendError(c, 401, 'unauthorized', 'a bearer token is needed for /metrics (METRICS_TOKEN)')
    const { body, contentType } = await deps.metrics.scrape()
    return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' })
  })
  app.all('/api/*', c => sendError(c, 404, 'not_found', `no such endpoint: ${c.req.method} ${c.req.path}`))

  // The screen: hashed assets may be cached for ever; index.html must be revalidated so a new build shows.
  const root = relative(process.cwd(), config.screenDir) || '.'
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.ok)
      c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
  })
  // `/` is index.html found by the static files below, not the fallback: revalidated all the same.
  app.use('*', async (c, next) => {
    await next()
    if (c.res.headers.get('content-type')?.startsWith('text/html') && !c.res.headers.has('cache-control'))
      c.res.headers.set('Cache-Control', 'no-cache')
  })
  // The build writes .br and .gz beside each text asset: sent as is to a browser that takes them.
  app.use('*', serveStatic({ root, precompressed: true }))
  app.get('*', async (c, next) => {
    // Client-side routes (/console, /tour …) get the app's index page.
    if (!existsSync(join(config.screenDir, 'index.html')))
      return c.text('The screen is not built: run `npm start` (it builds it) or `npm run build`.', 503)
    c.header('Cache-Control', 'no-cache')
    return serveStatic({ root, path: 'index.html', precompressed: true })(c, next)
  })
  return app
}

export type App = ReturnType<typeof createApp>
