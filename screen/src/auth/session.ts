import type { Answer } from '@/api/rpc.ts'
import type { api } from '@/api/rpc.ts'
import { ApiError } from '@/api/rpc.ts'

/** Who is signed in (`GET /api/auth/me`), typed by the server's route. */
export type Me = Answer<Awaited<ReturnType<typeof api.auth.me.$get>>>

/** Why a sign-in was refused, as the page words it. */
export type SignInFailure
  = | { kind: 'wrong' }
    | { kind: 'locked', until: string | null }
    | { kind: 'rateLimited' }
    | { kind: 'invalid', message: string }
    | { kind: 'unreachable' }

/** The reason of a failed sign-in, from the API's error (401 wrong, 423 locked, 429 too many, 400 invalid). */
export function signInFailure(error: unknown): SignInFailure {
  if (!(error instanceof ApiError))
    return { kind: 'unreachable' }
  if (error.status === 423 || error.code === 'locked')
    return { kind: 'locked', until: /until (\S+?)\)?$/.exec(error.message)?.[1] ?? null }
  if (error.status === 429)
    return { kind: 'rateLimited' }
  if (error.status === 401)
    return { kind: 'wrong' }
  if (error.status === 400)
    return { kind: 'invalid', message: error.message.replace(/^\/api\/[^:]*: /, '') }
  return { kind: 'unreachable' }
}

/**
 * Where to go after signing in: a path of this site only (`/console?x=1`), never another origin
 * (`//evil.example`, `https://…`), and never back to the sign-in page; `/console` by default.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/console'
  if (next === '/signin' || next.startsWith('/signin?') || next.startsWith('/signin/'))
    return '/console'
  return next
}

/** Whether the signed-in session holds a permission (`console:view`, …). */
export function allows(me: Me | null, permission: string): boolean {
  return me !== null && me.permissions.includes(permission)
}
