import type { Server as SocketServer, Socket } from 'socket.io'
import type { Permission } from '../auth/roles.ts'
import type { AuthService } from '../auth/service.ts'
import type { Logger } from '../logger.ts'
import type { Topic } from '../wire/index.ts'
import { parse as parseCookies } from 'hono/utils/cookie'
import { allows } from '../auth/roles.ts'

/** The session cookie's name (as `api/access.ts` sets it). */
const SESSION_COOKIE = 'cc_session'

/** What the server remembers of a socket: the session it came with (null: the open wall). */
export interface SocketData {
  sessionId: string | null
  role: string | null
}

export interface SocketAuthOptions {
  auth: AuthService
  logger: Logger
  wallAccess: 'open' | 'device'
  /** Origins allowed besides the server's own (from `ALLOWED_ORIGINS`). */
  allowedOrigins: string[]
  /** How often connected sessions are re-checked (revoked elsewhere, idle, expired); default 400 ms, so that one ended by another process loses its socket within a second. */
  sweepMs?: number
}

/** The permission each live topic needs (the wall's topics; the console's will need `console:view`). */
const TOPIC_PERMISSION: Readonly<Record<Topic, Permission>> = {
  overview: 'wall:view',
  trends: 'wall:view',
  rankings: 'wall:view',
  sla: 'wall:view',
  cases: 'wall:view',
  cameras: 'wall:view',
  heat: 'wall:view',
  alarms: 'wall:view',
  push: 'wall:view',
  queue: 'console:view',
}

/** Whether a socket may join a topic's room. */
export function mayJoin(data: SocketData, topic: Topic, wallAccess: 'open' | 'device'): boolean {
  const permission = TOPIC_PERMISSION[topic]
  if (data.role === null)
    return permission === 'wall:view' && wallAccess === 'open'
  return allows(data.role as Parameters<typeof allows>[0], permission)
}

function originAllowed(socket: Socket, allowed: string[]): boolean {
  const origin = socket.handshake.headers.origin
  if (origin === undefined)
    return true // not a browser page (a test client, a proxy's health check): no cross-site risk
  const host = socket.handshake.headers.host
  return allowed.includes(origin) || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`))
}

/**
 * Authenticates Socket.IO on connect and on connection-state recovery (the server sets
 * `skipMiddlewares: false`): the Origin must be this server's or an allowed one, the session cookie
 * must be good (or the wall open to the intranet). A socket joins its session's room, so that a
 * revoked session or a disabled account is disconnected at once on this instance and, through the
 * Redis adapter, on the others; a sweep every 400 ms (one query) catches sessions ended by another process.
 */
export function attachSocketAuth(io: SocketServer, options: SocketAuthOptions): { stop: () => void } {
  const { auth, logger } = options
  io.use(async (socket, next) => {
    if (!originAllowed(socket, options.allowedOrigins)) {
      logger.warn({ origin: socket.handshake.headers.origin }, 'refused a live connection from a foreign origin')
      return next(new Error('origin not allowed'))
    }
    const token = parseCookies(socket.handshake.headers.cookie ?? '', SESSION_COOKIE)[SESSION_COOKIE]
    const check = token ? await auth.check(token, false) : null
    if (check?.ok) {
      const data: SocketData = { sessionId: check.session.id, role: check.session.account.role }
      socket.data = data
      void socket.join(`session:${check.session.id}`)
      return next()
    }
    if (options.wallAccess === 'open') {
      socket.data = { sessionId: null, role: null } satisfies SocketData
      return next()
    }
    next(new Error('sign in first'))
  })
  auth.onRevoked = (ids) => {
    for (const id of ids)
      io.in(`session:${id}`).disconnectSockets(true)
  }
  const sweep = sweeper(io, auth, logger)
  const timer = setInterval(() => void sweep(), options.sweepMs ?? 400)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/**
 * Disconnects the sockets of sessions that ended since they connected (revoked or disabled by another
 * process, idle, expired): one query for every connected session. Skipped while the previous one runs.
 */
function sweeper(io: SocketServer, auth: AuthService, logger: Logger): () => Promise<void> {
  let running = false
  return async () => {
    if (running)
      return
    running = true
    try {
      const bySession = new Map<string, Socket[]>()
      for (const socket of io.of('/').sockets.values()) {
        const id = (socket.data as SocketData | undefined)?.sessionId
        if (id)
          bySession.set(id, [...bySession.get(id) ?? [], socket])
      }
      const ended = await auth.sessions.endedAmong([...bySession.keys()]).catch(() => null)
      for (const [id, reason] of ended ?? []) {
        const sockets = bySession.get(id) ?? []
        logger.info({ reason, sockets: sockets.length }, 'disconnected the live sockets of an ended session')
        for (const socket of sockets)
          socket.disconnect(true)
      }
    }
    finally {
      running = false
    }
  }
}
