import type { CameraRow, CaseRow, Change, RowsByTable, SourceTable } from '../contract/rows.ts'
import type { Contributor } from './contributors.ts'
import type { Dirty, EngineOptions } from './dirty.ts'
import type { CaseEntry, RegistryTable } from './state.ts'
import { localDay } from '../domain/calendar.ts'
import { caseRelevant, contributeCase, countOverdue, OPEN_STATUSES } from './cases.ts'
import { CONTRIBUTORS } from './contributors.ts'
import { emptyDirty } from './dirty.ts'
import { EngineState } from './state.ts'

const HOUR_MS = 3_600_000
/** The tables whose rows carry boundaries (drawn by the screens from `/api/geodata` and `/api/grids`). */
const BOUNDARY_TABLES: ReadonlySet<SourceTable> = new Set(['townships', 'villages', 'grids'])
export const LEVELS = ['general', 'serious', 'major', 'urgent'] as const

export { emptyDirty } from './dirty.ts'
export type { Dirty, EngineOptions } from './dirty.ts'

/**
 * The township's figures in memory, built from a snapshot and updated change by change in O(1):
 * applying a row subtracts the old row's contributions and adds the new row's, so the state always
 * equals what a from-scratch build over the same rows would give (tests/unit/metrics-property.test.ts).
 * What each table's rows add up to is said by its contributor (`contributors.ts`, `cases.ts`); every
 * window by day is made through `daily`, which prunes them all at a new day.
 * Time enters only through `now`, moved forward by `tick()` (SLA deadlines, day boundaries).
 */
export class MetricsEngine extends EngineState {
  constructor(now: number, options: EngineOptions = {}) {
    super(now, options)
  }

  /** Applies one change; records in `dirty` what it altered. */
  apply(change: Change, dirty: Dirty = emptyDirty()): Dirty {
    if (change.at !== undefined && BOUNDARY_TABLES.has(change.table))
      this.boundariesWritten(change.at, dirty)
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

  /** A boundary table was written at `at`: screens learn it from the rankings and redraw. */
  boundariesWritten(at: number, dirty: Dirty = emptyDirty()): Dirty {
    if (at > this.boundariesAt) {
      this.boundariesAt = at
      dirty.topics.add('rankings')
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
    dirty.queue.set(id, null)
    dirty.topics.add('cases').add('queue')
  }

  private upsertCase(row: CaseRow, dirty: Dirty): void {
    const old = this.cases.get(row.id)
    if (old || OPEN_STATUSES.has(row.status)) {
      dirty.queue.set(row.id, row)
      dirty.topics.add('queue')
    }
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
