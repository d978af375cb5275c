import type { Database, Queryable } from '../server/src/db/types.ts'
import type { ContractTable } from '../server/src/contract/tables.ts'
import type { TownshipData } from './rows.ts'
import { tableList } from './cli-util.ts'
import { CONTRACT_COLUMNS, CONTRACT_TABLES, contractSchemaSql } from '../server/src/contract/tables.ts'

/** Options of `seedDatabase`. */
export interface SeedOptions {
  /** Replace data already in the contract tables (truncates them first, in the same transaction). */
  force?: boolean
  /** Called after each table of each township is loaded, e.g. for a progress line. */
  onProgress?: (event: { township: string, table: ContractTable, rows: number }) => void
}

/** What `seedDatabase` wrote. */
export interface SeedResult {
  /** Rows written per table. */
  rows: Record<ContractTable, number>
  townships: number
  ms: number
}

/** Refusal to seed a database whose contract tables already hold data (without `force`). */
export class SeedRefusedError extends Error {
  readonly tables: string[]
  constructor(tables: string[]) {
    super(`the database already holds data (${tableList(tables)}); use --force to replace it`)
    this.name = 'SeedRefusedError'
    this.tables = tables
  }
}

/** The contract tables that exist and hold at least one row (none when the schema is not there yet). */
export async function tablesWithData(db: Queryable): Promise<ContractTable[]> {
  const present = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm') and c.relname = any($1)`,
    [CONTRACT_TABLES],
  )
  const existing = CONTRACT_TABLES.filter(t => present.rows.some(r => r.name === t))
  if (existing.length === 0)
    return []
  const { rows } = await db.query<Record<string, boolean>>(`select ${existing.map(t => `exists (select 1 from ${t}) as ${t}`).join(', ')}`)
  return existing.filter(t => rows[0]?.[t] === true)
}

function* tableRows<T extends ContractTable>(table: T, rows: readonly TownshipData[T][number][]): Generator<unknown[]> {
  const columns = CONTRACT_COLUMNS[table] as readonly string[]
  for (const row of rows) {
    const record = row as unknown as Record<string, unknown>
    yield columns.map(c => record[c])
  }
}

/**
 * Seeds the contract tables: applies `schema.sql`, refuses when they already hold data unless
 * `force` (then truncates them), and loads every township's rows with COPY — all inside ONE
 * transaction, so a failure anywhere leaves the database as it was. `data` may be one township or a
 * lazy sequence of them (a county), generated one at a time so that a million cases never sit in
 * memory at once. The category tree is loaded from the first township only (it is shared).
 * Identity sequences are moved past the loaded ids, so later writers can insert without ids.
 */
export async function seedDatabase(db: Database, data: TownshipData | Iterable<TownshipData>, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now()
  const sequence: Iterable<TownshipData> = isTownshipData(data) ? [data] : data
  const rows = Object.fromEntries(CONTRACT_TABLES.map(t => [t, 0])) as Record<ContractTable, number>
  let townships = 0
  await db.transaction(async (tx) => {
    await tx.exec(contractSchemaSql())
    const occupied = await tablesWithData(tx)
    if (occupied.length > 0) {
      if (!options.force)
        throw new SeedRefusedError(occupied)
      await tx.exec(`truncate table ${CONTRACT_TABLES.join(', ')} restart identity`)
    }
    for (const township of sequence) {
      const name = township.townships[0]?.code ?? String(townships)
      for (const table of CONTRACT_TABLES) {
        if (table === 'case_categories' && townships > 0)
          continue
        const list = township[table] as readonly TownshipData[typeof table][number][]
        if (list.length === 0)
          continue
        const written = await tx.copyRows(table, CONTRACT_COLUMNS[table], tableRows(table, list))
        rows[table] += written
        options.onProgress?.({ township: name, table, rows: written })
      }
      townships++
    }
    for (const table of CONTRACT_TABLES) {
      await tx.query(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 1), (select count(*) from ${table}) > 0)`)
    }
  })
  return { rows, townships, ms: Date.now() - started }
}

function isTownshipData(value: TownshipData | Iterable<TownshipData>): value is TownshipData {
  return !(Symbol.iterator in value) && Array.isArray((value as TownshipData).cases)
}
