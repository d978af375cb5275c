import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { SESSION_COOKIE } from '../../server/src/api/access.ts'
import { createApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { LiveHub } from '../../server/src/live/hub.ts'
import { startProduct } from '../../server/src/server.ts'
import { ContractSource } from '../../server/src/sources/source.ts'
import { openTestAuth } from '../harness/auth.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'

/**
 * The parts of issue #15's edge and session control that `access.test.ts` does not reach: the headers
 * where they belong (HSTS only over TLS), probes kept out of the info log, the sign-in rate limit per
 * address, the lockout's backoff, sign-out here and everywhere, a display bound to its IP range, the
 * audit log's export for a period and a removed record found, and the live connection's edge in open
 * mode (a foreign origin, a flood of malformed subscriptions, a session ended over the API).
 */

const PASSWORD = 'Correct-Horse-9'
const silent = pino({ level: 'silent' })

/** A log that keeps its JSON lines, to read back what was written at which level. */
function memoryLogger(level: pino.Level) {
  const lines: { level: number, msg: string, path?: string }[] = []
  const sink = new Writable({ write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as { level: number, msg: string })
    done()
  } })
  return { logger: pino({ level }, sink), lines }
}

describe('the edge and sessions (embedded database)', () => {
  let db: Database
  let hub: LiveHub
  const screenDir = mkdtempSync(join(tmpdir(), 'cc-edge-screen-'))
  writeFileSync(join(screenDir, 'index.html'), '<!doctype html><title>wall</title>')

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    await insertCase(db, { id: 1, level: 'urgent' })
    await db.query(`update cases set reporter_name = '韩梅梅', reporter_phone = '13911112222' where id = 1`)
    hub = new LiveHub(new ContractSource(db, silent, { mode: 'poll', pollIntervalMs: 60_000 }), silent)
    await hub.start()
  })
  afterAll(async () => {
    await hub?.stop()
    await db?.close()
  })

  const cookieOf = async (auth: Awaited<ReturnType<typeof openTestAuth>>, username: string) => {
    const account = (await auth.accounts.list()).find(a => a.username === username)!
    return `${SESSION_COOKIE}=${(await auth.sessions.open(account, null, null)).token}`
  }

  it('sends the security headers everywhere, no-store on personal answers, no-cache on index.html, HSTS only over TLS', async () => {
    const auth = await openTestAuth(db)
    await auth.addUser('edge-dispatcher', 'dispatcher', PASSWORD, 'test')
    const env = { WALL_ACCESS: 'device', SCREEN_DIR: screenDir }
    const plain = createApp({ config: loadConfig(env), logger: silent, hub, db, auth })
    const tls = createApp({ config: loadConfig({ ...env, TLS_CERT: '/dev/null', TLS_KEY: '/dev/null' }), logger: silent, hub, db, auth })
    const cookie = await cookieOf(auth, 'edge-dispatcher')
    const get = (app: typeof plain, path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } })
    const answers = {
      'index': await get(plain, '/'),
      'client route': await get(plain, '/console'),
      'health': await get(plain, '/api/health'),
      'case detail': await get(plain, '/api/console/cases/1'),
      'me': await get(plain, '/api/auth/me'),
      'reveal': await get(plain, '/api/reveal', { method: 'POST', body: JSON.stringify({ kind: 'case', id: 1, field: 'reporter_phone' }) }),
      'refused': await plain.request('/api/console/cases/1'),
    }
    for (const [what, response] of Object.entries(answers)) {
      const csp = response.headers.get('content-security-policy') ?? ''
      expect({ what, csp: /default-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp) && !csp.includes('\'unsafe-eval\'') }).toEqual({ what, csp: true })
      expect({ what, nosniff: response.headers.get('x-content-type-options') }).toEqual({ what, nosniff: 'nosniff' })
      expect({ what, frame: response.headers.get('x-frame-options') }).toEqual({ what, frame: 'DENY' })
      expect({ what, referrer: response.headers.get('referrer-policy') }).toEqual({ what, referrer: 'no-referrer' })
      expect({ what, hsts: response.headers.get('strict-transport-security') }).toEqual({ what, hsts: null })
    }
    expect(answers.index.status).toBe(200)
    expect(answers.index.headers.get('cache-control')).toBe('no-cache')
    expect(answers['client route'].headers.get('cache-control')).toBe('no-cache')
    expect(answers['case detail'].status).toBe(200)
    expect(answers.reveal.status).toBe(200)
    for (const what of ['case detail', 'me', 'reveal', 'refused'] as const)
      expect({ what, cache: answers[what].headers.get('cache-control') }).toEqual({ what, cache: 'no-store' })
    for (const path of ['/', '/api/health'])
      expect((await get(tls, path)).headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/)
  })

  it('logs health probes at debug and other requests at info', async () => {
    const { logger, lines } = memoryLogger('debug')
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'open', SCREEN_DIR: screenDir }), logger, hub, db, auth: await openTestAuth(db) })
    for (const path of ['/api/health', '/api/ready', '/api/overview', '/api/health'])
      expect((await app.request(path)).status).toBe(200)
    const requests = lines.filter(l => l.msg === 'request').map(l => `${l.path} ${pino.levels.labels[l.level]}`)
    expect(requests).toEqual(['/api/health debug', '/api/ready debug', '/api/overview info', '/api/health debug'])
  })

  it('limits sign-ins to 10 a minute per address (429 with Retry-After), other addresses unaffected', async () => {
    const auth = await openTestAuth(db)
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device', TRUST_PROXY: '1' }), logger: silent, hub, db, auth })
    const signIn = (from: string) => app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username: 'nobody-here', password: 'Wrong-Password-1' }) })
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push((await signIn('10.0.0.5')).status)
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 401), 429])
    const limited = await signIn('10.0.0.5')
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await signIn('10.0.0.6')).status).toBe(401)
  })

  it('doubles the lock with each failure past the limit, up to an hour', async () => {
    let now = Date.parse('2026-11-20T02:00:00Z')
    const auth = await openTestAuth(db, () => now, { maxFailures: 2, lockMinutes: 10 })
    const account = await auth.addUser('edge-backoff', 'inspector', PASSWORD, 'test')
    const fail = () => auth.signIn('edge-backoff', 'Wrong-Password-1', { ip: null, userAgent: null }).catch((error: Error) => error)
    const lockedFor = async () => ((await auth.accounts.byId(account.id))!.lockedUntil!.getTime() - now) / 60_000
    await fail()
    expect((await auth.accounts.byId(account.id))!.lockedUntil).toBeNull()
    await fail()
    expect(await lockedFor()).toBe(10)
    // While locked, even the right password is refused, and the lock does not grow.
    await expect(auth.signIn('edge-backoff', PASSWORD, { ip: null, userAgent: null })).rejects.toMatchObject({ code: 'locked' })
    expect(await lockedFor()).toBe(10)
    const minutes: number[] = []
    for (let i = 0; i < 3; i++) {
      now += (await lockedFor()) * 60_000 + 1000
      await fail()
      minutes.push(Math.round(await lockedFor()))
    }
    expect(minutes).toEqual([20, 40, 60])
    now += 60 * 60_000 + 1000
    await expect(auth.signIn('edge-backoff', PASSWORD, { ip: null, userAgent: null })).resolves.toMatchObject({ session: { account: { username: 'edge-backoff' } } })
    expect((await auth.accounts.byId(account.id))!.failedCount).toBe(0)
  })

  it('signs out here or everywhere; a disabled account\'s sessions end and it cannot sign in', async () => {
    const auth = await openTestAuth(db)
    const ended: string[][] = []
    auth.onRevoked = ids => ended.push(ids)
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device' }), logger: silent, hub, db, auth })
    await auth.addUser('edge-out', 'leader', PASSWORD, 'test')
    await auth.addUser('edge-other', 'leader', PASSWORD, 'test')
    const [a, b, c, other] = [await cookieOf(auth, 'edge-out'), await cookieOf(auth, 'edge-out'), await cookieOf(auth, 'edge-out'), await cookieOf(auth, 'edge-other')]
    const me = async (cookie: string) => (await app.request('/api/auth/me', { headers: { cookie } })).status
    const post = (path: string, cookie: string) => app.request(path, { method: 'POST', headers: { cookie } })
    expect((await post('/api/auth/sign-out', a)).status).toBe(200)
    expect([await me(a), await me(b), await me(c)]).toEqual([401, 200, 200])
    const everywhere = await post('/api/auth/sign-out-everywhere', b)
    expect(everywhere.status).toBe(200)
    expect(everywhere.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;`))
    expect([await me(b), await me(c), await me(other)]).toEqual([401, 401, 200])
    expect(ended.map(ids => ids.length)).toEqual([1, 2])
    const records = (await auth.audit.records()).filter(r => r.actor === 'edge-out').map(r => `${r.action}:${JSON.stringify(r.details)}`)
    expect(records).toEqual(['auth.sign_out:{"sessions":1}', 'auth.sign_out_everywhere:{"sessions":2}'])

    await auth.setDisabled((await auth.accounts.list()).find(x => x.username === 'edge-other')!, true, 'admin-test')
    expect(await me(other)).toBe(401)
    expect(ended.at(-1)).toHaveLength(1)
    await expect(auth.signIn('edge-other', PASSWORD, { ip: null, userAgent: null })).rejects.toMatchObject({ code: 'unauthorized' })
    expect((await auth.audit.records()).filter(r => r.target === 'edge-other').map(r => r.action)).toEqual(['account.add', 'account.disable'])
  })

  it('lets a display bound to an IP range sign in only from that range, audited either way', async () => {
    const auth = await openTestAuth(db)
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device', TRUST_PROXY: '1' }), logger: silent, hub, db, auth })
    const { token } = await auth.addDisplay('edge-hall', '10.1.2.0/24', 'test')
    const present = (from: string) => app.request('/api/auth/display', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ token }) })
    const inside = await present('10.1.2.77')
    expect(inside.status).toBe(200)
    expect(inside.headers.get('set-cookie')).toMatch(/Max-Age=\d{7,}/)
    expect((await present('10.1.3.1')).status).toBe(401)
    const records = (await auth.audit.records()).filter(r => r.actor === 'edge-hall').map(r => `${r.action}:${r.outcome}:${r.ip}:${(r.details as { reason?: string } | null)?.reason ?? ''}`)
    expect(records).toEqual(['auth.display_sign_in:success:10.1.2.77:', 'auth.display_sign_in:failure:10.1.3.1:outside its IP range'])
  })
})

describe('the audit log over the API (embedded database)', () => {
  it('exports a period of local days as CSV (the day `to` not included), refuses dates that do not exist, and finds a removed record', async () => {
    const db = await openDatabase({})
    onTestFinished(() => db.close())
    await seedMiniTownship(db)
    let now = Date.parse('2026-03-01T12:00:00Z')
    const auth = await openTestAuth(db, () => now)
    const hub = new LiveHub(new ContractSource(db, silent, { mode: 'poll', pollIntervalMs: 60_000 }), silent)
    await hub.start()
    onTestFinished(() => hub.stop())
    const app = createApp({ config: loadConfig({ WALL_ACCESS: 'device', TIME_ZONE: 'Asia/Shanghai' }), logger: silent, hub, db, auth })
    // 2026-03-01T12:00Z is 20:00 on March 1st in Beijing; 17:00Z the next record is already March 2nd there.
    for (const at of ['2026-03-01T12:00:00Z', '2026-03-01T17:00:00Z', '2026-03-02T15:59:00Z', '2026-03-02T16:00:00Z']) {
      now = Date.parse(at)
      await auth.record({ actor: `period-${at}`, role: 'admin', ip: '10.0.0.1', action: 'test.period', outcome: 'success' })
    }
    await auth.addUser('edge-auditor', 'admin', PASSWORD, 'test')
    await auth.addUser('edge-inspector', 'inspector', PASSWORD, 'test')
    const cookie = async (username: string) => `${SESSION_COOKIE}=${(await auth.sessions.open((await auth.accounts.list()).find(a => a.username === username)!, null, null)).token}`
    const admin = await cookie('edge-auditor')
    const csv = await app.request('/api/audit?from=2026-03-02&to=2026-03-03&format=csv', { headers: { cookie: admin } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toContain('audit-2026-03-02-2026-03-03.csv')
    expect(csv.headers.get('cache-control')).toBe('no-store')
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(rows[0]).toBe('id,at_utc,at_local,actor,role,ip,action,target,outcome,details,hash')
    expect(rows.slice(1).map(r => r.split(',').slice(1, 4).join(','))).toEqual([
      '2026-03-01T17:00:00.000Z,2026-03-02 01:00:00,period-2026-03-01T17:00:00Z',
      '2026-03-02T15:59:00.000Z,2026-03-02 23:59:00,period-2026-03-02T15:59:00Z',
    ])
    for (const bad of ['from=2026-02-30', 'to=2026-13-01', 'from=yesterday'])
      expect((await app.request(`/api/audit?${bad}`, { headers: { cookie: admin } })).status).toBe(400)
    expect((await app.request('/api/audit?format=csv', { headers: { cookie: await cookie('edge-inspector') } })).status).toBe(403)

    // A record removed behind the trigger's back: the one after it no longer follows, and is named.
    expect(await (await app.request('/api/audit/verify', { headers: { cookie: admin } })).json()).toMatchObject({ broken: null })
    const all = await auth.audit.records()
    await db.exec('alter table ccapp.audit_log disable trigger audit_append_only')
    await db.query('delete from ccapp.audit_log where id = $1', [all[1]!.id])
    await db.exec('alter table ccapp.audit_log enable trigger audit_append_only')
    expect(await (await app.request('/api/audit/verify', { headers: { cookie: admin } })).json()).toMatchObject({ broken: { id: all[2]!.id, reason: expect.stringMatching(/removed or inserted/) } })
  })
})

describe('the live connection\'s edge on an open wall (embedded database)', () => {
  let db: Database
  let product: RunningProduct
  let url: string
  const log = memoryLogger('info')

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', CHANGE_CAPTURE: 'poll', ADMIN_PASSWORD: PASSWORD }), db, log.logger)
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
  })

  const connect = (headers: Record<string, string>) => new Promise<{ connected: boolean, socket: ReturnType<typeof io> }>((resolve) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, extraHeaders: headers })
    socket.on('connect', () => resolve({ connected: true, socket }))
    socket.on('connect_error', () => resolve({ connected: false, socket }))
  })

  it('refuses a foreign origin even though the wall is open, and gives an anonymous screen only the wall\'s topics', async () => {
    const foreign = await connect({ origin: 'http://evil.example' })
    foreign.socket.close()
    expect(foreign.connected).toBe(false)
    const own = await connect({ origin: url })
    onTestFinished(() => void own.socket.close())
    expect(own.connected).toBe(true)
    expect(await own.socket.emitWithAck('subscribe', ['overview', 'queue'])).toEqual(['overview'])
  })

  it('writes one warning for a flood of malformed subscriptions, and the socket stays', async () => {
    const { socket } = await connect({ origin: url })
    onTestFinished(() => void socket.close())
    const before = log.lines.length
    for (let i = 0; i < 2000; i++) {
      socket.emit('subscribe', `garbage-${i}` as never)
      socket.emit('unsubscribe', { i } as never)
    }
    expect(await socket.emitWithAck('subscribe', ['overview'])).toEqual(['overview'])
    expect(log.lines.slice(before).filter(l => /malformed/.test(l.msg))).toHaveLength(1)
    expect(socket.connected).toBe(true)
  })

  it('disconnects at once the live connection of a session ended over the API', async () => {
    const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const { connected, socket } = await connect({ origin: url, cookie })
    onTestFinished(() => void socket.close())
    expect(connected).toBe(true)
    expect(await socket.emitWithAck('subscribe', ['queue'])).toEqual(['queue'])
    const gone = new Promise<number>(resolve => socket.on('disconnect', () => resolve(Date.now())))
    const started = Date.now()
    expect((await fetch(`${url}/api/auth/sign-out-everywhere`, { method: 'POST', headers: { cookie } })).status).toBe(200)
    expect(await gone - started).toBeLessThan(1000)
  })

  it('disconnects within a second the live connection of an account disabled by another program', async () => {
    await product.auth.addUser('edge-live', 'leader', PASSWORD, 'test')
    const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'edge-live', password: PASSWORD }) })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const { connected, socket } = await connect({ origin: url, cookie })
    onTestFinished(() => void socket.close())
    expect(connected).toBe(true)
    const gone = new Promise<number>(resolve => socket.on('disconnect', () => resolve(Date.now())))
    const started = Date.now()
    // As `npm run users -- disable` does from its own process: only the database knows.
    await db.query(`update ccapp.accounts set disabled_at = now() where username = 'edge-live'`)
    expect(await gone - started).toBeLessThan(1000)
  })
})

describe('connection-state recovery on a device-mode wall (embedded database)', () => {
  let db: Database
  let product: RunningProduct
  let url: string

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'device', CHANGE_CAPTURE: 'poll', ADMIN_PASSWORD: PASSWORD }), db, silent)
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
  })

  /** A display's socket that reconnects quickly, and what happened to it after its transport dropped. */
  async function droppedDisplay(name: string, meanwhile: (sessionId: string) => Promise<void>) {
    const { token } = await product.auth.addDisplay(name, null, 'test')
    const signedIn = await fetch(`${url}/api/auth/display`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!
    const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 50, reconnectionDelayMax: 100 })
    onTestFinished(() => void socket.close())
    await new Promise<void>(resolve => socket.once('connect', () => resolve()))
    expect(await socket.emitWithAck('subscribe', ['overview'])).toEqual(['overview'])
    const sessionId = (await product.auth.check(cookie.split('=')[1]!, false) as { session: { id: string } }).session.id
    const outcome = new Promise<string>((resolve) => {
      socket.once('connect', () => resolve(socket.recovered ? 'recovered' : 'connected afresh'))
      socket.once('connect_error', error => resolve(`refused: ${error.message}`))
    })
    // The transport drops (a network blip) while the server keeps the socket's state for recovery.
    socket.io.engine.close()
    await meanwhile(sessionId)
    return outcome
  }

  it('recovers a display\'s socket after a blip, but authenticates it again: a session ended meanwhile is refused', async () => {
    expect(await droppedDisplay('edge-blip', async () => {})).toBe('recovered')
    // Ended in the database only (no sweep can see a socket that is away): only the recovery's check stops it.
    expect(await droppedDisplay('edge-ended', async (id) => {
      await db.query('update ccapp.sessions set revoked_at = now() where id = $1', [id])
    })).toBe('refused: sign in first')
  })
})
