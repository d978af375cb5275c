import type { Briefing, BriefingCategory, BriefingDay, BriefingFigures, BriefingOverdueCase, BriefingPeriod, BriefingTier, Ratio } from '../wire/index.ts'
import type { CaseRow } from '../contract/rows.ts'
import type { Database, Queryable } from '../db/types.ts'
import { normaliseRow, SOURCE_COLUMNS, TIME_COLUMNS } from '../contract/rows.ts'
import { quoteIdent } from '../db/csv.ts'
import { dayLabel, dayStart, localDay, localHour, timeZone } from '../domain/calendar.ts'
import { OPEN_STATUSES } from '../domain/lifecycle.ts'
import { CASE_LEVELS, SLA_TIERS } from '../domain/sla.ts'
import { BRIEFING_OVERDUE_LIMIT } from '../wire/index.ts'
import { caseAsOf } from './as-of.ts'

/**
 * The printable briefing of a period (`GET /api/briefing`): whole local days in the configured time
 * zone, against the period of the same length just before, computed from the contract's tables in one
 * repeatable-read transaction. Definitions follow the wall's (README "Wall metrics") over the period
 * instead of 30 days; "open" and "overdue" at a period's end are the case as it stood then
 * (`caseAsOf`: its last `case_events` status at or before the end, else its timestamps), so a past
 * period's backlog is what the wall showed at its end.
 */

const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES)
const QUARTER_MS = 900_000
const MINUTE_MS = 60_000

/** Local day numbers of a period and its predecessor, and the instants they start and end at. */
export interface BriefingWindow {
  /** Local day numbers (days since 1970-01-01 in the configured zone), inclusive. */
  fromDay: number
  toDay: number
  /** The figures' moment for the period: its last midnight, or `now` when that is later than now. */
  end: number
}

/** The window of a period of local days `fromDay`–`toDay` at `now`. */
export function briefingWindow(fromDay: number, toDay: number, now: number): BriefingWindow {
  return { fromDay, toDay, end: Math.min(dayStart(toDay + 1), now) }
}

function period(fromDay: number, toDay: number, end: number): BriefingPeriod {
  return { from: dayLabel(fromDay), to: dayLabel(toDay), days: toDay - fromDay + 1, start: new Date(dayStart(fromDay)).toISOString(), end: new Date(end).toISOString() }
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator > 0 ? numerator / denominator : null }
}

const n = (value: unknown): number => Number(value ?? 0)

function caseColumns(): string {
  return SOURCE_COLUMNS.cases.map(column => TIME_COLUMNS.has(column)
    ? `(extract(epoch from ${quoteIdent(column)}) * 1000)::float8 as ${quoteIdent(column)}`
    : quoteIdent(column)).join(', ')
}

interface LevelRow {
  level: string
  reported: number
  urgent: number
  closed: number
  sla_num: number
  sla_den: number
  settled_num: number
  settled_den: number
  satisfied: number
  rated: number
}

/** What was reported, closed and rated in [a, b), by level. */
async function flowsByLevel(tx: Queryable, a: number, b: number): Promise<Map<string, LevelRow>> {
  const result = await tx.query<Record<string, unknown>>(
    `select level,
       count(*) filter (where reported_at >= $1 and reported_at < $2) as reported,
       count(*) filter (where reported_at >= $1 and reported_at < $2 and level in ('urgent', 'major')) as urgent,
       count(*) filter (where status = 'closed' and closed_at >= $1 and closed_at < $2) as closed,
       count(*) filter (where status = 'closed' and closed_at >= $1 and closed_at < $2 and sla_deadline is not null) as sla_den,
       count(*) filter (where status = 'closed' and closed_at >= $1 and closed_at < $2 and closed_at <= sla_deadline) as sla_num,
       count(*) filter (where status = 'closed' and closed_at >= $1 and closed_at < $2 and resolved_level is not null) as settled_den,
       count(*) filter (where status = 'closed' and closed_at >= $1 and closed_at < $2 and resolved_level in ('grid', 'village')) as settled_num,
       count(*) filter (where rating is not null and rated_at >= $1 and rated_at < $2) as rated,
       count(*) filter (where rating in ('satisfied', 'basically_satisfied') and rated_at >= $1 and rated_at < $2) as satisfied
     from cases
     where (reported_at >= $1 and reported_at < $2) or (closed_at >= $1 and closed_at < $2) or (rated_at >= $1 and rated_at < $2)
     group by level`,
    [new Date(a), new Date(b)],
  )
  return new Map(result.rows.map(r => [String(r.level), {
    level: String(r.level),
    reported: n(r.reported),
    urgent: n(r.urgent),
    closed: n(r.closed),
    sla_num: n(r.sla_num),
    sla_den: n(r.sla_den),
    settled_num: n(r.settled_num),
    settled_den: n(r.settled_den),
    satisfied: n(r.satisfied),
    rated: n(r.rated),
  }]))
}

