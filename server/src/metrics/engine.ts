import type { CameraRow, CaseRow, Change, RowsByTable, SourceTable } from '../contract/rows.ts'
import type { Topic } from '../wire/index.ts'
import type { CaseEntry } from './cases.ts'
import type { Contributor, RegistryTable } from './contributors.ts'
import { localDay } from '../domain/calendar.ts'
import { caseRelevant, contributeCase, countOverdue, OPEN_STATUSES } from './cases.ts'
import { CONTRIBUTORS } from './contributors.ts'
import { Counter, DailyCounters, DeadlineHeap } from './counters.ts'
import { LatestCases } from './feed.ts'

const HOUR_MS = 3_600_000
export const LEVELS = ['general', 'serious', 'major', 'urgent'] as const

export interface EngineOptions {
  /** Days of history kept for windows (the longest window is 30 days). */
  retentionDays?: number
  /** Heat-bin cell size in degrees (≈ 110 m at 0.001°). */
  heatCellDeg?: number
  /** Length of the latest-cases feed. */
  feedSize?: number
}

/** What one batch of changes altered, for the live push. */
export interface Dirty {
  topics: Set<Topic>
  cameras: Map<number, CameraRow | null>
  /** Heat cells whose counts changed; null when nobody needs them (a from-scratch build). */
  heat: Set<number> | null
  /** New urgent or major cases (for the alert), by id. */
  urgent: Map<number, CaseRow>
  /** Cases seen for the first time (for the ticker: every new case, not only the latest few). */
  added: Map<number, CaseRow>
}

export function emptyDirty(): Dirty {
  return { topics: new Set(), cameras: new Map(), heat: new Set(), urgent: new Map(), added: new Map() }
}

/**
 * The township's figures in memory, built from a snapshot and updated change by change in O(1):
 * applying a row subtracts the old row's contributions and adds the new row's, so the state always
 * equals what a from-scratch build over the same rows would give (tests/unit/metrics-property.test.ts).
 * What each table's rows add up to is said by its contributor (`contributors.ts`, `cases.ts`); every
 * window by day is made through `daily`, which prunes them all at a new day.
 * Time enters only through `now`, moved forward by `tick()` (SLA deadlines, day boundaries).
 */
export class MetricsEngine {
  readonly retentionDays: number
  readonly heatCellDeg: number
  now: number
  /** Local day number of `now`. */
  today: number
  /** Hours since the epoch of `now` (a new one adds a point to today's hourly trend). */
  private hour: number

