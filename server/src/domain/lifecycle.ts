/**
 * The case lifecycle (数字城管 seven steps, adapted to 基层治理), as stable status codes and the legal
 * transitions between them. Shared by the mock writers, the simulator and the server, so that what is
 * written and what is read agree on one list.
 *
 * 信息采集 reported → 受理/立案 accepted (or 注销 cancelled) → 任务派遣 dispatched (the SLA clock starts)
 * → 任务处理 processing → 处理反馈 fed_back → 核查结案 closed (or returned for rework: back to processing).
 * 综合评价 (the resident's rating) is not a status: it is recorded in `cases.rating` after closing.
 */

/** Status codes, in lifecycle order. */
export const CASE_STATUSES = ['reported', 'accepted', 'dispatched', 'processing', 'fed_back', 'closed', 'cancelled'] as const

/** A case status code. */
export type CaseStatus = typeof CASE_STATUSES[number]

/** Statuses after which nothing changes (except the rating of a closed case). */
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['closed', 'cancelled']

/** Statuses of cases still being worked on (the backlog). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'accepted', 'dispatched', 'processing', 'fed_back']

/** Chinese and English labels of each status, as the township's staff say them. */
export const STATUS_LABELS: Record<CaseStatus, { zh: string, en: string }> = {
  reported: { zh: '信息采集', en: 'Reported' },
  accepted: { zh: '受理立案', en: 'Accepted' },
  dispatched: { zh: '任务派遣', en: 'Dispatched' },
  processing: { zh: '任务处理', en: 'Processing' },
  fed_back: { zh: '处理反馈', en: 'Fed back' },
  closed: { zh: '核查结案', en: 'Closed' },
  cancelled: { zh: '注销', en: 'Cancelled' },
}

/**
 * Legal transitions: from each status, the statuses it may move to. `fed_back → processing` is the
 * verifier returning a case for rework (核查不通过). Nothing leaves a terminal status.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ['accepted', 'cancelled'],
  accepted: ['dispatched'],
  dispatched: ['processing'],
  processing: ['fed_back'],
  fed_back: ['closed', 'processing'],
  closed: [],
  cancelled: [],
}

/** Who performed a transition (`case_events.actor_role`). */
export const ACTOR_ROLES = ['resident', 'grid_worker', 'village', 'township', 'county', 'dispatcher', 'system'] as const

/** An actor role code. */
export type ActorRole = typeof ACTOR_ROLES[number]

/** True when `value` is one of the status codes. */
export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value)
}

/**
 * True when a case may move from `from` to `to`. `from = null` is the creation of a case, which is
 * legal only into `reported`.
 */
export function isLegalTransition(from: CaseStatus | null, to: CaseStatus): boolean {
  if (from === null)
    return to === 'reported'
  return LEGAL_TRANSITIONS[from]?.includes(to) ?? false
}

/** True for closed and cancelled cases. */
export function isTerminal(status: CaseStatus): boolean {
  return TERMINAL_STATUSES.includes(status)
}

/** True for cases in the backlog (not closed, not cancelled). */
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status)
}

/**
 * The next status of a case moving forward without rework or cancellation (the happy path), or
 * null at the end.
 */
export function nextForwardStatus(status: CaseStatus): CaseStatus | null {
  switch (status) {
    case 'reported': return 'accepted'
    case 'accepted': return 'dispatched'
    case 'dispatched': return 'processing'
    case 'processing': return 'fed_back'
    case 'fed_back': return 'closed'
    default: return null
  }
}
