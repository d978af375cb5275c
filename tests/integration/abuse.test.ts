import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import { Writable } from 'node:stream'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { seedMiniTownship } from '../harness/contract.ts'

const PASSWORD = 'Correct-Horse-9'

describe('a client that floods the server', () => {
  let db: Database
  let product: RunningProduct
  let url: string
  const lines: string[] = []

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    const sink = new Writable({ write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    } })
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', ADMIN_PASSWORD: PASSWORD }), db, pino({ level: 'info' }, sink))
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
  })

  it('sends 3,000 messages of an unknown kind: one warning in the log (with the count), and the socket stays', async () => {
    const socket = io(url, { transports: ['websocket'] })
    await new Promise<void>(resolve => socket.once('connect', () => resolve()))
    const before = lines.length
    for (let i = 0; i < 3000; i++)
      socket.emit(`junk-${i % 7}`, { i })
    // Still answered after the flood: it was read, not fatal.
    expect(await socket.emitWithAck('subscribe', ['overview'])).toEqual(['overview'])
    const warnings = lines.slice(before).map(line => JSON.parse(line) as { msg: string, dropped?: number }).filter(l => /unknown kind/.test(l.msg))
    expect(warnings).toHaveLength(1)
    expect(socket.connected).toBe(true)
    socket.close()
  })

  it('limits searches: 120 a minute, then 429 with Retry-After', async () => {
    await product.auth.addUser('searcher', 'dispatcher', PASSWORD, 'test')
    const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'searcher', password: PASSWORD }) })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const statuses: number[] = []
    for (let i = 0; i < 121; i++)
      statuses.push((await fetch(`${url}/api/console/queue?q=SJ${i}`, { headers: { cookie } })).status)
    expect(statuses.slice(0, 120).every(s => s === 200)).toBe(true)
    const last = await fetch(`${url}/api/console/queue?q=again`, { headers: { cookie } })
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0)
    // The queue itself (no search) stays available to the operator.
    expect((await fetch(`${url}/api/console/queue`, { headers: { cookie } })).status).toBe(200)
  })
})