/** The cases open at `at`, each as it stood then (its status and deadline at `at`). */
async function openAt(tx: Queryable, at: number): Promise<CaseRow[]> {
  const when = new Date(at)
  const candidates = `reported_at <= $1 and (closed_at is null or closed_at > $1)`
  const rows = await tx.query<Record<string, unknown>>(`select ${caseColumns()} from cases where ${candidates}`, [when])
  const events = await tx.query<{ case_id: number | string, to_status: string }>(
    `select distinct on (case_id) case_id, to_status from case_events
     where at <= $1 and case_id in (select id from cases where ${candidates})
     order by case_id, at desc, id desc`,
    [when],
  )
  const statusAt = new Map(events.rows.map(e => [Number(e.case_id), e.to_status]))
  return rows.rows.map(r => normaliseRow('cases', r))
    .map(c => caseAsOf(c, statusAt.get(c.id) ?? null, at))
    .filter((c): c is CaseRow => c !== null && OPEN.has(c.status))
}

const isOverdue = (c: CaseRow, at: number): boolean => c.sla_deadline !== null && c.sla_deadline <= at

function figuresOf(levels: Map<string, LevelRow>, open: CaseRow[], at: number): BriefingFigures {
  const sum = (key: keyof Omit<LevelRow, 'level'>): number => [...levels.values()].reduce((s, r) => s + r[key], 0)
  return {
    reported: sum('reported'),
    urgentOrMajor: sum('urgent'),
    closed: sum('closed'),
    closedWithinSla: ratio(sum('sla_num'), sum('sla_den')),
    settledAtVillage: ratio(sum('settled_num'), sum('settled_den')),
    satisfaction: ratio(sum('satisfied'), sum('rated')),
    open: open.length,
    overdue: open.filter(c => isOverdue(c, at)).length,
  }
}

type Tx = Queryable
interface CategoryNodeRow { id: number, parent_id: number | null, code: string, name: string, name_en: string | null, active: boolean }
type Counts = Map<number, { period: number, previous: number }>

/** Reports per local day and per local hour of the day in [previousStart, end), split at `start`. */
async function rhythm(tx: Tx, previousStart: number, start: number, end: number): Promise<{ days: Map<number, number>, hourly: Briefing['hourly'] }> {
  // Quarter hours, then local days and hours by the domain's calendar (any zone whose offset is a
  // multiple of 15 minutes), never the database's or the machine's zone.
  const quarters = await tx.query<{ q: number | string, n: number | string }>(
    `select floor(extract(epoch from reported_at) / 900)::int8 as q, count(*)::int8 as n from cases
     where reported_at >= $1 and reported_at < $2 group by 1`,
    [new Date(previousStart), new Date(end)],
  )
  const days = new Map<number, number>()
  const hourly = { period: Array.from({ length: 24 }, () => 0), previous: Array.from({ length: 24 }, () => 0) }
  for (const row of quarters.rows) {
    const at = Number(row.q) * QUARTER_MS
    const count = Number(row.n)
    const day = localDay(at)
    days.set(day, (days.get(day) ?? 0) + count)
    hourly[at >= start ? 'period' : 'previous'][localHour(at)]! += count
  }
  return { days, hourly }
}

