import type { Polygon } from 'geojson'
import type { ContractTable } from '../server/src/contract/tables.ts'
import type { ActorRole, CaseStatus } from '../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../server/src/domain/sla.ts'

/**
 * Rows of the contract tables as the mock writes them: keys are the column names of
 * `server/src/contract/schema.sql`, so that a row is loaded column for column.
 */

/** `townships`. */
export interface TownshipRow { id: number, code: string, name: string, county_code: string, county_name: string, seat_lat: number, seat_lon: number, boundary: Polygon, active: boolean, updated_at: Date }
/** `villages`. */
export interface VillageRow { id: number, township_id: number, code: string, name: string, kind: 'community' | 'village', center_lat: number, center_lon: number, area_km2: number, boundary: Polygon, active: boolean, updated_at: Date }
/** `grids`. */
export interface GridRow { id: number, village_id: number, code: string, name: string, boundary: Polygon, label_lat: number, label_lon: number, area_km2: number, worker_name: string, worker_phone: string, active: boolean, updated_at: Date }
/** `grid_population`. */
export interface GridPopulationRow { id: number, grid_id: number, households: number, residents: number, non_local_residents: number, updated_at: Date }
/** `grid_special_population`. */
export interface GridSpecialPopulationRow { id: number, grid_id: number, kind: string, count: number, updated_at: Date }
/** `case_categories`. */
export interface CaseCategoryRow { id: number, parent_id: number | null, code: string, name: string, name_en: string, active: boolean, updated_at: Date }
/** `grid_workers`. */
export interface GridWorkerRow { id: number, grid_id: number, role: 'grid_worker' | 'grid_leader', name: string, phone: string, duty_status: 'on_duty' | 'off_duty' | 'on_leave', last_checkin_at: Date | null, last_checkin_lat: number | null, last_checkin_lon: number | null, active: boolean, updated_at: Date }
/** Camera kinds of the contract. */
export type CameraKind = 'public_security' | 'traffic' | 'community' | 'flood' | 'forest_fire' | 'geological'
/** `cameras`. */
export interface CameraRow { id: number, code: string, name: string, kind: CameraKind, lat: number, lon: number, village_id: number | null, grid_id: number | null, status: 'online' | 'offline' | 'alarm', last_heartbeat_at: Date | null, stream_url: string, active: boolean, updated_at: Date }
/** `party_branches`. */
export interface PartyBranchRow { id: number, code: string, name: string, kind: 'village' | 'community' | 'organ' | 'enterprise', village_id: number | null, township_id: number, stars: number, active: boolean, updated_at: Date }
/** `party_members`. */
export interface PartyMemberRow { id: number, branch_id: number, status: 'full' | 'probationary', points: number, stars: number, paired_households: number, active: boolean, updated_at: Date }
/** Case source channels of the contract. */
export type CaseSource = 'app' | 'hotline' | 'grid_patrol' | 'camera' | 'iot' | 'walk_in' | 'referral'
/** Where a case was settled. */
export type ResolvedLevel = 'grid' | 'village' | 'township' | 'county'
/** A resident's rating (综合评价). */
export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied'
/** `cases`. */
export interface CaseRow {
  id: number
  code: string
  category_id: number
  level: CaseLevel
  source: CaseSource
  lat: number
  lon: number
  grid_id: number | null
  village_id: number | null
  status: CaseStatus
  reported_at: Date
  accepted_at: Date | null
  dispatched_at: Date | null
  closed_at: Date | null
  sla_deadline: Date | null
  resolved_level: ResolvedLevel | null
  rating: Rating | null
  rated_at: Date | null
  reporter_name: string | null
  reporter_phone: string | null
  address: string | null
  description: string | null
  updated_at: Date
}
/** `case_events`. */
export interface CaseEventRow { id: number, case_id: number, from_status: CaseStatus | null, to_status: CaseStatus, at: Date, actor_role: ActorRole, note: string | null, updated_at: Date }
/** IoT alarm kinds of the contract. */
export type AlarmKind = 'elderly_call' | 'gas' | 'smoke' | 'water_level'
/** `iot_alarms`. */
export interface IotAlarmRow { id: number, device_code: string, kind: AlarmKind, status: 'active' | 'acknowledged' | 'cleared', raised_at: Date, acknowledged_at: Date | null, cleared_at: Date | null, lat: number, lon: number, grid_id: number | null, village_id: number | null, value: number | null, threshold: number | null, case_id: number | null, address: string | null, updated_at: Date }

/** The row type of each contract table. */
export interface RowTypes {
  townships: TownshipRow
  villages: VillageRow
  grids: GridRow
  grid_population: GridPopulationRow
  grid_special_population: GridSpecialPopulationRow
  case_categories: CaseCategoryRow
  grid_workers: GridWorkerRow
  cameras: CameraRow
  party_branches: PartyBranchRow
  party_members: PartyMemberRow
  cases: CaseRow
  case_events: CaseEventRow
  iot_alarms: IotAlarmRow
}

/** One township's operational data: rows for every contract table. */
export type TownshipData = { [T in ContractTable]: RowTypes[T][] }
