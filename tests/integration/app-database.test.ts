import type { TestDatabase } from '../harness/postgres.ts'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { migrateAppSchema } from '../../server/src/auth/schema.ts'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, POSTGRES_ADMIN_URL, postgresAvailable } from '../harness/postgres.ts'

const silent = pino({ level: 'silent' })
const pgReachable = await postgresAvailable()
const PASSWORD = 'Correct-Horse-9'

/** Runs SQL as the PostgreSQL superuser on one database (or the server's own). */
async function asAdmin(sql: string, database?: string): Promise<pg.QueryResult> {
  const url = new URL(POSTGRES_ADMIN_URL)
  if (database)
    url.pathname = `/${database}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    return await client.query(sql)
  }
  finally {
    await client.end()
  }
}

/**
 * Issue #15's "where app state lives": a contract database that may only be read (a replica, a
 * read-only account) keeps no product state; accounts, sessions and the audit log go to
 * `APP_DATABASE_URL`, migrated (versioned) at start, once.
 */
describe.skipIf(!pgReachable)('the product\'s state beside a read-only contract database (PostgreSQL)', () => {
  let contract: TestDatabase
  let app: TestDatabase
  const reader = `cc_reader_${randomBytes(4).toString('hex')}`
  let readOnlyUrl: string

  beforeAll(async () => {
    contract = await createTestDatabase()
    app = await createTestDatabase()
    const seeding = await openDatabase({ url: contract.url })
    await seedMiniTownship(seeding)
    await seeding.close()
    await asAdmin(`create role ${reader} login`)
    await asAdmin(`revoke create on schema public from public; grant usage on schema public to ${reader}; grant select on all tables in schema public to ${reader}`, contract.name)
    await asAdmin(`revoke create, temporary on database "${contract.name}" from public`)
    const url = new URL(contract.url)
    url.username = reader
    readOnlyUrl = url.toString()
  })
  afterAll(async () => {
    await contract?.drop()
    await app?.drop()
    await asAdmin(`drop role if exists ${reader}`)
  })

  const configFor = (appUrl?: string) => loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', DATABASE_URL: readOnlyUrl, APP_DATABASE_URL: appUrl, CHANGE_CAPTURE: 'poll', ADMIN_PASSWORD: PASSWORD })

  it('refuses to start without APP_DATABASE_URL, saying so in one line', async () => {
    const db = await openDatabase({ url: readOnlyUrl })
    onTestFinished(() => db.close())
    const started = startProduct(configFor(), db, silent)
    await expect(started).rejects.toThrow(/cannot hold the product's accounts and audit log .*set APP_DATABASE_URL to a writable PostgreSQL/)
    expect((await asAdmin(`select count(*)::int as n from information_schema.schemata where schema_name = 'ccapp'`, contract.name)).rows[0]).toEqual({ n: 0 })
  })

  it('keeps accounts, sessions and the audit log in APP_DATABASE_URL, migrated once, and nothing in the contract\'s database', async () => {
    for (let start = 0; start < 2; start++) {
      const db = await openDatabase({ url: readOnlyUrl })
      const product = await startProduct(configFor(app.url), db, silent)
      try {
        const url = `http://127.0.0.1:${product.port}`
        const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })
        expect(signIn.status).toBe(200)
        const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
        expect((await fetch(`${url}/api/overview`, { headers: { cookie } })).status).toBe(200)
      }
      finally {
        await product.close()
        await db.close()
      }
    }
    const versions = await asAdmin('select version from ccapp.migrations order by version', app.name)
    expect(versions.rows.map(r => r.version)).toEqual([1, 2])
    const counts = (await asAdmin(`select (select count(*) from ccapp.accounts)::int as accounts, (select count(*) from ccapp.sessions)::int as sessions, (select count(*) from ccapp.audit_log where action = 'config.start' and details->>'appDatabase' = 'APP_DATABASE_URL')::int as starts`, app.name)).rows[0]
    expect(counts).toEqual({ accounts: 1, sessions: 2, starts: 2 })
    expect((await asAdmin(`select count(*)::int as n from information_schema.schemata where schema_name = 'ccapp'`, contract.name)).rows[0]).toEqual({ n: 0 })
    // A third run of the migrations finds nothing to do.
    const appDb = await openDatabase({ url: app.url })
    onTestFinished(() => appDb.close())
    expect(await migrateAppSchema(appDb)).toEqual([])
  })

  it('starts two instances together on an empty database: one administrator, its password printed once, both serving', async () => {
    const together = await createTestDatabase()
    onTestFinished(() => together.drop())
    const printed: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (String(chunk).includes('First start'))
        printed.push(String(chunk))
      return write(chunk, ...rest as [])
    })
    onTestFinished(() => spy.mockRestore())
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', DATABASE_URL: readOnlyUrl, APP_DATABASE_URL: together.url, CHANGE_CAPTURE: 'poll' })
    const dbs = [await openDatabase({ url: readOnlyUrl }), await openDatabase({ url: readOnlyUrl })]
    let started: PromiseSettledResult<Awaited<ReturnType<typeof startProduct>>>[] = []
    onTestFinished(async () => {
      for (const s of started) {
        if (s.status === 'fulfilled')
          await s.value.close()
      }
      for (const db of dbs)
        await db.close()
    })
    started = await Promise.allSettled(dbs.map(db => startProduct(config, db, silent)))
    expect(started.map(s => s.status === 'rejected' ? String(s.reason) : 'started')).toEqual(['started', 'started'])
    expect(printed).toHaveLength(1)
    const password = /password: (\S+)/.exec(printed[0]!)![1]!
    for (const s of started) {
      const product = (s as PromiseFulfilledResult<Awaited<ReturnType<typeof startProduct>>>).value
      const signIn = await fetch(`http://127.0.0.1:${product.port}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
      expect(signIn.status).toBe(200)
    }
    expect((await asAdmin('select username, role from ccapp.accounts', together.name)).rows).toEqual([{ username: 'admin', role: 'admin' }])
  })
})
