import type { CaseRow } from '../contract/rows.ts'
import type { Dirty } from './dirty.ts'
import type { CaseEntry, EngineState as MetricsEngine } from './state.ts'
import { localDay, localHour } from '../domain/calendar.ts'
import { OPEN_STATUSES as OPEN_CASE_STATUSES } from '../domain/lifecycle.ts'
import { RESPONSE_BIN_EDGES, responseBin } from './counters.ts'

export const OPEN_STATUSES: ReadonlySet<string> = new Set(OPEN_CASE_STATUSES)
const VILLAGE_LEVELS: ReadonlySet<string> = new Set(['grid', 'village'])
const SATISFIED: ReadonlySet<string> = new Set(['satisfied', 'basically_satisfied'])

/** Adds (`sign` 1) or takes back (−1) everything one case contributes, and marks the topics it alters. */
export function contributeCase(engine: MetricsEngine, entry: CaseEntry, sign: 1 | -1, dirty: Dirty): void {
  reported(engine, entry.row, sign, dirty)
  closed(engine, entry.row, sign, dirty)
  rated(engine, entry.row, sign)
  backlog(engine, entry, sign, dirty)
  dirty.topics.add('overview')
}

/** Windows by the day it was reported: hours, categories, places, response times, heat. */
function reported(engine: MetricsEngine, c: CaseRow, sign: 1 | -1, dirty: Dirty): void {
  const day = localDay(c.reported_at)
  if (day < engine.firstDay)
    return
  engine.reportedHours.add(day, localHour(c.reported_at), sign)
  engine.reportedCategories.add(day, c.category_id, sign)
  if (c.village_id !== null)
    engine.reportedVillages.add(day, c.village_id, sign)
  if (c.grid_id !== null)
    engine.reportedGrids.add(day, c.grid_id, sign)
  if (c.accepted_at !== null) {
    const bin = responseBin((c.accepted_at - c.reported_at) / 60_000)
    const bins = RESPONSE_BIN_EDGES.length + 1
    if (c.village_id !== null)
      engine.responseVillages.add(day, c.village_id * bins + bin, sign)
    if (c.grid_id !== null)
      engine.responseGrids.add(day, c.grid_id * bins + bin, sign)
  }
  const cell = engine.heatCell(c.lon, c.lat)
  engine.heat.add(day, cell, sign)
  engine.heatByCategory.of(c.category_id).add(day, cell, sign)
  dirty.heat?.add(cell)
  dirty.topics.add('trends').add('heat').add('rankings')
}

/** Windows by the day it was closed: within SLA, settled at village level, handling time. */
function closed(engine: MetricsEngine, c: CaseRow, sign: 1 | -1, dirty: Dirty): void {
  if (c.status !== 'closed' || c.closed_at === null)
    return
  const day = localDay(c.closed_at)
  if (day < engine.firstDay)
    return
  const stats = engine.closedStats
  stats.add(day, `closed:${c.level}`, sign)
  if (c.sla_deadline !== null) {
    stats.add(day, `withDeadline:${c.level}`, sign)
    if (c.closed_at <= c.sla_deadline)
      stats.add(day, `withinSla:${c.level}`, sign)
  }
  if (c.resolved_level !== null) {
    stats.add(day, `resolved:${c.level}`, sign)
    if (VILLAGE_LEVELS.has(c.resolved_level))
      stats.add(day, `villageLevel:${c.level}`, sign)
  }
  if (c.dispatched_at !== null) {
    stats.add(day, `handled:${c.level}`, sign)
    stats.add(day, `handleMs:${c.level}`, sign * (c.closed_at - c.dispatched_at))
  }
  dirty.topics.add('sla')
}

/** Satisfaction, by the day it was rated. */
function rated(engine: MetricsEngine, c: CaseRow, sign: 1 | -1): void {
  if (c.rating === null || c.rated_at === null)
    return
  const day = localDay(c.rated_at)
  if (day < engine.firstDay)
    return
  engine.ratedStats.add(day, 'rated', sign)
  if (SATISFIED.has(c.rating))
    engine.ratedStats.add(day, 'satisfied', sign)
}

/** The backlog now: open and overdue cases by level and place; the SLA deadline to watch. */
function backlog(engine: MetricsEngine, entry: CaseEntry, sign: 1 | -1, dirty: Dirty): void {
  const c = entry.row
  if (!OPEN_STATUSES.has(c.status))
    return
  engine.openByLevel.add(c.level, sign)
  if (c.village_id !== null)
    engine.openByVillage.add(c.village_id, sign)
  if (c.grid_id !== null)
    engine.openByGrid.add(c.grid_id, sign)
  if (sign === 1) {
    entry.overdue = c.sla_deadline !== null && c.sla_deadline <= engine.now
    if (c.sla_deadline !== null && !entry.overdue)
      engine.deadlines.push(c.sla_deadline, c.id)
  }
  if (entry.overdue)
    countOverdue(engine, c, sign)
  dirty.topics.add('rankings').add('sla')
}

/** Counts (or uncounts) a case as overdue by level and place. */
export function countOverdue(engine: MetricsEngine, c: CaseRow, sign: 1 | -1): void {
  engine.overdueByLevel.add(c.level, sign)
  if (c.village_id !== null)
    engine.overdueByVillage.add(c.village_id, sign)
  if (c.grid_id !== null)
    engine.overdueByGrid.add(c.grid_id, sign)
}

/** Whether a case still contributes to anything: open, or touched a day inside the kept window. */
export function caseRelevant(engine: MetricsEngine, row: CaseRow): boolean {
  if (OPEN_STATUSES.has(row.status))
    return true
  const first = engine.firstDay
  return localDay(row.reported_at) >= first
    || (row.closed_at !== null && localDay(row.closed_at) >= first)
    || (row.rated_at !== null && localDay(row.rated_at) >= first)
}
