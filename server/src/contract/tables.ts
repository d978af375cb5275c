import { readFileSync } from 'node:fs'

/**
 * The integration contract's tables and columns, as written in `schema.sql` (docs/CONTRACT.md
 * explains each one). The server selects only non-personal columns for anything the wall receives;
 * the mock loader writes columns in this order.
 */
export const CONTRACT_COLUMNS = {
  townships: ['id', 'code', 'name', 'county_code', 'county_name', 'seat_lat', 'seat_lon', 'boundary', 'active', 'updated_at'],
  villages: ['id', 'township_id', 'code', 'name', 'kind', 'center_lat', 'center_lon', 'area_km2', 'boundary', 'active', 'updated_at'],
  grids: ['id', 'village_id', 'code', 'name', 'boundary', 'label_lat', 'label_lon', 'area_km2', 'worker_name', 'worker_phone', 'active', 'updated_at'],
  grid_population: ['id', 'grid_id', 'households', 'residents', 'non_local_residents', 'updated_at'],
  grid_special_population: ['id', 'grid_id', 'kind', 'count', 'updated_at'],
  case_categories: ['id', 'parent_id', 'code', 'name', 'name_en', 'active', 'updated_at'],
  grid_workers: ['id', 'grid_id', 'role', 'name', 'phone', 'duty_status', 'last_checkin_at', 'last_checkin_lat', 'last_checkin_lon', 'active', 'updated_at'],
  cameras: ['id', 'code', 'name', 'kind', 'lat', 'lon', 'village_id', 'grid_id', 'status', 'last_heartbeat_at', 'stream_url', 'active', 'updated_at'],
  party_branches: ['id', 'code', 'name', 'kind', 'village_id', 'township_id', 'stars', 'active', 'updated_at'],
  party_members: ['id', 'branch_id', 'status', 'points', 'stars', 'paired_households', 'active', 'updated_at'],
  cases: ['id', 'code', 'category_id', 'level', 'source', 'lat', 'lon', 'grid_id', 'village_id', 'status', 'reported_at', 'accepted_at', 'dispatched_at', 'closed_at', 'sla_deadline', 'resolved_level', 'rating', 'rated_at', 'reporter_name', 'reporter_phone', 'address', 'description', 'updated_at'],
  case_events: ['id', 'case_id', 'from_status', 'to_status', 'at', 'actor_role', 'note', 'updated_at'],
  iot_alarms: ['id', 'device_code', 'kind', 'status', 'raised_at', 'acknowledged_at', 'cleared_at', 'lat', 'lon', 'grid_id', 'village_id', 'value', 'threshold', 'case_id', 'address', 'updated_at'],
} as const

/** A contract table name. */
export type ContractTable = keyof typeof CONTRACT_COLUMNS

/** The tables in dependency order (a table after every table it references): load in this order. */
export const CONTRACT_TABLES = Object.keys(CONTRACT_COLUMNS) as ContractTable[]

/**
 * Personal columns: names, phones, addresses and staff locations. They may reach only the
 * authenticated console, masked, with every reveal audited — never the wall, never a log.
 */
export const PERSONAL_COLUMNS = {
  grids: ['worker_name', 'worker_phone'],
  grid_workers: ['name', 'phone', 'last_checkin_lat', 'last_checkin_lon'],
  cases: ['reporter_name', 'reporter_phone', 'address', 'description'],
  iot_alarms: ['address'],
} as const satisfies { [T in ContractTable]?: readonly ContractColumn<T>[] }

/** A column of a contract table. */
export type ContractColumn<T extends ContractTable> = typeof CONTRACT_COLUMNS[T][number]

/** A personal column of a contract table. */
export type PersonalColumn<T extends ContractTable> = T extends keyof typeof PERSONAL_COLUMNS ? typeof PERSONAL_COLUMNS[T][number] : never

/** A column the wall may read: the contract's columns minus the personal ones (by type as by value). */
export type WallColumn<T extends ContractTable> = Exclude<ContractColumn<T>, PersonalColumn<T>>

/** The personal columns of a table (none for most). */
export function personalColumns(table: ContractTable): readonly string[] {
  return (PERSONAL_COLUMNS as Partial<Record<ContractTable, readonly string[]>>)[table] ?? []
}

/** The columns of a table that the wall may receive (everything but the personal ones). */
export function wallColumns(table: ContractTable): string[] {
  const personal = personalColumns(table)
  return CONTRACT_COLUMNS[table].filter(column => !personal.includes(column))
}

/**
 * Columns a selection would read that the wall may not receive: personal ones, or ones the contract
 * does not have. `contract` and `personal` default to this module's lists (tests pass altered ones).
 */
export function wallLeaks(
  selection: Readonly<Partial<Record<ContractTable, readonly string[]>>>,
  contract: Readonly<Record<ContractTable, readonly string[]>> = CONTRACT_COLUMNS,
  personal: Readonly<Partial<Record<ContractTable, readonly string[]>>> = PERSONAL_COLUMNS,
): { table: ContractTable, column: string, reason: 'personal' | 'not in the contract' }[] {
  const leaks: { table: ContractTable, column: string, reason: 'personal' | 'not in the contract' }[] = []
  for (const [table, columns] of Object.entries(selection) as [ContractTable, readonly string[]][]) {
    for (const column of columns) {
      if (personal[table]?.includes(column))
        leaks.push({ table, column, reason: 'personal' })
      else if (!contract[table].includes(column))
        leaks.push({ table, column, reason: 'not in the contract' })
    }
  }
  return leaks
}

/** The contract's DDL (`schema.sql`): idempotent, PostgreSQL 15 and PGlite. */
export function contractSchemaSql(): string {
  return readFileSync(new URL('./schema.sql', import.meta.url), 'utf8')
}
