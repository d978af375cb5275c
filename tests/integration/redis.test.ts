import type { Database } from '../../server/src/db/types.ts'
import type { Frame } from '#wire'
import type { RunningProduct } from '../../server/src/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { REDIS_URL, redisAvailable } from '../harness/redis.ts'

const reachable = (await postgresAvailable()) && (await redisAvailable())

describe('two server instances behind Redis', () => {
  let testDb: TestDatabase | undefined
  const dbs: Database[] = []
  const products: RunningProduct[] = []
  afterAll(async () => {
    for (const product of products.reverse())
      await product.close()
    for (const db of dbs)
      await db.close()
    await testDb?.drop()
  })

  it.skipIf(!reachable)('a change seen by the leader reaches a screen connected to the other instance', async () => {
    testDb = await createTestDatabase()
    const setup = await openDatabase({ url: testDb.url })
    await seedMiniTownship(setup)
    await setup.close()
    // Each test run gets its own Redis keys, so parallel runs never elect each other.
    const prefix = `cc-test-${randomBytes(4).toString('hex')}`
    const logger = pino({ level: 'silent' })
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: testDb.url })
      dbs.push(db)
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL, REDIS_PREFIX: prefix, CHANGE_CAPTURE: 'notify', DEMO: '0' })
      products.push(await startProduct(config, db, logger))
    }
    const [leader, follower] = products as [RunningProduct, RunningProduct]

    const socket = io(`http://127.0.0.1:${follower.port}`, { transports: ['websocket'], reconnection: false })
    const frames: Frame[] = []
    socket.on('frame', frame => frames.push(frame))
    await new Promise<void>(resolve => socket.once('connect', () => resolve()))
    await new Promise<void>(resolve => socket.emit('subscribe', ['cameras'], () => resolve()))

    const writer = new pg.Client({ connectionString: testDb.url })
    await writer.connect()
    await writer.query(`update cameras set status = 'alarm', updated_at = now() where id = 1`)
    await writer.end()

    const deadline = Date.now() + 3000
    const alarmed = (): boolean => frames.some(f => f.topic === 'cameras' && (f as Frame<'cameras'>).data.changed.some(c => c.id === 1 && c.status === 'alarm'))
    while (!alarmed() && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 20))
    socket.close()
    expect(alarmed()).toBe(true)
    // Nothing but the change itself: the first poll after the snapshot re-reads nothing.
    expect(frames.filter(f => f.topic === 'cameras').flatMap(f => (f as Frame<'cameras'>).data.changed.map(c => c.id))).toEqual([1])
    // Only the leader sent frames; the follower's screen got them through Redis.
    expect(leader.hub.stats.frames).toBeGreaterThan(0)
    expect(follower.hub.stats.frames).toBe(0)
  })
})
