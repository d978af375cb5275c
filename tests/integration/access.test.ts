import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { ROUTE_ACCESS, SESSION_COOKIE } from '../../server/src/api/access.ts'
import { createApp } from '../../server/src/app.ts'
import { allows, ROLES } from '../../server/src/auth/roles.ts'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { LiveHub } from '../../server/src/live/hub.ts'
import { startProduct } from '../../server/src/server.ts'
import { ContractSource } from '../../server/src/sources/source.ts'
import { openTestAuth } from '../harness/auth.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'

const logger = pino({ level: 'silent' })
const pgReachable = await postgresAvailable()
const PASSWORD = 'Correct-Horse-9'

type Who = typeof ROLES[number] | 'anonymous'

/** A concrete request for a route pattern: ids filled in, a body that passes no validation for POSTs. */
function requestFor(route: string): { method: string, path: string } {
  const [method, pattern] = route.split(' ') as [string, string]
  return { method, path: pattern.replace(/:id\b/g, '1') }
}

describe.each(['pglite', 'postgres'] as const)('access control on %s', (kind) => {
  let testDb: TestDatabase | undefined
  let db: Database
  let hub: LiveHub
  const skip = kind === 'postgres' && !pgReachable

  beforeAll(async () => {
    if (skip)
      return
    testDb = kind === 'postgres' ? await createTestDatabase() : undefined
    db = await openDatabase(testDb ? { url: testDb.url } : {})
    await seedMiniTownship(db)
    await insertCase(db, { id: 1, level: 'urgent' })
    await db.query(`update cases set reporter_name = '韩梅梅', reporter_phone = '13911112222', address = '杨柳村3组18号' where id = 1`)
    hub = new LiveHub(new ContractSource(db, logger, { mode: 'poll', pollIntervalMs: 60_000 }), logger)
    await hub.start()
  })
  afterAll(async () => {
    await hub?.stop()
    await db?.close()
    await testDb?.drop()
  })

  it.skipIf(skip)('has a rule for every route, and each role gets exactly what its rule allows (401 or 403 otherwise)', async () => {
    const auth = await openTestAuth(db)
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device' }), logger, hub, db, auth })
    const routes = [...new Set(app.routes.filter(r => r.method !== 'ALL' && r.path.startsWith('/api/')).map(r => `${r.method} ${r.path}`))]
    expect(routes.length).toBeGreaterThan(20)
    // A new route without a rule fails here (and the guard refuses it at run time).
    expect(routes.filter(r => !(r in ROUTE_ACCESS))).toEqual([])
    const accounts = new Map<Who, string | null>([['anonymous', null]])
    for (const role of ROLES) {
      const account = role === 'display'
        ? (await auth.addDisplay(`wall-${kind}`, null, 'test')).account
        : await auth.addUser(`${role}-${kind}`, role, PASSWORD, 'test')
      accounts.set(role, account.username)
    }
    for (const route of routes) {
      const rule = ROUTE_ACCESS[route]!
      const { method, path } = requestFor(route)
      for (const [who, username] of accounts) {
        // A fresh session per request: sign-out routes end the session they are called with.
        let cookie = ''
        if (username) {
          const account = (await auth.accounts.list()).find(a => a.username === username)!
          cookie = `${SESSION_COOKIE}=${(await auth.sessions.open(account, null, null)).token}`
        }
        const response = await app.request(path, { method, headers: { cookie, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined })
        const allowed = rule === 'public' || (who !== 'anonymous' && (rule === 'signed-in' || allows(who, rule)))
        const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403
        const got = response.status === 401 || response.status === 403 ? response.status : 'allowed'
        expect({ route, who, got }).toEqual({ route, who, got: expected })
        if (!allowed)
          expect(await response.json()).toMatchObject({ error: { code: expected === 401 ? 'unauthorized' : 'forbidden' } })
      }
    }
  })

  it.skipIf(skip)('opens the wall to the intranet in open mode, and only the wall', async () => {
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'open' }), logger, hub, db, auth: await openTestAuth(db) })
    expect((await app.request('/api/overview')).status).toBe(200)
    expect((await app.request('/api/cases/1')).status).toBe(200)
    expect((await app.request('/api/audit')).status).toBe(401)
    expect((await app.request('/api/reveal', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401)
  })

  it.skipIf(skip)('signs in with a cookie that is HttpOnly and SameSite, and locks an account after repeated failures', async () => {
    let now = Date.parse('2026-11-20T02:00:00Z')
    const auth = await openTestAuth(db, () => now, { maxFailures: 3, lockMinutes: 2 })
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device' }), logger, hub, db, auth })
    await auth.addUser(`lock-${kind}`, 'dispatcher', PASSWORD, 'test')
    const signIn = (password: string) => app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `lock-${kind}`, password }) })
    const ok = await signIn(PASSWORD)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+;.*HttpOnly.*SameSite=Strict`, 'i'))
    for (let i = 0; i < 3; i++)
      expect((await signIn('wrong-Password-1')).status).toBe(401)
    // Locked now, even with the right password; the lock ends by itself.
    expect((await signIn(PASSWORD)).status).toBe(423)
    now += 2 * 60_000 + 1000
    expect((await signIn(PASSWORD)).status).toBe(200)
    const actions = (await auth.audit.records()).filter(r => r.actor === `lock-${kind}`).map(r => `${r.action}:${r.outcome}`)
    expect(actions).toEqual(['auth.sign_in:success', 'auth.sign_in:failure', 'auth.sign_in:failure', 'auth.sign_in:failure', 'auth.lockout:success', 'auth.sign_in:denied', 'auth.sign_in:success'])
  })

  it.skipIf(skip)('ends a session after the idle timeout and after the absolute one, but never a display\'s', async () => {
    let now = Date.parse('2026-11-20T02:00:00Z')
    const auth = await openTestAuth(db, () => now, { idleMinutes: 30, absoluteHours: 12 })
    const person = await auth.addUser(`idle-${kind}`, 'leader', PASSWORD, 'test')
    const { token } = await auth.sessions.open(person, null, null)
    const display = (await auth.addDisplay(`idle-wall-${kind}`, null, 'test')).account
    const wall = (await auth.sessions.open(display, null, null)).token
    now += 29 * 60_000
    expect((await auth.check(token)).ok).toBe(true) // activity: the idle clock starts again
    now += 29 * 60_000
    expect((await auth.check(token)).ok).toBe(true)
    now += 31 * 60_000
    expect(await auth.check(token)).toEqual({ ok: false, reason: 'idle' })
    const busy = (await auth.sessions.open(person, null, null)).token
    for (let i = 0; i < 25; i++) {
      now += 29 * 60_000
      if (!(await auth.check(busy)).ok)
        break
    }
    expect(await auth.check(busy)).toEqual({ ok: false, reason: 'expired' })
    expect(now - Date.parse('2026-11-20T02:00:00Z')).toBeLessThan(14 * 3_600_000)
    expect((await auth.check(wall)).ok).toBe(true)
  })

  it.skipIf(skip)('creates the first administrator once, with a password that meets the policy', async () => {
    const fresh = kind === 'postgres' ? await createTestDatabase() : undefined
    const empty = await openDatabase(fresh ? { url: fresh.url } : {})
    try {
      const auth = await openTestAuth(empty)
      const first = await auth.ensureFirstAdmin(undefined)
      expect(first).toMatchObject({ username: 'admin', generated: true })
      expect(first!.password.length).toBeGreaterThanOrEqual(16)
      expect(await auth.ensureFirstAdmin(undefined)).toBeNull()
      await expect(auth.signIn('admin', first!.password, { ip: null, userAgent: null })).resolves.toMatchObject({ session: { account: { role: 'admin' } } })
    }
    finally {
      await empty.close()
      await fresh?.drop()
    }
  })

  it.skipIf(skip)('creates one administrator when two instances start together on an empty database; the other carries on', async () => {
    const fresh = kind === 'postgres' ? await createTestDatabase() : undefined
    // Two instances: two connections to one PostgreSQL database, or two services on one embedded one.
    const first = await openDatabase(fresh ? { url: fresh.url } : {})
    const second = fresh ? await openDatabase({ url: fresh.url }) : first
    try {
      const [a, b] = [await openTestAuth(first), await openTestAuth(second)]
      const made = await Promise.all([a.ensureFirstAdmin(undefined), b.ensureFirstAdmin(undefined)])
      expect(made.filter(m => m !== null)).toHaveLength(1)
      const winner = made.find(m => m !== null)!
      expect(await a.accounts.list()).toMatchObject([{ username: 'admin', role: 'admin' }])
      // The password shown is the one that works; the audit log has the one account made.
      await expect(a.signIn('admin', winner.password, { ip: null, userAgent: null })).resolves.toMatchObject({ session: { account: { role: 'admin' } } })
      expect((await a.audit.records()).filter(r => r.action === 'account.add').map(r => r.target)).toEqual(['admin'])
      // A weak configured password is still refused, and said so.
      const other = kind === 'postgres' ? await createTestDatabase() : undefined
      const empty = await openDatabase(other ? { url: other.url } : {})
      try {
        await expect((await openTestAuth(empty)).ensureFirstAdmin('short')).rejects.toThrow(/at least 10 characters/)
      }
      finally {
        await empty.close()
        await other?.drop()
      }
    }
    finally {
      if (second !== first)
        await second.close()
      await first.close()
      await fresh?.drop()
    }
  })

  it.skipIf(skip)('reveals one personal field to a dispatcher and audits it once; masks it from everyone else', async () => {
    const auth = await openTestAuth(db)
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device' }), logger, hub, db, auth })
    const dispatcher = await auth.addUser(`reveal-${kind}`, 'dispatcher', PASSWORD, 'test')
    const leader = await auth.addUser(`noreveal-${kind}`, 'leader', PASSWORD, 'test')
    const ask = async (account: typeof dispatcher) => app.request('/api/reveal', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cookie': `${SESSION_COOKIE}=${(await auth.sessions.open(account, null, null)).token}` },
      body: JSON.stringify({ kind: 'case', id: 1, field: 'reporter_phone' }),
    })
    const before = (await auth.audit.records()).length
    const response = await ask(dispatcher)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ value: '13911112222' })
    const after = await auth.audit.records()
    expect(after.length).toBe(before + 1)
    expect(after.at(-1)).toMatchObject({ actor: `reveal-${kind}`, role: 'dispatcher', action: 'personal.reveal', target: 'case:1', details: { field: 'reporter_phone' } })
    expect((await ask(leader)).status).toBe(403)
    // The wall's own case detail never carries it.
    expect(await (await app.request('/api/cases/1', { headers: { cookie: `${SESSION_COOKIE}=${(await auth.sessions.open(leader, null, null)).token}` } })).text()).not.toMatch(/13911112222|韩梅梅|杨柳村3组/)
  })

  it.skipIf(skip)('keeps a verifiable chain: tampering with any record is found and named; exports CSV; prunes by retention', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const fresh = kind === 'postgres' ? await createTestDatabase() : undefined
    const db = await openDatabase(fresh ? { url: fresh.url } : {})
    onTestFinished(async () => {
      await db.close()
      await fresh?.drop()
    })
    const auth = await openTestAuth(db, () => now)
    for (let i = 0; i < 5; i++) {
      now += 86_400_000
      await auth.record({ actor: `chain-${i}`, role: 'admin', ip: '10.0.0.1', action: 'test.chain', outcome: 'success', details: { i, 名: '审计' } })
    }
    expect((await auth.audit.verify()).broken).toBeNull()
    // Updates and deletes are refused by the database itself.
    await expect(db.query(`update ccapp.audit_log set actor = 'x' where actor = 'chain-2'`)).rejects.toThrow(/append-only/)
    const csv = (await import('../../server/src/auth/audit.ts')).auditCsv(await auth.audit.records(), 'Asia/Shanghai')
    expect(csv).toContain('chain-3')
    expect(csv.split('\r\n')[0]).toContain('at_utc,at_local')
    // Someone with the database's owner rights edits a record behind the trigger's back.
    await db.exec('alter table ccapp.audit_log disable trigger audit_append_only')
    const target = (await auth.audit.records()).find(r => r.actor === 'chain-2')!
    await db.query(`update ccapp.audit_log set outcome = 'failure' where id = $1`, [target.id])
    await db.exec('alter table ccapp.audit_log enable trigger audit_append_only')
    expect((await auth.audit.verify()).broken).toMatchObject({ id: target.id, reason: expect.stringMatching(/edited/) })
    await db.exec('alter table ccapp.audit_log disable trigger audit_append_only')
    await db.query(`update ccapp.audit_log set outcome = 'success' where id = $1`, [target.id])
    await db.exec('alter table ccapp.audit_log enable trigger audit_append_only')
    expect((await auth.audit.verify()).broken).toBeNull()
    // Retention: records older than 3 days go, the chain still verifies, and the pruning is audited.
    const removed = await auth.audit.prune(3)
    expect(removed).toBeGreaterThan(0)
    expect((await auth.audit.verify()).broken).toBeNull()
    expect((await auth.audit.records()).at(-1)).toMatchObject({ action: 'audit.prune', details: { removed } })
  })
})

describe.skipIf(!pgReachable)('live connections under access control (PostgreSQL, device mode)', () => {
  let testDb: TestDatabase
  let db: Database
  let product: RunningProduct
  let url: string

  beforeAll(async () => {
    testDb = await createTestDatabase()
    db = await openDatabase({ url: testDb.url })
    await seedMiniTownship(db)
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: testDb.url, DEMO: '0', ADMIN_PASSWORD: PASSWORD }), db, logger)
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
    await testDb?.drop()
  })

  const connect = (headers: Record<string, string>) => new Promise<{ connected: boolean, socket: ReturnType<typeof io> }>((resolve) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, extraHeaders: headers })
    socket.on('connect', () => resolve({ connected: true, socket }))
    socket.on('connect_error', () => resolve({ connected: false, socket }))
  })

  it('refuses a foreign origin and an anonymous screen; a revoked session loses its socket within a second', async () => {
    const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
    expect(signIn.status).toBe(200)
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const foreign = await connect({ origin: 'http://evil.example', cookie })
    expect(foreign.connected).toBe(false)
    foreign.socket.close()
    const anonymous = await connect({})
    expect(anonymous.connected).toBe(false)
    anonymous.socket.close()
    const mine = await connect({ origin: url, cookie })
    expect(mine.connected).toBe(true)
    const joined = await mine.socket.emitWithAck('subscribe', ['overview'])
    expect(joined).toEqual(['overview'])
    const gone = new Promise<number>(resolve => mine.socket.on('disconnect', () => resolve(Date.now())))
    const started = Date.now()
    // Revoked by another program (the account disabled in the database): the sweep notices.
    await db.query(`update ccapp.sessions set revoked_at = now()`)
    expect(await gone - started).toBeLessThan(1000)
  })
})

describe('account names', () => {
  it('take letters of any script (a wall named 大厅左屏), not spaces or quotes', async () => {
    const db = await openDatabase({})
    try {
      const auth = await openTestAuth(db)
      await expect(auth.addDisplay('大厅左屏', '10.1.2.0/24', 'test')).resolves.toMatchObject({ account: { username: '大厅左屏', kind: 'display' } })
      await expect(auth.addDisplay('a b', null, 'test')).rejects.toThrow(/letters, digits/)
      await expect(auth.addUser('wang\'', 'dispatcher', PASSWORD, 'test')).rejects.toThrow(/letters, digits/)
      await expect(auth.addDisplay('bad-range', '10.1.2.0/99', 'test')).rejects.toThrow(/not an IP range/)
    }
    finally {
      await db.close()
    }
  })
})
