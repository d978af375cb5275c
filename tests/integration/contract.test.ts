import type { Database } from '../../server/src/db/types.ts'
import type { TownshipData } from '../../mock/rows.ts'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTownshipData } from '../../mock/generate.ts'
import { SeedRefusedError, seedDatabase, tablesWithData } from '../../mock/load.ts'
import { CONTRACT_COLUMNS, CONTRACT_TABLES } from '../../server/src/contract/tables.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { fixtureGeography } from '../unit/fixtures/geography.ts'

/**
 * The integration contract round-trips on both databases: schema.sql applies (twice: idempotent),
 * the mock township loads with COPY and reads back equal, a database holding data is refused
 * without force and replaced with it, and a failure midway leaves the database as it was.
 */

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const root = fileURLToPath(new URL('../../', import.meta.url))
const now = new Date('2025-06-15T07:30:00Z')
const geo = fixtureGeography()
const data = generateTownshipData(geo, { seed: 7, now, scale: 0.04 })
const other = generateTownshipData(geo, { seed: 8, now, scale: 0.02 })

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.end()
    return true
  }
  catch {
    await client.end().catch(() => {})
    return false
  }
}
const reachable = await postgresReachable()

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  }
  finally {
    await client.end()
  }
}

interface Target { db: Database, url?: string, cleanup: () => Promise<void> }

async function openPglite(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'contract-pglite-'))
  const db = await openDatabase({ dataDir: dir })
  return { db, cleanup: async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  } }
}

async function openPostgres(): Promise<Target> {
  const name = `contract_${process.pid}_${Date.now()}_${Math.floor(performance.now() * 1000) % 100000}`
  await admin(`create database ${name}`)
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  const db = await openDatabase({ url })
  return { db, url, cleanup: async () => {
    await db.close()
    await admin(`drop database if exists ${name} with (force)`)
  } }
}

async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of CONTRACT_TABLES) {
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)
    out[table] = rows[0]!.n
  }
  return out
}

function expected(d: TownshipData): Record<string, number> {
  return Object.fromEntries(CONTRACT_TABLES.map(t => [t, d[t].length]))
}

/** A copy of `d` whose very last row violates the contract (an unknown status), so COPY fails at the end. */
function broken(d: TownshipData): TownshipData {
  const events = d.case_events.map(e => ({ ...e }))
  events[events.length - 1]!.to_status = 'bogus' as never
  return { ...d, case_events: events }
}

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))
}

function runMock(args: string[]): Promise<{ code: number | null, stderr: string }> {
  return new Promise((resolve) => {
    execFile(`${root}node_modules/.bin/tsx`, ['mock/cli.ts', ...args], { cwd: root, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr })
    })
  })
}

const targets: [string, () => Promise<Target>, boolean][] = [
  ['PGlite (embedded)', openPglite, false],
  ['PostgreSQL', openPostgres, !reachable],
]

describe.each(targets)('integration contract on %s', (_name, open, skip) => {
  let target: Target

  beforeAll(async () => {
    if (!skip)
      target = await open()
  })
  afterAll(async () => {
    await target?.cleanup()
  })

  it.skipIf(skip)('loads the mock township and reads back the same counts and rows', async () => {
    const { db } = target
    const result = await seedDatabase(db, data)
    expect(result.rows).toEqual(expected(data))
    expect(await counts(db)).toEqual(expected(data))

    for (const table of ['cases', 'cameras', 'grids', 'iot_alarms', 'party_members', 'grid_workers', 'case_categories'] as const) {
      const rows = data[table] as unknown as Record<string, unknown>[]
      for (const sample of [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows[rows.length - 1]!]) {
        const columns = CONTRACT_COLUMNS[table].join(', ')
        const { rows: back } = await db.query<Record<string, unknown>>(`select ${columns} from ${table} where id = $1`, [sample.id])
        expect(normalise(back[0]!), `${table} ${String(sample.id)}`).toEqual(normalise(sample))
      }
    }
    // The schema is idempotent, and tells what holds data.
    await db.exec((await import('../../server/src/contract/tables.ts')).contractSchemaSql())
    expect(await tablesWithData(db)).toEqual(CONTRACT_TABLES)
  })

  it.skipIf(skip)('moves the id sequences past the loaded rows, so writers can insert without ids', async () => {
    const { db } = target
    const { rows } = await db.query<{ id: number }>(
      `insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at)
       values ($1, null, 'reported', $2, 'system', $2) returning id`,
      [data.cases[0]!.id, now],
    )
    expect(rows[0]!.id).toBeGreaterThan(Math.max(...data.case_events.map(e => e.id)))
    await db.query(`delete from case_events where id = $1`, [rows[0]!.id])
  })

  it.skipIf(skip)('refuses a database that holds data, and a failure midway changes nothing', async () => {
    const { db } = target
    await expect(seedDatabase(db, other)).rejects.toBeInstanceOf(SeedRefusedError)
    await expect(seedDatabase(db, broken(other), { force: true })).rejects.toThrow(/bogus|check constraint/)
    expect(await counts(db)).toEqual(expected(data))
  })

  it.skipIf(skip)('replaces the data with --force', async () => {
    const { db } = target
    await seedDatabase(db, other, { force: true })
    expect(await counts(db)).toEqual(expected(other))
    const { rows } = await db.query<{ code: string }>(`select code from cases where id = $1`, [other.cases[0]!.id])
    expect(rows[0]!.code).toBe(other.cases[0]!.code)
  })

  it.skipIf(skip)('leaves a fresh database without even the tables when seeding fails', async () => {
    const fresh = await open()
    try {
      await expect(seedDatabase(fresh.db, broken(data))).rejects.toThrow()
      const { rows } = await fresh.db.query<{ t: string | null }>(`select to_regclass('cases')::text as t`)
      expect(rows[0]!.t).toBeNull()
      expect(await tablesWithData(fresh.db)).toEqual([])
    }
    finally {
      await fresh.cleanup()
    }
  })

  it.skipIf(skip || _name !== 'PostgreSQL')('npm run mock refuses the non-empty database without --force: one line, exit code 2', async () => {
    const { code, stderr } = await runMock(['--database-url', target.url!, '--geodata-dir', join(tmpdir(), `geodata-${process.pid}`)])
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(/already holds data.*--force/)
  })
})
