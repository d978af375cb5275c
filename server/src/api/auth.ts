import type { Context } from 'hono'
import type { Session } from '../auth/sessions.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { permissionsOf } from '../auth/roles.ts'
import { SignInError } from '../auth/service.ts'
import { SESSION_COOKIE } from './access.ts'
import { sendError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'
import { validate } from './validate.ts'

const signInBody = z.object({
  username: z.string().trim().min(1, 'expected an account name').max(40),
  password: z.string().min(1, 'expected a password').max(200),
})
const displayBody = z.object({ token: z.string().trim().regex(/^[\w-]{20,100}$/, 'expected a display token') })

/** Who is signed in, as the screens see it. */
export interface Me {
  username: string
  role: string
  kind: 'user' | 'display'
  permissions: string[]
  /** When the session ends whatever happens (ISO; null: a display). */
  expiresAt: string | null
  idleMinutes: number
}

function me(session: Session, idleMinutes: number): Me {
  const { account } = session
  return { username: account.username, role: account.role, kind: account.kind, permissions: [...permissionsOf(account.role)], expiresAt: session.absoluteExpiresAt === null ? null : new Date(session.absoluteExpiresAt).toISOString(), idleMinutes }
}

/** Sign-in (people and wall displays), who am I, sign-out here or everywhere. */
export function authApi({ auth, config }: AppDeps) {
  // Per address: guessing passwords from one machine is slowed here, per account by the lockout.
  const attempts = new RateLimiter(10, 60_000)
  const secure = config.tls !== undefined
  const setSession = (c: Context, token: string, display: boolean): void => {
    // A wall display keeps its session across browser restarts; a person's ends with the browser.
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure, path: '/', ...(display ? { maxAge: 400 * 86_400 } : {}) })
  }
  const limited = (c: Context<ApiEnv>) => {
    const key = c.get('principal').ip ?? 'unknown'
    if (attempts.take(key))
      return null
    c.header('Retry-After', String(attempts.retryAfterSeconds(key)))
    return sendError(c, 429, 'rate_limited', 'too many sign-in attempts from this address; wait a minute')
  }
  return new Hono<ApiEnv>()
    .post('/sign-in', validate('json', signInBody), async (c) => {
      const refused = limited(c)
      if (refused)
        return refused
      const { username, password } = c.req.valid('json')
      const { ip, userAgent } = c.get('principal')
      try {
        const { token, session } = await auth.signIn(username, password, { ip, userAgent })
        setSession(c, token, false)
        return c.json<Me>(me(session, config.auth.idleMinutes))
      }
      catch (error) {
        if (error instanceof SignInError)
          return sendError(c, error.code === 'locked' ? 423 : 401, error.code, error.until ? `${error.message} (until ${error.until.toISOString()})` : error.message)
        throw error
      }
    })
    .post('/display', validate('json', displayBody), async (c) => {
      const refused = limited(c)
      if (refused)
        return refused
      const { ip, userAgent } = c.get('principal')
      try {
        const { token, session } = await auth.signInDisplay(c.req.valid('json').token, { ip, userAgent })
        setSession(c, token, true)
        return c.json<Me>(me(session, config.auth.idleMinutes))
      }
      catch (error) {
        if (error instanceof SignInError)
          return sendError(c, 401, 'unauthorized', error.message)
        throw error
      }
    })
    .get('/me', (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json<Me>(me(c.get('principal').session!, config.auth.idleMinutes))
    })
    .post('/sign-out', async (c) => {
      const { session, ip, userAgent } = c.get('principal')
      await auth.signOut(session!, { ip, userAgent }, false)
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.json({ signedOut: 1 })
    })
    .post('/sign-out-everywhere', async (c) => {
      const { session, ip, userAgent } = c.get('principal')
      await auth.signOut(session!, { ip, userAgent }, true)
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.json({ signedOut: 'everywhere' })
    })
}