/** Reports per category, village or grid in each period. */
async function countsBy(tx: Tx, column: 'category_id' | 'village_id' | 'grid_id', previousStart: number, start: number, end: number): Promise<Counts> {
  const result = await tx.query<{ k: number | string | null, cur: number | string, prev: number | string }>(
    `select ${column} as k, count(*) filter (where reported_at >= $2) as cur, count(*) filter (where reported_at < $2) as prev
     from cases where reported_at >= $1 and reported_at < $3 group by 1`,
    [new Date(previousStart), new Date(start), new Date(end)],
  )
  return new Map(result.rows.filter(r => r.k !== null).map(r => [Number(r.k), { period: Number(r.cur), previous: Number(r.prev) }]))
}

const ranked = (list: BriefingCategory[]): BriefingCategory[] => list.sort((a, b) => b.period - a.period || b.previous - a.previous || a.code.localeCompare(b.code))

/** The top-level classes (every active one, sub-categories counted in) and the busiest leaves. */
function categoriesOf(nodes: Map<number, CategoryNodeRow>, byCategory: Counts): { classes: BriefingCategory[], leaves: BriefingCategory[] } {
  // The tree may be deep: each node's class.
  const rootOf = (id: number): CategoryNodeRow | undefined => {
    let node = nodes.get(id)
    for (let guard = 0; node && node.parent_id !== null && guard < 50; guard++)
      node = nodes.get(Number(node.parent_id)) ?? node
    return node
  }
  const classes = new Map<number, BriefingCategory>()
  const entry = (c: CategoryNodeRow): BriefingCategory => ({ code: c.code, name: c.name, nameEn: c.name_en, parent: null, parentEn: null, period: 0, previous: 0 })
  for (const c of nodes.values()) {
    if (c.parent_id === null && c.active)
      classes.set(Number(c.id), entry(c))
  }
  const leaves: BriefingCategory[] = []
  for (const [id, counts] of byCategory) {
    const node = nodes.get(id)
    const root = rootOf(id)
    if (!node || !root)
      continue
    const cls = classes.get(Number(root.id)) ?? entry(root)
    cls.period += counts.period
    cls.previous += counts.previous
    classes.set(Number(root.id), cls)
    if (node.parent_id !== null)
      leaves.push({ code: node.code, name: node.name, nameEn: node.name_en, parent: root.name, parentEn: root.name_en, period: counts.period, previous: counts.previous })
  }
  return { classes: ranked([...classes.values()]), leaves: ranked(leaves).slice(0, 10) }
}

function tiersOf(levelsNow: Map<string, LevelRow>, levelsBefore: Map<string, LevelRow>, openNow: CaseRow[], end: number): BriefingTier[] {
  return CASE_LEVELS.map((level) => {
    const now = levelsNow.get(level)
    const then = levelsBefore.get(level)
    const open = openNow.filter(c => c.level === level)
    return {
      level,
      resolveHours: SLA_TIERS[level].resolveHours,
      reported: now?.reported ?? 0,
      closedWithinSla: ratio(now?.sla_num ?? 0, now?.sla_den ?? 0),
      previousClosedWithinSla: ratio(then?.sla_num ?? 0, then?.sla_den ?? 0),
      open: open.length,
      overdue: open.filter(c => isOverdue(c, end)).length,
    }
  })
}

/** The overdue cases to list, the latest first: code, level, category, village, grid, how late. */
function overdueList(overdue: CaseRow[], end: number, names: { nodes: Map<number, CategoryNodeRow>, villages: Map<number, string>, grids: Map<number, string> }): BriefingOverdueCase[] {
  return [...overdue]
    .sort((a, b) => a.sla_deadline! - b.sla_deadline! || a.code.localeCompare(b.code))
    .slice(0, BRIEFING_OVERDUE_LIMIT)
    .map((c) => {
      const category = names.nodes.get(c.category_id)
      return {
        code: c.code,
        level: c.level as BriefingOverdueCase['level'],
        category: category?.name ?? String(c.category_id),
        categoryEn: category?.name_en ?? null,
        village: c.village_id === null ? null : names.villages.get(c.village_id) ?? null,
        grid: c.grid_id === null ? null : names.grids.get(c.grid_id) ?? null,
        reportedAt: new Date(c.reported_at).toISOString(),
        deadline: new Date(c.sla_deadline!).toISOString(),
        lateMinutes: Math.floor((end - c.sla_deadline!) / MINUTE_MS),
      }
    })
}

