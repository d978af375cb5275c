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

  it.skipIf(!reachable)('each instance sends its own screens the changes; a push on one reaches the screens of the other', async () => {
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
    const [first, second] = products as [RunningProduct, RunningProduct]

    const socket = io(`http://127.0.0.1:${second.port}`, { transports: ['websocket'], reconnection: false })
    const frames: Frame[] = []
    socket.on('frame', frame => frames.push(frame))
    await new Promise<void>(resolve => socket.once('connect', () => resolve()))
    await new Promise<void>(resolve => socket.emit('subscribe', ['cameras', 'push'], () => resolve()))

    const writer = new pg.Client({ connectionString: testDb.url })
    await writer.connect()
    await writer.query(`update cameras set status = 'alarm', updated_at = now() where id = 1`)
    await writer.end()

    const waitFor = async (check: () => boolean): Promise<boolean> => {
      const deadline = Date.now() + 3000
      while (!check() && Date.now() < deadline)
        await new Promise(resolve => setTimeout(resolve, 20))
      return check()
    }
    const alarmed = (): boolean => frames.some(f => f.topic === 'cameras' && (f as Frame<'cameras'>).data.changed.some(c => c.id === 1 && c.status === 'alarm'))
    expect(await waitFor(alarmed)).toBe(true)
    // Once, from its own instance (the frames follow that instance's snapshots: same version).
    expect(frames.filter(f => f.topic === 'cameras').flatMap(f => (f as Frame<'cameras'>).data.changed.map(c => c.id))).toEqual([1])
    expect(frames.every(f => f.version === second.hub.version)).toBe(true)
    expect(first.hub.stats.frames).toBeGreaterThan(0)

    // A case pushed to the wall on the first instance reaches the second's screen, as its own frame.
    first.hub.publish('push', { push: null })
    expect(await waitFor(() => frames.some(f => f.topic === 'push'))).toBe(true)
    expect(frames.find(f => f.topic === 'push')!.version).toBe(second.hub.version)
    expect(second.hub.snapshot(['push']).data.push).toEqual({ push: null })
    socket.close()
  })
})