  /** The rows held, by table and id. */
  readonly rows: { [T in RegistryTable]: Map<number, RowsByTable[T]> } = {
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
  readonly memberTotals = new Counter<'members' | 'points' | 'probationary'>()
  readonly memberStars = new Counter<number>()
  readonly branchStars = new Counter<number>()
  readonly branchMembers = new Counter<number>()
  readonly branchPoints = new Counter<number>()
  readonly alarmsOpenByKind = new Counter<string>()

  constructor(now: number, options: EngineOptions = {}) {
    this.retentionDays = options.retentionDays ?? 35
    this.heatCellDeg = options.heatCellDeg ?? 0.001
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

  /** Applies one change; records in `dirty` what it altered. */
  apply(change: Change, dirty: Dirty = emptyDirty()): Dirty {
    if (change.table === 'cases') {
      if (change.op === 'delete')
        this.removeCase(change.id, dirty)
      else
        this.upsertCase(change.row, dirty)
    }
    else if (change.op === 'delete') {
      this.removeRow(change.table, change.id, dirty)
    }
    else {
      this.upsertRow(change.table, change.row, dirty)
    }
    return dirty
  }

  private upsertRow<T extends RegistryTable>(table: T, row: RowsByTable[T], dirty: Dirty): void {
    const map: Map<number, RowsByTable[T]> = this.rows[table]
    const contribute: Contributor<T> = CONTRIBUTORS[table]
    const old = map.get(row.id)
    if (old)
      contribute(this, old, -1, dirty)
    map.set(row.id, row)
    contribute(this, row, 1, dirty)
    if (table === 'cameras')
      dirty.cameras.set(row.id, row as CameraRow)
  }

  private removeRow<T extends RegistryTable>(table: T, id: number, dirty: Dirty): void {
    const map: Map<number, RowsByTable[T]> = this.rows[table]
    const contribute: Contributor<T> = CONTRIBUTORS[table]
    const old = map.get(id)
    if (!old)
      return
    contribute(this, old, -1, dirty)
    map.delete(id)
    if (table === 'cameras')
      dirty.cameras.set(id, null)
  }

  private removeCase(id: number, dirty: Dirty): void {
    const entry = this.cases.get(id)
    if (!entry)
      return
    contributeCase(this, entry, -1, dirty)
    this.cases.delete(id)
    this.latest.remove(id, this.heldCases())
    dirty.topics.add('cases')
  }

  private upsertCase(row: CaseRow, dirty: Dirty): void {
    const old = this.cases.get(row.id)
    if (old)
      contributeCase(this, old, -1, dirty)
    else if ((row.level === 'urgent' || row.level === 'major') && OPEN_STATUSES.has(row.status) && row.reported_at > this.now - HOUR_MS)
      dirty.urgent.set(row.id, row)
    if (!caseRelevant(this, row)) {
      if (old) {
        this.cases.delete(row.id)
        this.latest.remove(row.id, this.heldCases())
        dirty.topics.add('cases')
      }
      return
    }
    const entry: CaseEntry = { row, overdue: false }
    if (!old && row.reported_at > this.now - HOUR_MS)
      dirty.added.set(row.id, row)
    this.cases.set(row.id, entry)
    contributeCase(this, entry, 1, dirty)
    this.latest.update(row)
    dirty.topics.add('cases')
  }

  private* heldCases(): Iterable<CaseRow> {
    for (const { row } of this.cases.values())
      yield row
  }

  /**
   * Moves the clock to `now`: open cases whose SLA deadline has passed turn overdue, and at a new local
   * day the windows roll over (old days are dropped, "today" starts at zero).
   */
  tick(now: number, dirty: Dirty = emptyDirty()): Dirty {
    this.now = now
    for (let next = this.deadlines.peekTime(); next !== undefined && next <= now; next = this.deadlines.peekTime()) {
      const { time, id } = this.deadlines.pop()!
      const entry = this.cases.get(id)
      if (!entry || entry.overdue || entry.row.sla_deadline !== time || !OPEN_STATUSES.has(entry.row.status))
        continue
      entry.overdue = true
      countOverdue(this, entry.row, 1)
      dirty.topics.add('overview').add('rankings').add('sla')
    }
    // A new hour is a new point on today's hourly trend, even when no case arrived in it.
    const hour = Math.floor(now / HOUR_MS)
    if (hour !== this.hour) {
      this.hour = hour
      dirty.topics.add('trends')
    }
    const day = localDay(now)
    if (day !== this.today)
      this.rollOver(day, dirty)
    return dirty
  }

  private rollOver(day: number, dirty: Dirty): void {
    // Every cell of the last 30 days changes its window counts (today's cases become yesterday's).
    for (const [d, counter] of this.heat.days) {
      if (d > this.today - 30) {
        for (const cell of counter.map.keys())
          dirty.heat?.add(cell)
      }
    }
    const previousFirst = this.firstDay
    this.today = day
    const first = this.firstDay
    if (first > previousFirst) {
      this.daily.prune(first)
      for (const [id, entry] of this.cases) {
        if (!caseRelevant(this, entry.row)) {
          this.cases.delete(id)
          this.latest.remove(id, this.heldCases())
        }
      }
    }
    for (const topic of ['overview', 'trends', 'rankings', 'sla', 'heat', 'cases'] as const)
      dirty.topics.add(topic)
  }

  /** The next moment the state changes by itself (an SLA deadline), if any. */
  nextDeadline(): number | undefined {
    return this.deadlines.peekTime()
  }
}

/** Builds an engine from scratch: every row of every table applied in order, then the clock set. */
export function buildEngine(rows: { [T in SourceTable]?: Iterable<RowsByTable[T]> }, now: number, options?: EngineOptions): MetricsEngine {
  const engine = new MetricsEngine(now, options)
  const dirty: Dirty = { ...emptyDirty(), heat: null }
  for (const table of Object.keys(rows) as SourceTable[]) {
    for (const row of rows[table] ?? [])
      engine.apply({ table, op: 'upsert', row } as Change, dirty)
  }
  engine.tick(now)
  return engine
}
