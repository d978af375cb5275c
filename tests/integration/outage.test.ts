import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { TcpProxy } from '../harness/tcp-proxy.ts'

const logger = pino({ level: 'silent' })
const reachable = await postgresAvailable()

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return Date.now() - started
}

describe.skipIf(!reachable)('after the database comes back (NOTIFY mode, through a TCP proxy the test controls)', () => {
  let testDb: TestDatabase
  let proxy: TcpProxy
  let db: Database
  let product: RunningProduct
  let writer: pg.Client

  beforeAll(async () => {
    testDb = await createTestDatabase()
    writer = new pg.Client({ connectionString: testDb.url })
    await writer.connect()
    const direct = { query: async (text: string, params?: unknown[]) => ({ rows: (await writer.query(text, params)).rows }), exec: async (text: string) => {
      await writer.query(text)
    }, copyRows: () => Promise.reject(new Error('unused')) }
    await seedMiniTownship(direct)
    proxy = new TcpProxy('127.0.0.1', 5432)
    const url = new URL(testDb.url)
    url.port = String(await proxy.start())
    db = await openDatabase({ url: url.toString() })
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url.toString(), DEMO: '0', WALL_ACCESS: 'open', CHANGE_CAPTURE: 'notify', ADMIN_PASSWORD: 'Correct-Horse-9' }), db, logger)
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
    await proxy?.stop()
    await writer?.end()
    await testDb?.drop()
  })

  it('a case written the moment the server says "up" reaches the state within 2 s, three outages in a row', async () => {
    const hub = product.hub
    const lags: number[] = []
    for (let round = 1; round <= 3; round++) {
      await proxy.cut()
      await until('the server notices the outage', () => hub.liveStatus().database === 'down', 10_000)
      await new Promise(resolve => setTimeout(resolve, 1500))
      await proxy.start(proxy.port)
      await until('the server is back up', () => hub.liveStatus().database === 'up', 20_000)
      const id = 100 + round
      await insertCase({ query: async (text, params) => ({ rows: (await writer.query(text, params)).rows }), exec: async () => {}, copyRows: () => Promise.reject(new Error('unused')) }, { id })
      lags.push(await until(`case ${id} reaches the state`, () => hub.engine.cases.has(id), 20_000))
    }
    // Before: 9.2, 2.4 and 7.6 s (it waited for the 15 s safety poll); the change feed answers at once now.
    expect(Math.max(...lags), `lags ${lags.join(', ')} ms`).toBeLessThan(2000)
  })
})
