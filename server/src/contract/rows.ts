import type { WallColumn } from './tables.ts'
import { wallLeaks } from './tables.ts'

/**
 * The rows the aggregation reads from the integration contract: only columns the wall may receive
 * (the contract's columns minus its personal ones, `tables.ts`), with times as epoch milliseconds
 * (null when absent). A personal column cannot be selected: `SOURCE_COLUMNS` is typed by
 * `WallColumn` and checked by `wallLeaks` when this module loads.
 */

export interface TownshipRow {
  id: number
  code: string
  name: string
  active: boolean
}

export interface VillageRow {
  id: number
  code: string
  name: string
  kind: string
  center_lat: number | null
  center_lon: number | null
  active: boolean
}

export interface GridRow {
  id: number
  village_id: number
  code: string
  name: string
  label_lat: number | null
  label_lon: number | null
  active: boolean
}

export interface GridPopulationRow {
  id: number
  grid_id: number
  households: number
  residents: number
  non_local_residents: number
}

export interface SpecialPopulationRow {
  id: number
  grid_id: number
  kind: string
  count: number
}

export interface CategoryRow {
  id: number
  parent_id: number | null
  code: string
  name: string
  name_en: string | null
  active: boolean
}

export interface WorkerRow {
  id: number
  grid_id: number | null
  role: string
  duty_status: string
  last_checkin_at: number | null
  active: boolean
}

export interface CameraRow {
  id: number
  code: string
  name: string
  kind: string
  lat: number
  lon: number
  village_id: number | null
  grid_id: number | null
  status: string
  last_heartbeat_at: number | null
  stream_url: string | null
  active: boolean
}

export interface BranchRow {
  id: number
  code: string
  name: string
  kind: string
  village_id: number | null
  stars: number | null
  active: boolean
}

export interface MemberRow {
  id: number
  branch_id: number
  status: string
  points: number
  stars: number
  paired_households: number
  active: boolean
}

export interface CaseRow {
  id: number
  code: string
  category_id: number
  level: string
  source: string
  lat: number
  lon: number
  grid_id: number | null
  village_id: number | null
  status: string
  reported_at: number
  accepted_at: number | null
  dispatched_at: number | null
  closed_at: number | null
  sla_deadline: number | null
  resolved_level: string | null
  rating: string | null
  rated_at: number | null
}

export interface AlarmRow {
  id: number
  device_code: string
  kind: string
  status: string
  raised_at: number
  cleared_at: number | null
  lat: number | null
  lon: number | null
  grid_id: number | null
  village_id: number | null
  case_id: number | null
}

/** Row type of each table the aggregation reads. */
export interface RowsByTable {
  townships: TownshipRow
  villages: VillageRow
  grids: GridRow
  grid_population: GridPopulationRow
  grid_special_population: SpecialPopulationRow
  case_categories: CategoryRow
  grid_workers: WorkerRow
  cameras: CameraRow
  party_branches: BranchRow
  party_members: MemberRow
  cases: CaseRow
  iot_alarms: AlarmRow
}

export type SourceTable = keyof RowsByTable

/** One change: the new row (insert or update), or a deletion by id. */
export type Change
  = { [T in SourceTable]: { table: T, op: 'upsert', row: RowsByTable[T], /** When the row was written (its `updated_at`, epoch ms), when known. */ at?: number } }[SourceTable]
    | { table: SourceTable, op: 'delete', id: number, at?: number }

/** Columns the server selects per table (never a personal column); times become epoch ms. */
export const SOURCE_COLUMNS: { [T in SourceTable]: readonly (keyof RowsByTable[T] & WallColumn<T>)[] } = {
  townships: ['id', 'code', 'name', 'active'],
  villages: ['id', 'code', 'name', 'kind', 'center_lat', 'center_lon', 'active'],
  grids: ['id', 'village_id', 'code', 'name', 'label_lat', 'label_lon', 'active'],
  grid_population: ['id', 'grid_id', 'households', 'residents', 'non_local_residents'],
  grid_special_population: ['id', 'grid_id', 'kind', 'count'],
  case_categories: ['id', 'parent_id', 'code', 'name', 'name_en', 'active'],
  grid_workers: ['id', 'grid_id', 'role', 'duty_status', 'last_checkin_at', 'active'],
  cameras: ['id', 'code', 'name', 'kind', 'lat', 'lon', 'village_id', 'grid_id', 'status', 'last_heartbeat_at', 'stream_url', 'active'],
  party_branches: ['id', 'code', 'name', 'kind', 'village_id', 'stars', 'active'],
  party_members: ['id', 'branch_id', 'status', 'points', 'stars', 'paired_households', 'active'],
  cases: ['id', 'code', 'category_id', 'level', 'source', 'lat', 'lon', 'grid_id', 'village_id', 'status', 'reported_at', 'accepted_at', 'dispatched_at', 'closed_at', 'sla_deadline', 'resolved_level', 'rating', 'rated_at'],
  iot_alarms: ['id', 'device_code', 'kind', 'status', 'raised_at', 'cleared_at', 'lat', 'lon', 'grid_id', 'village_id', 'case_id'],
}

/** Columns holding times (timestamptz), converted to epoch milliseconds on read. */
export const TIME_COLUMNS: ReadonlySet<string> = new Set([
  'last_checkin_at',
  'last_heartbeat_at',
  'reported_at',
  'accepted_at',
  'dispatched_at',
  'closed_at',
  'sla_deadline',
  'rated_at',
  'raised_at',
  'cleared_at',
])

export const SOURCE_TABLES = Object.keys(SOURCE_COLUMNS) as SourceTable[]

// Types keep personal columns out at compile time; this keeps them out of a build that skipped the typecheck.
const leaks = wallLeaks(SOURCE_COLUMNS)
if (leaks.length > 0)
  throw new Error(`the server would read columns the wall may not receive: ${leaks.map(l => `${l.table}.${l.column} (${l.reason})`).join(', ')}`)

/** Normalises a database row (Date objects, numbers) into the engine's row shape. */
export function normaliseRow<T extends SourceTable>(table: T, raw: Record<string, unknown>): RowsByTable[T] {
  const row: Partial<Record<keyof RowsByTable[T], unknown>> = {}
  for (const column of SOURCE_COLUMNS[table]) {
    const value = raw[column]
    if (TIME_COLUMNS.has(column))
      row[column] = value === null || value === undefined ? null : typeof value === 'number' ? value : value instanceof Date ? value.getTime() : new Date(value as string).getTime()
    else
      row[column] = value ?? null
  }
  return row as RowsByTable[T]
}
