import type { Overview } from '#wire'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { LiveClient } from '../../screen/src/live/client.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { freePort, startServer } from '../harness/server.ts'
import { TcpProxy } from '../harness/tcp-proxy.ts'

const reachable = await postgresAvailable()

/** Today's new cases and the open backlog, by the test's own SQL. */
async function truth(client: pg.Client): Promise<{ todayNew: number, open: number }> {
  const result = await client.query<{ today_new: string, open: string }>(`
    select count(*) filter (where reported_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')) as today_new,
           count(*) filter (where status in ('reported', 'accepted', 'dispatched', 'processing', 'fed_back')) as open
    from cases`)
  return { todayNew: Number(result.rows[0]!.today_new), open: Number(result.rows[0]!.open) }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('screens survive restarts', () => {
  let testDb: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let server: RunningServer | undefined
  let live: LiveClient | undefined
  let sql: pg.Client | undefined
  afterAll(async () => {
    live?.stop()
    await server?.stop()
    await proxy?.stop()
    await sql?.end()
    await testDb?.drop()
  })

  it.skipIf(!reachable)('a database restart and a server restart: the screen shows stale, then resyncs to the database\'s figures', async () => {
    testDb = await createTestDatabase()
    sql = new pg.Client({ connectionString: testDb.url })
    await sql.connect()
    await seedMiniTownship({ query: async (text, params) => ({ rows: (await sql!.query(text, params)).rows }), exec: async (text) => {
      await sql!.query(text)
    }, copyRows: () => Promise.reject(new Error('unused')) })
    const direct = { query: async (text: string, params?: unknown[]) => ({ rows: (await sql!.query(text, params)).rows }), exec: async () => {}, copyRows: () => Promise.reject(new Error('unused')) }
    await insertCase(direct, { id: 1 })

    proxy = new TcpProxy('127.0.0.1', 5432)
    const proxyPort = await proxy.start()
    const url = new URL(testDb.url)
    url.port = String(proxyPort)
    const port = await freePort()
    const env = { DATABASE_URL: url.toString(), CHANGE_CAPTURE: 'notify' }
    server = await startServer({ env, port })

    let overview: Overview | undefined
    live = new LiveClient({
      url: server.url,
      topics: ['overview', 'cases'],
      onData: (topic, data) => {
        if (topic === 'overview')
          overview = data as Overview
      },
    })
    live.start()
    await until('the first snapshot', () => live!.state.snapshots === 1)
    expect({ todayNew: overview!.todayNew, open: overview!.open }).toEqual(await truth(sql))

    // The database goes away (every connection dropped, new ones refused)…
    await proxy.cut()
    await until('the screen learns the database is down', () => live!.state.database === 'down')
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(503)
    // …and changes happen meanwhile, which the server cannot see.
    await insertCase(direct, { id: 2 })
    await insertCase(direct, { id: 3, level: 'urgent' })
    await proxy.restore()
    await until('the figures catch up after the database returns', async () => live!.state.database === 'up' && overview?.todayNew === (await truth(sql!)).todayNew)
    // (A frame of the new state may land before the snapshot it triggers: wait for that snapshot too.)
    await until('a fresh snapshot after the resync', () => live!.state.snapshots >= 2)

    // The server is killed (no goodbye) and comes back on the same port.
    await server.stop('SIGKILL')
    await until('the screen sees the server gone', () => !live!.state.connected)
    await insertCase(direct, { id: 4 })
    server = await startServer({ env, port })
    await until('the figures are right again without a reload', async () => live!.state.connected && overview?.todayNew === (await truth(sql!)).todayNew, 20_000)
    expect({ todayNew: overview!.todayNew, open: overview!.open }).toEqual(await truth(sql))
  })
})
