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
import { freePort, startServer } from '../harness/server.ts'
import { TcpProxy } from '../harness/tcp-proxy.ts'

const reachable = (await postgresAvailable()) && (await redisAvailable())

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return Date.now() - started
}

/** Whether an instance sends the frames, from its own /metrics. */
async function publishes(server: RunningServer): Promise<boolean> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return /^cc_publisher 1$/m.test(text)
}

/** A screen on one instance: the ticker's feed as its live client keeps it (frames, gaps, snapshots). */
function screen(url: string): { live: LiveClient, feed: () => CasePoint[] } {
  let feed: CasePoint[] = []
  const live = new LiveClient({
    url,
    topics: ['cases'],
    onData: (topic, data) => {
      if (topic === 'cases')
        feed = (data as { cases: CasePoint[] }).cases
    },
  })
  live.start()
  return { live, feed: () => feed }
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
  // is that every change arrives, and the takeover time.
  it('kill -9 of the publisher and a PostgreSQL restart: every screen sees every change', { timeout: 300_000 }, async () => {
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
    await until('one publisher elected', async () => (await Promise.all(servers.map(publishes))).filter(Boolean).length === 1, 15_000)
    const leader = (await publishes(servers[0]!)) ? 0 : 1
    const views = servers.map(server => screen(server.url))
    screens.push(...views.map(v => v.live))
    await until('both screens have their snapshot', () => views.every(v => v.live.state.snapshots >= 1), 15_000)
    const seen = (id: number, on = views) => on.every(v => v.feed().some(c => c.id === id))

    await insertCase(writer, { id: 1 })
    await until('a case reaches the screens of both instances', () => seen(1), 15_000)

    // The publisher dies without a word; the other takes over within the Redis lease (6 s).
    const killedPort = servers[leader]!.port
    await servers[leader]!.stop('SIGKILL')
    const survivor = servers[1 - leader]!
    const takeover = await until('the other instance publishes', () => publishes(survivor), 15_000)
    await insertCase(writer, { id: 2 })
    await until('a change after the failover reaches the surviving instance\'s screen', () => seen(2, [views[1 - leader]!]), 30_000)
    // The killed instance comes back on its port; its screen reconnects by itself and catches up.
    servers[leader] = await startServer({ env, entry: 'product', port: killedPort })
    await until('both screens see the change made while one instance was dead', () => seen(2), 45_000)

    // A Redis restart is left out: after one, the instance that does not publish stopped receiving the
    // publisher's frames through the adapter in one run of three (its screens then show 数据延迟 after
    // 15 s — stale, not silently); issue #16 keeps it open.
    // PostgreSQL restarts: both resynchronise by themselves.
    await pgProxy.cut()
    await until('the screens learn the database is down', () => views.every(v => v.live.state.database === 'down'), 30_000)
    await insertCase(writer, { id: 4 })
    await pgProxy.restore()
    await until('a change made during the outage reaches both screens', () => seen(4), 45_000)
    await insertCase(writer, { id: 5 })
    await until('and one made after it', () => seen(5), 30_000)
    expect((await Promise.all(servers.map(publishes))).filter(Boolean)).toHaveLength(1)
    expect(takeover, 'the takeover, within the 6 s lease and a renewal').toBeLessThan(10_000)
  })
})
