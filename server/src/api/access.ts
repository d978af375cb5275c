import type { MiddlewareHandler } from 'hono'
import type { Permission } from '../auth/roles.ts'
import type { ApiEnv, AppDeps, Principal } from './deps.ts'
import { getConnInfo } from '@hono/node-server/conninfo'
import { getCookie } from 'hono/cookie'
import { matchedRoutes } from 'hono/route'
import { allows } from '../auth/roles.ts'
import { sendError } from './errors.ts'

/** The session cookie: HttpOnly, SameSite=Strict, Secure over TLS. */
export const SESSION_COOKIE = 'cc_session'

/**
 * Who may call each endpoint: `public` (anyone: probes, the sign-in itself), `signed-in` (any session),
 * or a permission. Every route of the API must have a rule here: the guard refuses a route without
 * one, and `tests/integration/access.test.ts` enumerates the app's routes against this table.
 */
export const ROUTE_ACCESS: Readonly<Record<string, 'public' | 'signed-in' | Permission>> = {
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/config': 'public',
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/display': 'public',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/sign-out': 'signed-in',
  'POST /api/auth/sign-out-everywhere': 'signed-in',
  'GET /api/snapshot': 'wall:view',
  'GET /api/overview': 'wall:view',
  'GET /api/trends': 'wall:view',
  'GET /api/sla': 'wall:view',
  'GET /api/status': 'wall:view',
  'GET /api/provenance': 'wall:view',
  'GET /api/heat': 'wall:view',
  'GET /api/history/snapshot': 'wall:view',
  'GET /api/history/hours': 'wall:view',
  'GET /api/history/heat': 'wall:view',
  'GET /api/briefing': 'briefing:read',
  'GET /api/villages': 'wall:view',
  'GET /api/grids': 'wall:view',
  'GET /api/grids/:id/workers': 'wall:view',
  'GET /api/geodata/township': 'wall:view',
  'GET /api/geodata/villages': 'wall:view',
  'GET /api/cameras': 'wall:view',
  'GET /api/cases': 'wall:view',
  'GET /api/cases/:id': 'wall:view',
  'GET /api/tours': 'wall:view',
  'GET /api/tours/:name': 'wall:view',
  'POST /api/reveal': 'personal:reveal',
  'GET /api/console/queue': 'console:view',
  'GET /api/console/categories': 'console:view',
  'GET /api/console/cases/:id': 'console:view',
  'POST /api/console/cases/:id/actions': 'case:act',
  'POST /api/wall/push': 'wall:push',
  'DELETE /api/wall/push': 'wall:push',
  'GET /api/audit': 'audit:read',
  'GET /api/audit/verify': 'audit:read',
}

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(c: Parameters<MiddlewareHandler>[0], trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded)
      return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? null
  }
  catch {
    // app.request() in tests has no socket.
    return null
  }
}

/** Reads the session cookie (if any) into `principal`; an ended session counts as nobody. */
export function principal({ auth, config }: AppDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE)
    const found: Principal = { session: null, ip: clientIp(c, config.auth.trustProxy), userAgent: c.req.header('user-agent') ?? null }
    if (token) {
      const check = await auth.check(token)
      if (check.ok)
        found.session = check.session
    }
    c.set('principal', found)
    await next()
  }
}

/** The endpoint a request matched (method and path pattern), past the middleware. */
function endpointOf(c: Parameters<MiddlewareHandler>[0]): string | null {
  const route = matchedRoutes(c).find(r => r.method !== 'ALL' && r.path.startsWith('/api/'))
  return route ? `${route.method} ${route.path}` : null
}

/**
 * Refuses a request its principal may not make: 401 when nobody is signed in (and the wall is not
 * open to the intranet), 403 when the role lacks the permission, 403 for a route with no rule.
 */
export function guard({ config }: AppDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const endpoint = endpointOf(c)
    if (endpoint === null)
      return next() // no such endpoint: the API's 404 answers
    const rule = ROUTE_ACCESS[endpoint]
    if (rule === undefined)
      return sendError(c, 403, 'forbidden', `no access rule for ${endpoint}`)
    if (rule === 'public')
      return next()
    const session = c.get('principal').session
    if (rule === 'wall:view' && !session && config.wallAccess === 'open')
      return next()
    if (!session)
      return sendError(c, 401, 'unauthorized', 'sign in first')
    if (rule !== 'signed-in' && !allows(session.account.role, rule))
      return sendError(c, 403, 'forbidden', `the role ${session.account.role} may not do this (${rule})`)
    return next()
  }
}
