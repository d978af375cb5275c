import type { CasePoint } from '#wire'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { LiveClient } from '../../screen/src/live/client.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { redisAvailable } from '../harness/redis.ts'
import { freePort, startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'
import { TcpProxy } from '../harness/tcp-proxy.ts'

const reachable = (await postgresAvailable()) && (await redisAvailable())

/** What the test's screens and servers say, for a failure's message. */
let explain = async (): Promise<string> => ''

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms\n${await explain()}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return Date.now() - started
}

/** Whether an instance hears the others through Redis, from its own /metrics. */
async function redisUp(server: RunningServer): Promise<boolean> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return /^cc_redis_up 1$/m.test(text)
}

/** A screen on one instance: the ticker's feed and the pushed case, as its live client keeps them (frames, gaps, snapshots). */
function screen(url: string): { live: LiveClient, feed: () => CasePoint[], pushed: () => number | null } {
  let feed: CasePoint[] = []
  let pushed: number | null = null
  const live = new LiveClient({
    url,
    topics: ['cases', 'push'],
    onData: (topic, data) => {
      if (topic === 'cases')
        feed = (data as { cases: CasePoint[] }).cases
      if (topic === 'push')
        pushed = (data as { push: { caseId: number } | null }).push?.caseId ?? null
    },
  })
  live.start()
  return { live, feed: () => feed, pushed: () => pushed }
}

/** An operator on one instance sends a case to the wall (as the admin the harness creates). */
async function pushToWall(server: RunningServer, caseId: number): Promise<void> {
  const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'origin': server.url }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) })
  expect(signIn.status).toBe(200)
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
  const pushed = await fetch(`${server.url}/api/wall/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'origin': server.url, cookie }, body: JSON.stringify({ caseId }) })
  expect(pushed.status, await pushed.clone().text()).toBe(200)
}

describe.skipIf(!reachable)('two instances behind Redis, faulted (PostgreSQL and Redis behind TCP proxies the test controls)', () => {
  let testDb: TestDatabase
  let sql: pg.Client
  const proxies: TcpProxy[] = []
  const servers: RunningServer[] = []
  const screens: LiveClient[] = []
  afterAll(async () => {
    for (const live of screens)
      live.stop()
    for (const server of servers)
      await server.stop('SIGKILL').catch(() => {})
    for (const proxy of proxies)
      await proxy.stop()
    await sql?.end()
    await testDb?.drop()
  })

  // Steps wait generously: on a loaded 2-core machine a process restart takes seconds. What is measured
  // is that every change arrives on every screen.
  it('kill -9 of an instance, a Redis restart and a PostgreSQL restart: every screen sees every change and every push', { timeout: 300_000 }, async () => {
    testDb = await createTestDatabase()
    sql = new pg.Client({ connectionString: testDb.url })
    await sql.connect()
    const writer = { query: async (text: string, params?: unknown[]) => ({ rows: (await sql.query(text, params)).rows }), exec: async (text: string) => {
      await sql.query(text)
    }, copyRows: () => Promise.reject(new Error('unused')) }
    await seedMiniTownship(writer)
    const pgProxy = new TcpProxy('127.0.0.1', 5432)
    const redisProxy = new TcpProxy('127.0.0.1', 6379)
    proxies.push(pgProxy, redisProxy)
    const dbUrl = new URL(testDb.url)
    dbUrl.port = String(await pgProxy.start(await freePort()))
    const env = { DATABASE_URL: dbUrl.toString(), REDIS_URL: `redis://127.0.0.1:${await redisProxy.start(await freePort())}`, REDIS_PREFIX: `cc-failover-${randomBytes(4).toString('hex')}`, CHANGE_CAPTURE: 'notify' }
    for (let i = 0; i < 2; i++)
      servers.push(await startServer({ env, entry: 'product' }))
    const views = servers.map(server => screen(server.url))
    screens.push(...views.map(v => v.live))
    await until('both screens have their snapshot', () => views.every(v => v.live.state.snapshots >= 1), 15_000)
    const seen = (id: number, on = views) => on.every(v => v.feed().some(c => c.id === id))
    explain = async () => `${JSON.stringify(views.map(v => ({ feed: v.feed().map(c => c.id), pushed: v.pushed(), state: v.live.state })))}\n${JSON.stringify(await Promise.all(servers.map(async server => (await (await fetch(`${server.url}/api/snapshot?topics=cases`)).json() as { seq: unknown, data: { cases: { cases: CasePoint[] } } }).data.cases.cases.map(c => c.id))))}\n${servers.map(server => server.output().split('\n').slice(-15).join('\n')).join('\n---\n')}`

    await insertCase(writer, { id: 1 })
    await until('a case reaches the screens of both instances', () => seen(1), 15_000)
    // Each instance sends its own screens the frames that follow their snapshot: no screen re-reads.
    expect(views.map(v => v.live.state.snapshots)).toEqual([1, 1])
    // A push from a console on one instance reaches the wall on the other (through Redis).
    await pushToWall(servers[0]!, 1)
    await until('a push on one instance reaches the screens of both', () => views.every(v => v.pushed() === 1), 10_000)

    // One instance dies without a word: the other's screen carries on; the dead one's comes back with it.
    const killedPort = servers[0]!.port
    await servers[0]!.stop('SIGKILL')
    await insertCase(writer, { id: 2 })
    await until('a change while one instance is dead reaches the other\'s screen', () => seen(2, [views[1]!]), 30_000)
    servers[0] = await startServer({ env, entry: 'product', port: killedPort })
    await until('both screens see the change made while one instance was dead', () => seen(2), 45_000)

    // Redis restarts: the figures never needed it; pushes flow again once both hear Redis.
    await redisProxy.cut()
    await until('the instances notice Redis is away', async () => !(await redisUp(servers[1]!)), 20_000)
    await insertCase(writer, { id: 3 })
    await until('a change while Redis is away reaches both screens', () => seen(3), 30_000)
    await redisProxy.restore()
    await until('both instances hear Redis again', async () => (await Promise.all(servers.map(redisUp))).every(Boolean), 45_000)
    await insertCase(writer, { id: 4 })
    await until('a case after the Redis restart reaches both screens', () => seen(4), 30_000)
    await pushToWall(servers[1]!, 4)
    await until('a push after the Redis restart reaches the screens of both', () => views.every(v => v.pushed() === 4), 10_000)

    // PostgreSQL restarts: both resynchronise by themselves.
    await pgProxy.cut()
    await until('the screens learn the database is down', () => views.every(v => v.live.state.database === 'down'), 30_000)
    await insertCase(writer, { id: 5 })
    await pgProxy.restore()
    await until('a change made during the outage reaches both screens', () => seen(5), 45_000)
    await insertCase(writer, { id: 6 })
    await until('and one made after it', () => seen(6), 30_000)
  })
})
