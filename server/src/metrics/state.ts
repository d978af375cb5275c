import type { CaseRow, RowsByTable, SourceTable } from '../contract/rows.ts'
import type { EngineOptions } from './dirty.ts'
import { localDay } from '../domain/calendar.ts'
import { DEFAULT_SPECIAL_MIN_COUNT } from '../domain/special-population.ts'
import { Counter, DailyCounters, DeadlineHeap } from './counters.ts'
import { LatestCases } from './feed.ts'

const HOUR_MS = 3_600_000

/** What the engine remembers of a case: the row, and whether it is counted as overdue. */
export interface CaseEntry {
  row: CaseRow
  overdue: boolean
}

/** The tables whose rows add to the engine's counters independently of time (all but cases). */
export type RegistryTable = Exclude<SourceTable, 'cases'>

/**
 * What the engine holds: the rows by table and every counter the views read. The contributors
 * (`contributors.ts`, `cases.ts`) add to it; `MetricsEngine` (engine.ts) applies changes and moves the clock.
 */
export class EngineState {
  readonly retentionDays: number
  readonly heatCellDeg: number
  readonly specialMinCount: number
  now: number
  /** Local day number of `now`. */
  today: number
  /** Hours since the epoch of `now` (a new one adds a point to today's hourly trend). */
  protected hour: number

  /** The rows held, by table and id. */
  readonly rows: { [T in RegistryTable]: Map<number, RowsByTable[T]> } = {
    townships: new Map(),
    villages: new Map(),
    grids: new Map(),
    case_categories: new Map(),
    cameras: new Map(),
    grid_workers: new Map(),
    grid_population: new Map(),
    grid_special_population: new Map(),
    party_branches: new Map(),
    party_members: new Map(),
    iot_alarms: new Map(),
  }

  readonly villages = this.rows.villages
  readonly grids = this.rows.grids
  readonly categories = this.rows.case_categories
  readonly cameras = this.rows.cameras
  readonly workers = this.rows.grid_workers
  readonly population = this.rows.grid_population
  readonly special = this.rows.grid_special_population
  readonly branches = this.rows.party_branches
  readonly members = this.rows.party_members
  readonly alarms = this.rows.iot_alarms
  readonly cases = new Map<number, CaseEntry>()

  /** Every window by local day; pruned together at a new day. */
  readonly daily = new DailyCounters()
  // Cases: windows by local day.
  readonly reportedHours = this.daily.counter<number>() // hour → cases reported
  readonly reportedCategories = this.daily.counter<number>() // category id → cases reported
  readonly reportedVillages = this.daily.counter<number>() // village id → cases reported
  readonly reportedGrids = this.daily.counter<number>() // grid id → cases reported
  readonly responseVillages = this.daily.counter<number>() // village id × bins + bin → cases accepted
  readonly responseGrids = this.daily.counter<number>()
  readonly closedStats = this.daily.counter<string>() // `${measure}:${level}` → count (or ms for handleMs)
  readonly ratedStats = this.daily.counter<string>() // 'rated' | 'satisfied'
  readonly heat = this.daily.counter<number>() // cell → cases reported
  readonly heatByCategory = this.daily.keyed<number, number>() // category id → cell → cases
  // Cases: the backlog now.
  readonly openByLevel = new Counter<string>()
  readonly openByVillage = new Counter<number>()
  readonly openByGrid = new Counter<number>()
  readonly overdueByLevel = new Counter<string>()
  readonly overdueByVillage = new Counter<number>()
  readonly overdueByGrid = new Counter<number>()
  /** Open cases' SLA deadlines not yet passed. */
  readonly deadlines = new DeadlineHeap()
  /** The latest cases by report time, newest first (bounded). */
  readonly latest: LatestCases

  // Registry and devices.
  readonly cameraStatus = new Counter<string>()
  readonly cameraVillageTotal = new Counter<number>()
  readonly cameraVillageOnline = new Counter<number>()
  readonly workerDuty = new Counter<string>()
  readonly populationTotals = new Counter<'households' | 'residents' | 'non_local_residents'>()
  readonly specialByKind = new Counter<string>()
  readonly memberTotals = new Counter<'members' | 'points' | 'probationary' | 'paired'>()
  /** Special-population counts by grid and kind (`${gridId}:${kind}`). */
  readonly specialByGrid = new Counter<string>()
  readonly memberStars = new Counter<number>()
  readonly branchStars = new Counter<number>()
  readonly branchMembers = new Counter<number>()
  readonly branchPoints = new Counter<number>()
  readonly alarmsOpenByKind = new Counter<string>()
  /**
   * When a boundary was last written (epoch ms): the newest `updated_at` of the townships, villages
   * and grids read. Screens redraw their geography when it moves (a boundary import, a renamed grid).
   */
  boundariesAt = 0

  constructor(now: number, options: EngineOptions = {}) {
    this.retentionDays = options.retentionDays ?? 35
    this.heatCellDeg = options.heatCellDeg ?? 0.001
    this.specialMinCount = options.specialMinCount ?? DEFAULT_SPECIAL_MIN_COUNT
    this.latest = new LatestCases(options.feedSize ?? 30)
    this.now = now
    this.today = localDay(now)
    this.hour = Math.floor(now / HOUR_MS)
  }

  /** The latest cases by report time, newest first. */
  get feed(): readonly CaseRow[] {
    return this.latest.rows
  }

  /** The first local day whose contributions are kept. */
  get firstDay(): number {
    return this.today - this.retentionDays + 1
  }

  /** The heat cell of a position (a single number: column × 2^20 + row). */
  heatCell(lon: number, lat: number): number {
    const x = Math.floor((lon + 180) / this.heatCellDeg)
    const y = Math.floor((lat + 90) / this.heatCellDeg)
    return x * 1_048_576 + y
  }

  /** The south-west corner [lon, lat] of a heat cell. */
  heatCellOrigin(cell: number): [number, number] {
    const x = Math.floor(cell / 1_048_576)
    const y = cell - x * 1_048_576
    return [x * this.heatCellDeg - 180, y * this.heatCellDeg - 90]
  }
}