/**
 * The briefing of local days `fromDay`–`toDay` (inclusive) at `now`, and the same number of days
 * before them. The caller validates the period (not empty, not in the future, not too long).
 */
export async function computeBriefing(db: Database, fromDay: number, toDay: number, now: number): Promise<Briefing> {
  const days = toDay - fromDay + 1
  const current = briefingWindow(fromDay, toDay, now)
  const before = briefingWindow(fromDay - days, fromDay - 1, now)
  const start = dayStart(fromDay)
  const previousStart = dayStart(before.fromDay)

  return db.transaction(async (tx) => {
    await tx.exec('set transaction isolation level repeatable read')
    const township = (await tx.query<{ code: string, name: string }>('select code, name from townships where active order by id limit 1')).rows[0] ?? null
    const nodes = new Map((await tx.query<CategoryNodeRow>('select id, parent_id, code, name, name_en, active from case_categories')).rows.map(c => [Number(c.id), c]))
    const villageRows = (await tx.query<{ id: number, code: string, name: string }>('select id, code, name from villages where active order by code')).rows
    const gridRows = (await tx.query<{ id: number, code: string, name: string, village_id: number }>('select id, code, name, village_id from grids where active order by code')).rows
    const levelsNow = await flowsByLevel(tx, start, current.end)
    const levelsBefore = await flowsByLevel(tx, previousStart, before.end)
    const openNow = await openAt(tx, current.end)
    const openBefore = await openAt(tx, before.end)
    const { days: dayCounts, hourly } = await rhythm(tx, previousStart, start, current.end)
    const byVillage = await countsBy(tx, 'village_id', previousStart, start, current.end)
    const byGrid = await countsBy(tx, 'grid_id', previousStart, start, current.end)
    const { classes, leaves } = categoriesOf(nodes, await countsBy(tx, 'category_id', previousStart, start, current.end))

    const series = (first: number, last: number): BriefingDay[] =>
      Array.from({ length: last - first + 1 }, (_, i) => ({ day: dayLabel(first + i), count: dayCounts.get(first + i) ?? 0 }))
    const villages = new Map(villageRows.map(v => [Number(v.id), v.name]))
    const overdueNow = openNow.filter(c => isOverdue(c, current.end))
    const overdueByVillage = new Map<number, number>()
    for (const c of overdueNow) {
      if (c.village_id !== null)
        overdueByVillage.set(c.village_id, (overdueByVillage.get(c.village_id) ?? 0) + 1)
    }
    return {
      township: township ? { code: township.code, name: township.name } : null,
      timeZone: timeZone(),
      generatedAt: new Date(now).toISOString(),
      period: period(fromDay, toDay, current.end),
      previous: period(before.fromDay, before.toDay, before.end),
      figures: { period: figuresOf(levelsNow, openNow, current.end), previous: figuresOf(levelsBefore, openBefore, before.end) },
      daily: { period: series(fromDay, toDay), previous: series(before.fromDay, before.toDay) },
      hourly,
      categories: classes,
      subcategories: leaves,
      villages: villageRows
        .map(v => ({ code: v.code, name: v.name, period: byVillage.get(Number(v.id))?.period ?? 0, previous: byVillage.get(Number(v.id))?.previous ?? 0, overdue: overdueByVillage.get(Number(v.id)) ?? 0 }))
        .sort((a, b) => b.period - a.period || b.overdue - a.overdue || a.code.localeCompare(b.code)),
      sla: tiersOf(levelsNow, levelsBefore, openNow, current.end),
      overdue: { total: overdueNow.length, cases: overdueList(overdueNow, current.end, { nodes, villages, grids: new Map(gridRows.map(g => [Number(g.id), g.name])) }) },
      grids: gridRows.map(g => ({ id: Number(g.id), code: g.code, name: g.name, village: villages.get(Number(g.village_id)) ?? null, period: byGrid.get(Number(g.id))?.period ?? 0 })),
    }
  })
}
