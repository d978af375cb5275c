import type { Database } from '../db/types.ts'
import type { AlarmRow, CaseRow, RowsByTable, SourceTable } from '../contract/rows.ts'
import type { EngineOptions, MetricsEngine } from './engine.ts'
import { quoteIdent } from '../db/csv.ts'
import { dayStart, localDay } from '../domain/calendar.ts'
import { TERMINAL_STATUSES } from '../domain/lifecycle.ts'
import { normaliseRow, SOURCE_COLUMNS, SOURCE_TABLES, TIME_COLUMNS } from '../contract/rows.ts'
import { buildEngine } from './engine.ts'
import { OPEN_STATUSES } from './cases.ts'

/**
 * The township as it was at a past moment T (the time machine): the contract's rows reconstructed
 * "as of T" from the case history, then an engine built over them with its clock at T, so every view
 * (overview, trends, rankings, SLA, heat, the feed, the alarms) is what the wall showed then.
 *
 * What history allows: cases (their timestamps and `case_events`) and IoT alarms (raised/acknowledged/
 * cleared). The registry tables (villages, grids, population, party, workers) and the cameras' states
 * have no history in the contract: they are taken as they are now, and the payload says so.
 */

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES)

/** A time no later than T, else null (a timestamp that had not happened yet at T). */
function by(at: number, time: number | null): number | null {
  return time !== null && time <= at ? time : null
}

/**
 * A case as it stood at `at`, or null when it had not been reported yet. `lastStatus` is the
 * `to_status` of its last `case_events` row at or before `at` (the contract's status history); without
 * one, the status is derived from the timestamps that had happened.
 */
export function caseAsOf(row: CaseRow, lastStatus: string | null, at: number): CaseRow | null {
  if (row.reported_at > at)
    return null
  const accepted = by(at, row.accepted_at)
  const dispatched = by(at, row.dispatched_at)
  const closed = by(at, row.closed_at)
  const rated = by(at, row.rated_at)
  const unchanged = accepted === row.accepted_at && dispatched === row.dispatched_at && closed === row.closed_at
  let status = lastStatus
  if (status === null) {
    if (unchanged)
      status = row.status // nothing in its row happened after T: the status it has now is the one it had
    else if (closed !== null)
      status = TERMINAL.has(row.status) ? row.status : 'closed'
    else if (dispatched !== null)
      status = 'dispatched'
    else if (accepted !== null)
      status = 'accepted'
    else
      status = 'reported'
  }
  const isClosed = !OPEN_STATUSES.has(status)
  return {
    ...row,
    status,
    accepted_at: accepted,
    dispatched_at: dispatched,
    // The deadline is set at dispatch; the settling level on closing; the rating after closing.
    sla_deadline: dispatched !== null ? row.sla_deadline : null,
    closed_at: isClosed ? closed : null,
    resolved_level: isClosed && closed !== null ? row.resolved_level : null,
    rated_at: rated,
    rating: rated !== null ? row.rating : null,
  }
}

/** An IoT alarm as it stood at `at`: null unless raised by then and not yet cleared. */
export function alarmAsOf(row: AlarmRow, acknowledgedAt: number | null, at: number): AlarmRow | null {
  if (row.raised_at > at || (row.cleared_at !== null && row.cleared_at <= at))
    return null
  return { ...row, status: acknowledgedAt !== null && acknowledgedAt <= at ? 'acknowledged' : 'active', cleared_at: null }
}

/** The contract's columns of `table` as the server selects them (times as epoch ms). */
export function selectList(table: SourceTable): string {
  return SOURCE_COLUMNS[table].map(column => TIME_COLUMNS.has(column)
    ? `(extract(epoch from ${quoteIdent(column)}) * 1000)::float8 as ${quoteIdent(column)}`
    : quoteIdent(column)).join(', ')
}

export interface RowsAsOf {
  rows: { [T in SourceTable]: RowsByTable[T][] }
  /** Case events read (status changes at or before T of the cases read). */
  events: number
}

