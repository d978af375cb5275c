import type { TestDatabase } from '../harness/postgres.ts'
import { spawnSync } from 'node:child_process'
import { io } from 'socket.io-client'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/src/db/index.ts'
import { seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { freePort, startServer } from '../harness/server.ts'
import { TcpProxy } from '../harness/tcp-proxy.ts'

const root = new URL('../..', import.meta.url).pathname
const reachable = await postgresAvailable()

/** What a person sees on stderr, less npm's own warnings about the machine's npm configuration. */
function ownLines(stderr: string): string[] {
  return stderr.split('\n').filter(line => line.trim() !== '' && !line.startsWith('npm warn'))
}

describe('start-up configuration', () => {
  it('refuses a bad PORT with one clear line and a non-zero exit, before building anything', () => {
    const result = spawnSync('npm', ['start'], { cwd: root, env: { ...process.env, PORT: 'abc' }, encoding: 'utf8', timeout: 60_000 })
    expect(result.status).not.toBe(0)
    const lines = ownLines(result.stderr)
    expect(lines).toEqual(['error: PORT must be an integer from 0 to 65535 (got "abc")'])
    expect(result.stdout).not.toContain('building the screen')
  })

  it.skipIf(!reachable)('exits with one line when the database refuses the credentials or does not exist (waiting cannot mend that)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cc_no_such_database' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(result.status).toBe(1)
    const lines = ownLines(result.stderr)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: cannot open DATABASE_URL \(127\.0\.0\.1:5432\/cc_no_such_database\): .*does not exist/)
  })
})

describe.skipIf(!reachable)('a start before the database is up', () => {
  let testDb: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  afterAll(async () => {
    await proxy?.stop()
    await testDb?.drop()
  })

  it('keeps running: serves the screen and /api/health, answers /api/ready 503, and becomes ready by itself', async () => {
    testDb = await createTestDatabase()
    const db = await openDatabase({ url: testDb.url })
    await seedMiniTownship(db)
    await db.close()
    proxy = new TcpProxy('127.0.0.1', 5432)
    const port = await freePort()
    const url = new URL(testDb.url)
    url.port = String(port)
    // Nothing listens on the proxy's port yet: the database is "down" when the server starts.
    const server = await startServer({ env: { DATABASE_URL: url.toString() }, entry: 'product' })
    try {
      const ready = await fetch(`${server.url}/api/ready`)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toMatchObject({ error: { code: 'not_ready', message: expect.stringMatching(/ECONNREFUSED/) } })
      expect((await fetch(`${server.url}/api/overview`)).status).toBe(503)
      await proxy.start(port)
      const started = Date.now()
      while ((await fetch(`${server.url}/api/ready`).then(r => r.status, () => 0)) !== 200) {
        expect(Date.now() - started, `ready once the database answers\n${server.output()}`).toBeLessThan(30_000)
        await new Promise(resolve => setTimeout(resolve, 250))
      }
      const overview = await (await fetch(`${server.url}/api/overview`)).json() as { cameras: { total: number } }
      expect(overview.cameras.total).toBe(2)
      expect(server.process.exitCode).toBeNull()
    }
    finally {
      await server.stop()
    }
  })
})

describe('the server process', () => {
  it('answers health and readiness on the embedded database, and stops within 5 s on SIGTERM, closing sockets', async () => {
    const server = await startServer({ env: { LOG_LEVEL: 'info' } })
    try {
      expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ status: 'ok' })
      const ready = await fetch(`${server.url}/api/ready`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({ status: 'ready', database: 'pglite' })
      // Probes log at debug only: an ordinary request shows the id it sent back.
      const overview = await fetch(`${server.url}/api/overview`)
      expect(overview.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/)

      const socket = io(server.url, { transports: ['websocket'], reconnection: false })
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve)
        socket.once('connect_error', reject)
      })
      const disconnected = new Promise<string>(resolve => socket.once('disconnect', reason => resolve(reason)))

      const { code, ms } = await server.stop('SIGTERM')
      expect(code).toBe(0)
      expect(ms).toBeLessThan(5000)
      expect(await disconnected).toMatch(/server|transport/)
      socket.close()
      // Logs are JSON lines; requests carry the id sent back to the client; shutdown went the graceful way.
      const logs = server.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { msg: string, reqId?: string, path?: string })
      expect(logs.find(log => log.path === '/api/overview')?.reqId).toBe(overview.headers.get('x-request-id'))
      expect(logs.map(log => log.msg)).toEqual(expect.arrayContaining(['listening', 'shutting down', 'stopped']))
    }
    finally {
      await server.stop('SIGKILL')
    }
  }, 240_000)

  it('as the production entry, opens an empty embedded database as it is: a warning that says how to seed it, nothing generated', async () => {
    const server = await startServer({ entry: 'product', env: { LOG_LEVEL: 'info' } })
    try {
      expect(await (await fetch(`${server.url}/api/ready`)).json()).toMatchObject({ status: 'ready', database: 'pglite' })
      const overview = await (await fetch(`${server.url}/api/overview`)).json() as { open: number, households: number, cameras: { total: number } }
      expect({ open: overview.open, households: overview.households, cameras: overview.cameras.total }).toEqual({ open: 0, households: 0, cameras: 0 })
      const logs = server.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { level: number, msg: string })
      expect(logs.find(log => log.level === 40 && /holds no township/.test(log.msg))?.msg).toMatch(/npm run mock/)
      expect(logs.map(log => log.msg)).not.toContain('seeded the mock township')
    }
    finally {
      await server.stop()
    }
  })

  describe('on the real PostgreSQL', () => {
    let database: TestDatabase | undefined
    afterAll(async () => {
      await database?.drop()
    })

    it.skipIf(!reachable)('reports ready on PostgreSQL, and not ready once the database is gone', async () => {
      database = await createTestDatabase()
      const setup = await openDatabase({ url: database.url })
      await seedMiniTownship(setup)
      await setup.close()
      const server = await startServer({ env: { DATABASE_URL: database.url } })
      try {
        expect(await (await fetch(`${server.url}/api/ready`)).json()).toMatchObject({ status: 'ready', database: 'postgres' })
        await database.drop()
        const gone = await fetch(`${server.url}/api/ready`)
        expect(gone.status).toBe(503)
        expect(await gone.json()).toMatchObject({ error: { code: 'not_ready' } })
        expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ status: 'ok' })
      }
      finally {
        await server.stop()
      }
    })
  })
})
