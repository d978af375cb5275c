import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The real PostgreSQL server used by integration tests when it is reachable (override: TEST_POSTGRES_URL). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

let available: Promise<boolean> | undefined

/** Whether the real PostgreSQL server answers (asked once per test file). */
export function postgresAvailable(): Promise<boolean> {
  available ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('select 1')
      return true
    }
    catch {
      return false
    }
    finally {
      await client.end().catch(() => {})
    }
  })()
  return available
}

export interface TestDatabase {
  url: string
  name: string
  /** Drops the database (terminating leftover connections first). */
  drop: () => Promise<void>
}

/** Creates a uniquely named database for one test, so runs never see each other's data. */
export async function createTestDatabase(prefix = 'cc_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(`create database "${name}"`)
  }
  finally {
    await admin.end()
  }
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
      await client.connect()
      try {
        await client.query(`drop database if exists "${name}" with (force)`)
      }
      finally {
        await client.end()
      }
    },
  }
}
