import type { AlarmRow, CaseRow } from '../contract/rows.ts'
import type { Database } from '../db/types.ts'
import type { EngineOptions, MetricsEngine } from './engine.ts'
import { normaliseRow } from '../contract/rows.ts'
import { alarmAsOf, caseAsOf, engineAsOf, selectList } from './as-of.ts'

/**
 * Replays of the past that stay cheap (the time machine at 600× asks for a new moment every second):
 * instead of reading and building the whole township again for each moment, a replay keeps an engine
 * built once at its first moment (a "cursor") and moves it forward by applying, as of the new moment,
 * only the cases and alarms that something happened to in between — read from the contract a span
 * (6 h) at a time, so a step costs no query at all most of the time. Moving an engine forward is what
 * the live engine does change by change, and it equals a build from scratch at the new moment
 * (tests/integration/history.test.ts compares them).
 *
 * Several screens replaying different moments each get a cursor of their own (the one just behind
 * the moment asked; a moment before every cursor builds a new one), at most `cursors` of them, the
 * least recently used dropped first and any idle for `idleMs` released. A cursor is used by one
 * request at a time; none of them is the live engine, which replays never touch.
 */

const HOUR_MS = 3_600_000

export interface ReplayOptions extends EngineOptions {
  retentionDays: number
}

export interface ReplayLimits {
  /** Cursors kept at once (each an engine of the retained days: ≈ the live engine's memory). */
  cursors: number
  /** How far ahead one read of the contract reaches. */
  spanMs: number
  /** A moment further ahead of every cursor than this is built from scratch (cheaper than a long walk). */
  maxForwardMs: number
  /** A cursor unused this long is released. */
  idleMs: number
  /** A cursor older than this is built again (the registry — taken as it is now — may have changed). */
  maxAgeMs: number
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { cursors: 3, spanMs: 24 * HOUR_MS, maxForwardMs: 48 * HOUR_MS, idleMs: 120_000, maxAgeMs: 15 * 60_000 }

/** A case something happened to inside a span: its row now, its status before the span, its changes inside. */
interface TouchedCase {
  row: CaseRow
  before: string | null
  /** Status changes inside the span, in order. */
  events: { at: number, status: string }[]
  /** Every moment inside the span at which the case changed as of T (sorted). */
  touches: number[]
}

interface TouchedAlarm {
  row: AlarmRow
  acknowledgedAt: number | null
  touches: number[]
}

/** What happened in (from, to]: the cases and alarms touched. */
interface Span {
  from: number
  to: number
  cases: TouchedCase[]
  alarms: TouchedAlarm[]
}

interface Cursor {
  engine: MetricsEngine
  at: number
  span: Span | null
  /** The next span, read ahead in the background (null when the read failed: read again when needed). */
  next: Promise<Span | null> | null
  busy: boolean
  created: number
  used: number
}

const inside = (from: number, to: number) => (t: number | null): t is number => t !== null && t > from && t <= to

/** Reads what happened in (from, to]: cases reported, accepted, dispatched, closed or rated, or with a status change; alarms raised, acknowledged or cleared. */
export async function readSpan(db: Database, from: number, to: number): Promise<Span> {
  const f = new Date(from)
  const t = new Date(to)
  const within = (column: string): string => `(${column} > $1 and ${column} <= $2)`
  return db.transaction(async (tx) => {
    await tx.exec('set transaction isolation level repeatable read')
    const events = (await tx.query<{ case_id: number | string, to_status: string, at: number | string }>(
      `select case_id, to_status, (extract(epoch from at) * 1000)::float8 as at from case_events where at > $1 and at <= $2 order by case_id, at, id`,
      [f, t],
    )).rows
    const cases = (await tx.query<Record<string, unknown>>(
      `select ${selectList('cases')} from cases
       where ${['reported_at', 'accepted_at', 'dispatched_at', 'closed_at', 'rated_at'].map(within).join(' or ')}
          or id in (select case_id from case_events where at > $1 and at <= $2)`,
      [f, t],
    )).rows.map(r => normaliseRow('cases', r))
    const before = (await tx.query<{ case_id: number | string, to_status: string }>(
      `select distinct on (case_id) case_id, to_status from case_events
       where case_id = any($2::int8[]) and at <= $1 order by case_id, at desc, id desc`,
      [f, cases.map(c => c.id)],
    )).rows
    const alarms = (await tx.query<Record<string, unknown>>(
      `select ${selectList('iot_alarms')}, (extract(epoch from acknowledged_at) * 1000)::float8 as acknowledged_ms from iot_alarms
       where ${['raised_at', 'acknowledged_at', 'cleared_at'].map(within).join(' or ')}`,
      [f, t],
    )).rows
    const statusBefore = new Map(before.map(b => [Number(b.case_id), b.to_status]))
    const eventsOf = new Map<number, { at: number, status: string }[]>()
    for (const e of events) {
      const id = Number(e.case_id)
      const list = eventsOf.get(id) ?? []
      list.push({ at: Number(e.at), status: e.to_status })
      eventsOf.set(id, list)
    }
    const happened = inside(from, to)
    return {
      from,
      to,
      cases: cases.map((row) => {
        const changes = eventsOf.get(row.id) ?? []
        const touches = [row.reported_at, row.accepted_at, row.dispatched_at, row.closed_at, row.rated_at, ...changes.map(e => e.at)].filter(happened)
        return { row, before: statusBefore.get(row.id) ?? null, events: changes, touches: touches.sort((a, b) => a - b) }
      }),
      alarms: alarms.map((raw) => {
        const row = normaliseRow('iot_alarms', raw)
        const acknowledgedAt = raw.acknowledged_ms === null ? null : Number(raw.acknowledged_ms)
        return { row, acknowledgedAt, touches: [row.raised_at, acknowledgedAt, row.cleared_at].filter(happened) }
      }),
    }
  })
}

/** Moves an engine from `from` to `to` (both inside the span): the clock first, then what changed as of `to`. */
export function applySpan(engine: MetricsEngine, span: Span, from: number, to: number): void {
  // As a build at `to` does: its clock at `to` while the rows are applied.
  engine.tick(to)
  const changed = (touches: number[]): boolean => touches.some(t => t > from && t <= to)
  for (const c of span.cases) {
    if (!changed(c.touches))
      continue
    let status = c.before
    for (const e of c.events) {
      if (e.at <= to)
        status = e.status
    }
    const row = caseAsOf(c.row, status, to)
    if (row)
      engine.apply({ table: 'cases', op: 'upsert', row })
  }
  for (const a of span.alarms) {
    if (!changed(a.touches))
      continue
    const row = alarmAsOf(a.row, a.acknowledgedAt, to)
    engine.apply(row ? { table: 'iot_alarms', op: 'upsert', row } : { table: 'iot_alarms', op: 'delete', id: a.row.id })
  }
  engine.tick(to)
}

/** What a replay did for one moment: built an engine from scratch, moved one forward, or found one already there. */
export type ReplayHow = 'built' | 'advanced' | 'reused'

/** The time machine's engines (see the module's comment). */
export class HistoryReplays {
  private readonly cursors: Cursor[] = []
  private sweep: ReturnType<typeof setTimeout> | undefined
  /** Counts since start, for benchmarks and /metrics-style reading. */
  readonly stats = { built: 0, advanced: 0, reused: 0, spansRead: 0 }