/**
 * Reads the contract as of `at` in one repeatable-read transaction: the cases that contribute to a
 * window ending at T (reported by T and open at T, or reported, closed or rated inside the retained
 * days), each reconstructed at T; the alarms open at T; every other table as it is now.
 */
export async function readRowsAsOf(db: Database, at: number, retentionDays: number): Promise<RowsAsOf> {
  const since = new Date(dayStart(localDay(at) - retentionDays + 1))
  const when = new Date(at)
  // Closed before the retained days began: contributes to nothing at T (as the live snapshot's filter).
  const caseFilter = `reported_at <= $1 and (closed_at is null or closed_at >= $2 or reported_at >= $2 or rated_at >= $2)`
  return db.transaction(async (tx) => {
    await tx.exec('set transaction isolation level repeatable read')
    const rows = {} as RowsAsOf['rows']
    const raw = {} as Record<SourceTable, Record<string, unknown>[]>
    for (const table of SOURCE_TABLES) {
      if (table === 'cases')
        raw[table] = (await tx.query<Record<string, unknown>>(`select ${selectList(table)} from cases where ${caseFilter}`, [when, since])).rows
      else if (table === 'iot_alarms')
        raw[table] = (await tx.query<Record<string, unknown>>(`select ${selectList(table)}, (extract(epoch from acknowledged_at) * 1000)::float8 as acknowledged_ms from iot_alarms where raised_at <= $1 and (cleared_at is null or cleared_at > $1)`, [when])).rows
      else
        raw[table] = (await tx.query<Record<string, unknown>>(`select ${selectList(table)} from ${quoteIdent(table)}`)).rows
    }
    const events = await tx.query<{ case_id: number | string, to_status: string }>(
      `select distinct on (case_id) case_id, to_status from case_events
       where at <= $1 and case_id in (select id from cases where ${caseFilter})
       order by case_id, at desc, id desc`,
      [when, since],
    )
    const statusAt = new Map(events.rows.map(e => [Number(e.case_id), e.to_status]))
    for (const table of SOURCE_TABLES) {
      if (table === 'cases') {
        rows.cases = raw.cases.map(r => normaliseRow('cases', r))
          .map(c => caseAsOf(c, statusAt.get(c.id) ?? null, at))
          .filter((c): c is CaseRow => c !== null)
      }
      else if (table === 'iot_alarms') {
        rows.iot_alarms = raw.iot_alarms
          .map(r => alarmAsOf(normaliseRow('iot_alarms', r), r.acknowledged_ms === null ? null : Number(r.acknowledged_ms), at))
          .filter((a): a is AlarmRow => a !== null)
      }
      else {
        (rows as Record<SourceTable, unknown[]>)[table] = raw[table].map(r => normaliseRow(table, r))
      }
    }
    return { rows, events: events.rows.length }
  })
}

/** The engine as it stood at `at` (its clock at T), built from the contract read as of T. */
export async function engineAsOf(db: Database, at: number, options: EngineOptions & { retentionDays: number }): Promise<{ engine: MetricsEngine, cases: number, events: number }> {
  const { rows, events } = await readRowsAsOf(db, at, options.retentionDays)
  return { engine: buildEngine(rows, at, options), cases: rows.cases.length, events }
}

/** Cases reported in each hour from `from` to `to` (epoch ms, hours aligned to the hour), zeros included. */
export async function casesByHour(db: Database, from: number, to: number): Promise<{ hour: number, count: number }[]> {
  const HOUR = 3_600_000
  const first = Math.floor(from / HOUR)
  const last = Math.floor((to - 1) / HOUR)
  const result = await db.query<{ h: number | string, n: number | string }>(
    `select floor(extract(epoch from reported_at) / 3600)::int8 as h, count(*)::int8 as n from cases
     where reported_at >= $1 and reported_at < $2 group by 1`,
    [new Date(first * HOUR), new Date((last + 1) * HOUR)],
  )
  const counts = new Map(result.rows.map(r => [Number(r.h), Number(r.n)]))
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => ({ hour: (first + i) * HOUR, count: counts.get(first + i) ?? 0 }))
}
