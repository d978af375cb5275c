import type { AlarmRow, BranchRow, CameraRow, CaseRow, CategoryRow, Change, GridPopulationRow, GridRow, MemberRow, RowsByTable, SourceTable, SpecialPopulationRow, VillageRow, WorkerRow } from '../contract/rows.ts'
import type { Topic } from '../wire/index.ts'
import { localDay, localHour } from '../domain/calendar.ts'
import { OPEN_STATUSES as OPEN_CASE_STATUSES } from '../domain/lifecycle.ts'
import { Counter, DailyCounter, DeadlineHeap, RESPONSE_BIN_EDGES, responseBin } from './counters.ts'

const HOUR_MS = 3_600_000

const OPEN_STATUSES: ReadonlySet<string> = new Set(OPEN_CASE_STATUSES)
const VILLAGE_LEVELS: ReadonlySet<string> = new Set(['grid', 'village'])
const SATISFIED: ReadonlySet<string> = new Set(['satisfied', 'basically_satisfied'])
const OPEN_ALARM: ReadonlySet<string> = new Set(['active', 'acknowledged'])
export const LEVELS = ['general', 'serious', 'major', 'urgent'] as const

export interface EngineOptions {
  /** Days of history kept for windows (the longest window is 30 days). */
  retentionDays?: number
  /** Heat-bin cell size in degrees (≈ 110 m at 0.001°). */
  heatCellDeg?: number
  /** Length of the latest-cases feed. */
  feedSize?: number
}

/** What the engine remembers of a case: the row, and whether it is counted as overdue. */
interface CaseEntry {
  row: CaseRow
  overdue: boolean
}

/** A heat-bin change: `delta` cases in `cell` on `day` of `category`. */
export interface HeatDelta {
  day: number
  cell: number
  category: number
  delta: number
}

/** What one batch of changes altered, for the live push. */
export interface Dirty {
  topics: Set<Topic>
  cameras: Map<number, CameraRow | null>
  /** Heat-bin changes; null when nobody needs them (a from-scratch build). */
  heat: HeatDelta[] | null
  /** New urgent or major cases (for the alert), by id. */
  urgent: Map<number, CaseRow>
  /** Cases seen for the first time (for the ticker: every new case, not only the latest few). */
  added: Map<number, CaseRow>
}

export function emptyDirty(): Dirty {
  return { topics: new Set(), cameras: new Map(), heat: [], urgent: new Map(), added: new Map() }
}

/**
 * The township's figures in memory, built from a snapshot and updated change by change in O(1):
 * applying a row subtracts the old row's contributions and adds the new row's, so the state always
 * equals what a from-scratch build over the same rows would give (tests/unit/metrics-property.test.ts).
 * Time enters only through `now`, moved forward by `tick()` (SLA deadlines, day boundaries).
 */
export class MetricsEngine {
  readonly retentionDays: number
  readonly heatCellDeg: number
  readonly feedSize: number
  now: number
  /** Local day number of `now`. */
  today: number

  readonly villages = new Map<number, VillageRow>()
  readonly grids = new Map<number, GridRow>()
  readonly categories = new Map<number, CategoryRow>()
  readonly cameras = new Map<number, CameraRow>()
  readonly workers = new Map<number, WorkerRow>()
  readonly population = new Map<number, GridPopulationRow>()
  readonly special = new Map<number, SpecialPopulationRow>()
  readonly branches = new Map<number, BranchRow>()
  readonly members = new Map<number, MemberRow>()
  readonly alarms = new Map<number, AlarmRow>()
  readonly cases = new Map<number, CaseEntry>()