  constructor(
    private readonly db: Database,
    private readonly options: () => ReplayOptions,
    private readonly limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs `use` on an engine as of `at` (while it runs, nothing else moves that engine). */
  async withEngineAt<R>(at: number, use: (engine: MetricsEngine, how: ReplayHow) => R): Promise<R> {
    this.expire()
    const cursor = this.pick(at)
    if (cursor) {
      cursor.busy = true
      try {
        const how = cursor.at === at ? 'reused' : 'advanced'
        await this.advance(cursor, at)
        this.stats[how]++
        return use(cursor.engine, how)
      }
      finally {
        cursor.busy = false
        cursor.used = this.clock()
        this.scheduleSweep()
      }
    }
    const { engine } = await engineAsOf(this.db, at, this.options())
    this.stats.built++
    const now = this.clock()
    // Its first span read at once, while the screen shows this moment.
    const fresh: Cursor = { engine, at, span: null, next: this.readAhead(at), busy: true, created: now, used: now }
    this.cursors.push(fresh)
    this.evict()
    try {
      return use(engine, 'built')
    }
    finally {
      fresh.busy = false
      fresh.used = this.clock()
      this.scheduleSweep()
    }
  }

  /** How many cursors are held now. */
  get size(): number {
    return this.cursors.length
  }

  /** Releases every cursor (and the sweep's timer). */
  close(): void {
    clearTimeout(this.sweep)
    this.sweep = undefined
    this.cursors.length = 0
  }

  /** The free cursor just behind `at`, near enough to walk forward from. */
  private pick(at: number): Cursor | undefined {
    let best: Cursor | undefined
    for (const c of this.cursors) {
      if (c.busy || c.at > at || at - c.at > this.limits.maxForwardMs)
        continue
      if (!best || c.at > best.at)
        best = c
    }
    return best
  }

  private async advance(cursor: Cursor, to: number): Promise<void> {
    while (cursor.at < to) {
      if (!cursor.span || cursor.span.to <= cursor.at) {
        const ahead = cursor.next ? await cursor.next : null
        cursor.next = null
        cursor.span = ahead && ahead.from === cursor.at ? ahead : await this.read(cursor.at)
      }
      const step = Math.min(to, cursor.span.to)
      applySpan(cursor.engine, cursor.span, cursor.at, step)
      cursor.at = step
    }
    // Half through its span, the next one is read in the background (a read scans the history
    // tables: a step should not wait for it).
    const span = cursor.span
    if (span && !cursor.next && cursor.at >= (span.from + span.to) / 2)
      cursor.next = this.readAhead(span.to)
  }

  private async read(from: number): Promise<Span> {
    this.stats.spansRead++
    return readSpan(this.db, from, from + this.limits.spanMs)
  }

  private readAhead(from: number): Promise<Span | null> {
    return this.read(from).catch(() => null)
  }

  private expire(): void {
    const now = this.clock()
    for (let i = this.cursors.length - 1; i >= 0; i--) {
      const c = this.cursors[i]!
      if (!c.busy && (now - c.used > this.limits.idleMs || now - c.created > this.limits.maxAgeMs))
        this.cursors.splice(i, 1)
    }
  }

  private evict(): void {
    while (this.cursors.length > this.limits.cursors) {
      let oldest = -1
      for (let i = 0; i < this.cursors.length; i++) {
        const c = this.cursors[i]!
        if (!c.busy && (oldest < 0 || c.used < this.cursors[oldest]!.used))
          oldest = i
      }
      if (oldest < 0)
        return // every one in use: the extra one goes when released
      this.cursors.splice(oldest, 1)
    }
  }

  /** Idle cursors are released even when no request comes (the timer never keeps the process alive). */
  private scheduleSweep(): void {
    clearTimeout(this.sweep)
    if (this.cursors.length === 0)
      return
    this.sweep = setTimeout(() => {
      this.expire()
      this.evict()
      this.scheduleSweep()
    }, this.limits.idleMs)
    this.sweep.unref?.()
  }
}
