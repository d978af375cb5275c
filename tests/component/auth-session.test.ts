import { describe, expect, it } from 'vitest'
import { ApiError } from '../../screen/src/api/rpc.ts'
import { displayToken, isSignInRefusal, withoutDisplayToken } from '../../screen/src/auth/display.ts'
import { allows, safeNext, signInFailure } from '../../screen/src/auth/session.ts'

describe('sign-in failures as the page words them', () => {
  it('tells a wrong password, a lock with its end, too many attempts and an unreachable server apart', () => {
    expect(signInFailure(new ApiError(401, 'unauthorized', '/api/auth/sign-in: wrong account or password'))).toEqual({ kind: 'wrong' })
    expect(signInFailure(new ApiError(423, 'locked', '/api/auth/sign-in: account locked (until 2026-11-23T04:30:00.000Z)')))
      .toEqual({ kind: 'locked', until: '2026-11-23T04:30:00.000Z' })
    expect(signInFailure(new ApiError(423, 'locked', 'account locked'))).toEqual({ kind: 'locked', until: null })
    expect(signInFailure(new ApiError(429, 'rate_limited', 'too many'))).toEqual({ kind: 'rateLimited' })
    expect(signInFailure(new ApiError(400, 'bad_request', '/api/auth/sign-in: expected an account name'))).toEqual({ kind: 'invalid', message: 'expected an account name' })
    expect(signInFailure(new TypeError('Failed to fetch'))).toEqual({ kind: 'unreachable' })
  })

  it('goes on to a path of this site only, the console by default', () => {
    expect(safeNext('/console?status=open')).toBe('/console?status=open')
    expect(safeNext(undefined)).toBe('/console')
    expect(safeNext('//evil.example/x')).toBe('/console')
    expect(safeNext('https://evil.example/')).toBe('/console')
    expect(safeNext('/\\evil.example')).toBe('/console')
    expect(safeNext('/signin?next=/console')).toBe('/console')
  })

  it('checks a permission of the signed-in session', () => {
    const me = { username: 'wang', role: 'dispatcher', kind: 'user' as const, permissions: ['wall:view', 'console:view'], expiresAt: null, idleMinutes: 30 }
    expect(allows(me, 'console:view')).toBe(true)
    expect(allows({ ...me, permissions: ['wall:view'] }, 'console:view')).toBe(false)
    expect(allows(null, 'console:view')).toBe(false)
  })
})

describe('a wall display\'s token', () => {
  it('is read from the address and taken out of it, other parameters kept', () => {
    expect(displayToken('?display=abc_DEF-123&map=off')).toBe('abc_DEF-123')
    expect(displayToken('?map=off')).toBeNull()
    expect(displayToken('?display=')).toBeNull()
    expect(withoutDisplayToken('http://wall.local:8080/?display=abc&lang=en#x')).toBe('/?lang=en#x')
    expect(withoutDisplayToken('http://wall.local/?display=abc')).toBe('/')
    expect(isSignInRefusal(new Error('sign in first'))).toBe(true)
    expect(isSignInRefusal(new Error('xhr poll error'))).toBe(false)
  })
})