  // Cases: windows by local day.
  readonly reportedHours = new DailyCounter<number>() // hour → cases reported
  readonly reportedCategories = new DailyCounter<number>() // category id → cases reported
  readonly reportedVillages = new DailyCounter<number>() // village id → cases reported
  readonly reportedGrids = new DailyCounter<number>() // grid id → cases reported
  readonly responseVillages = new DailyCounter<number>() // village id × bins + bin → cases accepted
  readonly responseGrids = new DailyCounter<number>()
  readonly closedStats = new DailyCounter<string>() // `${measure}:${level}` → count (or ms for handleMs)
  readonly ratedStats = new DailyCounter<string>() // 'rated' | 'satisfied'
  readonly heat = new DailyCounter<number>() // cell → cases reported
  readonly heatByCategory = new Map<number, DailyCounter<number>>() // category id → cell → cases
  // Cases: the backlog now.
  readonly openByLevel = new Counter<string>()
  readonly openByVillage = new Counter<number>()
  readonly openByGrid = new Counter<number>()
  readonly overdueByLevel = new Counter<string>()
  readonly overdueByVillage = new Counter<number>()
  readonly overdueByGrid = new Counter<number>()
  private readonly deadlines = new DeadlineHeap()
  /** The latest cases by report time, newest first (bounded). */
  feed: CaseRow[] = []

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
    this.feedSize = options.feedSize ?? 30
    this.now = now
    this.today = localDay(now)
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
    if (change.op === 'delete') {
      this.remove(change.table, change.id, dirty)
      return dirty
    }
    this.upsert(change.table, change.row as RowsByTable[typeof change.table], dirty)
    return dirty
  }

  private remove(table: SourceTable, id: number, dirty: Dirty): void {
    switch (table) {
      case 'cases': {
        const entry = this.cases.get(id)
        if (entry) {
          this.caseContribute(entry, -1, dirty)
          this.cases.delete(id)
          this.removeFromFeed(id)
          dirty.topics.add('cases')
        }
        return
      }
      default: {
        const map = this.mapOf(table) as Map<number, RowsByTable[SourceTable]>
        const old = map.get(id)
        if (old) {
          this.contribute(table, old as never, -1, dirty)
          map.delete(id)
          if (table === 'cameras')
            dirty.cameras.set(id, null)
        }
      }
    }
  }

  private upsert<T extends SourceTable>(table: T, row: RowsByTable[T], dirty: Dirty): void {
    if (table === 'cases') {
      this.upsertCase(row as CaseRow, dirty)
      return
    }
    const map = this.mapOf(table) as Map<number, RowsByTable[T]>
    const old = map.get(row.id)
    if (old)
      this.contribute(table, old, -1, dirty)
    map.set(row.id, row)
    this.contribute(table, row, 1, dirty)
    if (table === 'cameras')
      dirty.cameras.set(row.id, row as CameraRow)
  }

  private mapOf(table: Exclude<SourceTable, 'cases'>): Map<number, unknown> {
    switch (table) {
      case 'villages': return this.villages
      case 'grids': return this.grids
      case 'case_categories': return this.categories
      case 'cameras': return this.cameras
      case 'grid_workers': return this.workers
      case 'grid_population': return this.population
      case 'grid_special_population': return this.special
      case 'party_branches': return this.branches
      case 'party_members': return this.members
      case 'iot_alarms': return this.alarms
    }
  }

  private contribute<T extends SourceTable>(table: T, row: RowsByTable[T], sign: 1 | -1, dirty: Dirty): void {
    switch (table) {
      case 'villages':
      case 'grids':
      case 'case_categories':
        dirty.topics.add('rankings').add('trends')
        return
      case 'cameras': {
        const camera = row as CameraRow
        if (!camera.active)
          return
        this.cameraStatus.add(camera.status, sign)
        if (camera.village_id !== null) {
          this.cameraVillageTotal.add(camera.village_id, sign)
          // 在线率 counts every camera that answers: one raising an alarm is online too.
          if (camera.status !== 'offline')
            this.cameraVillageOnline.add(camera.village_id, sign)
        }
        dirty.topics.add('overview').add('rankings').add('cameras')
        return
      }
      case 'grid_workers': {
        const worker = row as WorkerRow
        if (worker.active)
          this.workerDuty.add(worker.duty_status, sign)
        dirty.topics.add('overview')
        return
      }
      case 'grid_population': {
        const p = row as GridPopulationRow
        this.populationTotals.add('households', sign * p.households)
        this.populationTotals.add('residents', sign * p.residents)
        this.populationTotals.add('non_local_residents', sign * p.non_local_residents)
        dirty.topics.add('overview')
        return
      }
      case 'grid_special_population': {
        const s = row as SpecialPopulationRow
        this.specialByKind.add(s.kind, sign * s.count)
        dirty.topics.add('overview')
        return
      }
      case 'party_branches': {
        const b = row as BranchRow
        if (b.active && b.stars !== null)
          this.branchStars.add(b.stars, sign)
        dirty.topics.add('overview')
        return
      }
      case 'party_members': {
        const m = row as MemberRow
        if (!m.active)
          return
        this.memberTotals.add('members', sign)
        this.memberTotals.add('points', sign * m.points)
        if (m.status === 'probationary')
          this.memberTotals.add('probationary', sign)
        this.memberStars.add(m.stars, sign)
        this.branchMembers.add(m.branch_id, sign)
        this.branchPoints.add(m.branch_id, sign * m.points)
        dirty.topics.add('overview')
        return
      }
      case 'iot_alarms': {
        const a = row as AlarmRow
        if (OPEN_ALARM.has(a.status))
          this.alarmsOpenByKind.add(a.kind, sign)
        dirty.topics.add('overview').add('alarms')
        return
      }
      case 'cases':
        throw new Error('cases are applied by upsertCase')
    }
  }

  /** Whether a case still contributes to anything: open, or touched a day inside the kept window. */
  private caseRelevant(row: CaseRow): boolean {
    if (OPEN_STATUSES.has(row.status))
      return true
    const first = this.firstDay
    return localDay(row.reported_at) >= first
      || (row.closed_at !== null && localDay(row.closed_at) >= first)
      || (row.rated_at !== null && localDay(row.rated_at) >= first)
  }

  private upsertCase(row: CaseRow, dirty: Dirty): void {
    const old = this.cases.get(row.id)
    if (old)
      this.caseContribute(old, -1, dirty)
    else if ((row.level === 'urgent' || row.level === 'major') && OPEN_STATUSES.has(row.status) && row.reported_at > this.now - HOUR_MS)
      dirty.urgent.set(row.id, row)
    if (!this.caseRelevant(row)) {
      if (old) {
        this.cases.delete(row.id)
        this.removeFromFeed(row.id)
      }
      return
    }
    const entry: CaseEntry = { row, overdue: false }
    if (!old && row.reported_at > this.now - HOUR_MS)
      dirty.added.set(row.id, row)
    this.cases.set(row.id, entry)
    this.caseContribute(entry, 1, dirty)
    this.updateFeed(row)
    dirty.topics.add('cases')
  }

  private caseContribute(entry: CaseEntry, sign: 1 | -1, dirty: Dirty): void {
    const c = entry.row
    const first = this.firstDay
    const reportedDay = localDay(c.reported_at)
    if (reportedDay >= first) {
      this.reportedHours.add(reportedDay, localHour(c.reported_at), sign)
      this.reportedCategories.add(reportedDay, c.category_id, sign)
      if (c.village_id !== null)
        this.reportedVillages.add(reportedDay, c.village_id, sign)
      if (c.grid_id !== null)
        this.reportedGrids.add(reportedDay, c.grid_id, sign)
      if (c.accepted_at !== null) {
        const bin = responseBin((c.accepted_at - c.reported_at) / 60_000)
        const bins = RESPONSE_BIN_EDGES.length + 1
        if (c.village_id !== null)
          this.responseVillages.add(reportedDay, c.village_id * bins + bin, sign)
        if (c.grid_id !== null)
          this.responseGrids.add(reportedDay, c.grid_id * bins + bin, sign)
      }
      const cell = this.heatCell(c.lon, c.lat)
      this.heat.add(reportedDay, cell, sign)
      let byCategory = this.heatByCategory.get(c.category_id)
      if (!byCategory) {
        byCategory = new DailyCounter<number>()
        this.heatByCategory.set(c.category_id, byCategory)
      }
      byCategory.add(reportedDay, cell, sign)
      dirty.heat?.push({ day: reportedDay, cell, category: c.category_id, delta: sign })
      dirty.topics.add('trends').add('heat').add('rankings')
    }
    if (c.status === 'closed' && c.closed_at !== null) {
      const closedDay = localDay(c.closed_at)
      if (closedDay >= first) {
        this.closedStats.add(closedDay, `closed:${c.level}`, sign)
        if (c.sla_deadline !== null) {
          this.closedStats.add(closedDay, `withDeadline:${c.level}`, sign)
          if (c.closed_at <= c.sla_deadline)
            this.closedStats.add(closedDay, `withinSla:${c.level}`, sign)
        }
        if (c.resolved_level !== null) {
          this.closedStats.add(closedDay, `resolved:${c.level}`, sign)
          if (VILLAGE_LEVELS.has(c.resolved_level))
            this.closedStats.add(closedDay, `villageLevel:${c.level}`, sign)
        }
        if (c.dispatched_at !== null) {
          this.closedStats.add(closedDay, `handled:${c.level}`, sign)
          this.closedStats.add(closedDay, `handleMs:${c.level}`, sign * (c.closed_at - c.dispatched_at))
        }
        dirty.topics.add('sla')
      }
    }
    if (c.rating !== null && c.rated_at !== null) {
      const ratedDay = localDay(c.rated_at)
      if (ratedDay >= first) {
        this.ratedStats.add(ratedDay, 'rated', sign)
        if (SATISFIED.has(c.rating))
          this.ratedStats.add(ratedDay, 'satisfied', sign)
      }
    }
    if (OPEN_STATUSES.has(c.status)) {
      this.openByLevel.add(c.level, sign)
      if (c.village_id !== null)
        this.openByVillage.add(c.village_id, sign)
      if (c.grid_id !== null)
        this.openByGrid.add(c.grid_id, sign)
      if (sign === 1) {
        entry.overdue = c.sla_deadline !== null && c.sla_deadline <= this.now
        if (c.sla_deadline !== null && !entry.overdue)
          this.deadlines.push(c.sla_deadline, c.id)
      }
      if (entry.overdue)
        this.countOverdue(c, sign)
      dirty.topics.add('rankings').add('sla')
    }
    dirty.topics.add('overview')
  }

  private countOverdue(c: CaseRow, sign: 1 | -1): void {
    this.overdueByLevel.add(c.level, sign)
    if (c.village_id !== null)
      this.overdueByVillage.add(c.village_id, sign)
    if (c.grid_id !== null)
      this.overdueByGrid.add(c.grid_id, sign)
  }

  private updateFeed(row: CaseRow): void {
    const index = this.feed.findIndex(c => c.id === row.id)
    if (index >= 0)
      this.feed.splice(index, 1)
    const last = this.feed[this.feed.length - 1]
    if (this.feed.length >= this.feedSize && last && (row.reported_at < last.reported_at || (row.reported_at === last.reported_at && row.id < last.id)))
      return
    let at = 0
    while (at < this.feed.length && (this.feed[at]!.reported_at > row.reported_at || (this.feed[at]!.reported_at === row.reported_at && this.feed[at]!.id > row.id)))
      at++
    this.feed.splice(at, 0, row)
    if (this.feed.length > this.feedSize)
      this.feed.length = this.feedSize
  }

  private removeFromFeed(id: number): void {
    const index = this.feed.findIndex(c => c.id === id)
    if (index < 0)
      return
    this.feed.splice(index, 1)
    // Refill from the cases still held, so the feed stays as long as a from-scratch build's.
    let best: CaseRow | undefined
    for (const { row } of this.cases.values()) {
      if (this.feed.some(c => c.id === row.id))
        continue
      if (!best || row.reported_at > best.reported_at || (row.reported_at === best.reported_at && row.id > best.id))
        best = row
    }
    const last = this.feed[this.feed.length - 1]
    if (best && (!last || best.reported_at < last.reported_at || (best.reported_at === last.reported_at && best.id < last.id)))
      this.feed.push(best)
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
      this.countOverdue(entry.row, 1)
      dirty.topics.add('overview').add('rankings').add('sla')
    }
    const day = localDay(now)
    if (day !== this.today)
      this.rollOver(day, dirty)
    return dirty
  }

  private rollOver(day: number, dirty: Dirty): void {
    const previousFirst = this.firstDay
    this.today = day
    const first = this.firstDay
    if (first > previousFirst) {
      for (const counter of [this.reportedHours, this.reportedCategories, this.reportedVillages, this.reportedGrids, this.responseVillages, this.responseGrids, this.heat, this.closedStats, this.ratedStats] as DailyCounter<unknown>[])
        counter.prune(first)
      for (const [category, counter] of this.heatByCategory) {
        counter.prune(first)
        if (counter.days.size === 0)
          this.heatByCategory.delete(category)
      }
      for (const [id, entry] of this.cases) {
        if (!this.caseRelevant(entry.row)) {
          this.cases.delete(id)
          this.removeFromFeed(id)
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
