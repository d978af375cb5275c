import type { CaseRow } from '../contract/rows.ts'
import type { QueueCase, QueueSla, QueueView } from '../wire/index.ts'
import type { EngineState } from './state.ts'
import { OPEN_STATUSES } from './cases.ts'
import { casePoint } from './points.ts'

const LEVEL_RANK: Readonly<Record<string, number>> = { urgent: 0, major: 1, serious: 2, general: 3 }
const TWO_HOURS = 2 * 3_600_000

/** An open case's SLA state at `now`: no clock before dispatch; due within 2 h; overdue. */
export function queueSla(slaDeadline: number | null, now: number): { sla: QueueSla, slaLeftMs: number | null } {
  if (slaDeadline === null)
    return { sla: 'not_started', slaLeftMs: null }
  const left = slaDeadline - now
  return { sla: left < 0 ? 'overdue' : left <= TWO_HOURS ? 'due_2h' : 'on_time', slaLeftMs: left }
}

/** A case in the console's queue. */
export function queueCase(engine: EngineState, row: CaseRow): QueueCase {
  return { ...casePoint(engine, row), ...queueSla(row.sla_deadline, engine.now) }
}

/**
 * Most urgent first: by level (紧急, 重大, 较大, 一般), then by SLA time left (overdue first; cases not
 * yet dispatched, which have no clock, after those that have one), then the oldest report.
 */
export function byUrgency(a: QueueCase, b: QueueCase): number {
  return (LEVEL_RANK[a.level] ?? 9) - (LEVEL_RANK[b.level] ?? 9)
    || (a.slaLeftMs ?? Number.POSITIVE_INFINITY) - (b.slaLeftMs ?? Number.POSITIVE_INFINITY)
    || a.reportedAt.localeCompare(b.reportedAt)
    || a.id - b.id
}

/** Every open case, most urgent first. */
export function queueView(engine: EngineState): QueueView {
  const cases: QueueCase[] = []
  for (const { row } of engine.cases.values()) {
    if (OPEN_STATUSES.has(row.status))
      cases.push(queueCase(engine, row))
  }
  return { asOf: new Date(engine.now).toISOString(), cases: cases.sort(byUrgency) }
}

/** The queue's changes since the last frame: open cases whose row changed, and those that left it. */
export function queueChanges(engine: EngineState, pending: Map<number, CaseRow | null>): { asOf: string, changed: QueueCase[], removed: number[] } {
  const changed: QueueCase[] = []
  const removed: number[] = []
  for (const [id, row] of pending) {
    const held = engine.cases.get(id)?.row
    if (row && held && OPEN_STATUSES.has(held.status))
      changed.push(queueCase(engine, held))
    else
      removed.push(id)
  }
  pending.clear()
  return { asOf: new Date(engine.now).toISOString(), changed: changed.sort(byUrgency), removed }
}
