/**
 * Case levels and their SLA tiers, from the response rules townships publish (FIELD.md):
 * 宁海县 "村民e点通" — the grid worker responds within 24 h, ordinary matters are handled within 5 days,
 * complex matters and major disputes go to the township; 义渡口镇 — "紧急问题及时清、一般问题一周清、
 * 复杂问题一月清". The clock starts at dispatch (任务派遣) and runs in calendar hours: townships on
 * duty rosters do not stop it at weekends, and a calendar clock is what a resident experiences.
 */

/** Case level codes: 一般 general, 较大 serious, 重大 major, 紧急 urgent. */
export const CASE_LEVELS = ['general', 'serious', 'major', 'urgent'] as const

/** A case level code. */
export type CaseLevel = typeof CASE_LEVELS[number]

/** One SLA tier. */
export interface SlaTier {
  level: CaseLevel
  zh: string
  en: string
  /** Hours from report to acceptance (受理) the tier expects: the grid worker's 24-hour response rule. */
  respondHours: number
  /** Hours from dispatch (派遣) to closing (结案): the SLA deadline. */
  resolveHours: number
  /** The published rule the tier follows. */
  basis: string
}

const HOUR_MS = 3_600_000

/** The tiers, by level. */
export const SLA_TIERS: Readonly<Record<CaseLevel, SlaTier>> = {
  urgent: { level: 'urgent', zh: '紧急', en: 'Urgent', respondHours: 1, resolveHours: 4, basis: '紧急问题及时清: handled at once, within hours' },
  general: { level: 'general', zh: '一般', en: 'General', respondHours: 24, resolveHours: 5 * 24, basis: '一般问题一周清; 宁海县: ordinary matters within 5 days' },
  serious: { level: 'serious', zh: '较大', en: 'Serious', respondHours: 24, resolveHours: 15 * 24, basis: 'between a week and a month: village service team with township support' },
  major: { level: 'major', zh: '重大', en: 'Major', respondHours: 24, resolveHours: 30 * 24, basis: '复杂问题一月清: complex matters and major disputes, township 综合指挥室' },
}

/** True when `value` is one of the level codes. */
export function isCaseLevel(value: unknown): value is CaseLevel {
  return typeof value === 'string' && (CASE_LEVELS as readonly string[]).includes(value)
}

/** The SLA deadline (结案时限) of a case of `level` dispatched at `dispatchedAt`. */
export function deadline(level: CaseLevel, dispatchedAt: Date): Date {
  return new Date(dispatchedAt.getTime() + SLA_TIERS[level].resolveHours * HOUR_MS)
}

/** The time by which a case reported at `reportedAt` should have been accepted (响应时限). */
export function responseDeadline(level: CaseLevel, reportedAt: Date): Date {
  return new Date(reportedAt.getTime() + SLA_TIERS[level].respondHours * HOUR_MS)
}

/** Where a case stands against its SLA clock at a moment. */
export type SlaState = 'not_started' | 'on_track' | 'due_soon' | 'overdue' | 'met' | 'missed'

/** What `slaState` needs of a case. */
export interface SlaCase {
  level: CaseLevel
  slaDeadline: Date | null
  closedAt: Date | null
}

/**
 * The SLA state of a case at `now`. `due_soon` is the last fifth of the window (督办 supervision
 * usually starts there); `met`/`missed` once closed. A case never dispatched has no clock.
 */
export function slaState(c: SlaCase, now: Date): SlaState {
  if (!c.slaDeadline)
    return 'not_started'
  const due = c.slaDeadline.getTime()
  if (c.closedAt)
    return c.closedAt.getTime() <= due ? 'met' : 'missed'
  const t = now.getTime()
  if (t > due)
    return 'overdue'
  const window = SLA_TIERS[c.level].resolveHours * HOUR_MS
  return due - t <= window / 5 ? 'due_soon' : 'on_track'
}

/** True when an open case has passed its deadline at `now`. */
export function isOverdue(c: SlaCase, now: Date): boolean {
  return slaState(c, now) === 'overdue'
}

/** True when a closed case closed no later than its deadline. */
export function closedWithinSla(closedAt: Date, slaDeadline: Date): boolean {
  return closedAt.getTime() <= slaDeadline.getTime()
}
