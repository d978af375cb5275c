import type { CasePoint } from '#wire'

/**
 * The urgent-case alert's bookkeeping, as plain functions: each case alerts once (deduplicated by
 * id, remembered in a bounded window), stays for a fixed time, newest first, at most a few at once.
 */

export interface ActiveAlert {
  case: CasePoint
  /** Client time (ms) the alert was raised and when it goes away by itself. */
  raisedAt: number
  expiresAt: number
}

export interface AlertQueue {
  /** Showing now, newest first. */
  active: ActiveAlert[]
  /** Ids already alerted, oldest first (bounded: `maxSeen`). */
  seen: number[]
}

export interface AlertOptions {
  /** How long an alert stays (ms). */
  ttlMs: number
  /** Most alerts shown at once (older ones leave first). */
  maxActive: number
  /** How many alerted ids are remembered for deduplication. */
  maxSeen: number
}

export const ALERT_DEFAULTS: AlertOptions = { ttlMs: 30_000, maxActive: 5, maxSeen: 1000 }

export function emptyQueue(): AlertQueue {
  return { active: [], seen: [] }
}

/** Urgent (紧急) and major (重大) cases raise the alert. */
export function raisesAlert(c: Pick<CasePoint, 'level'>): boolean {
  return c.level === 'urgent' || c.level === 'major'
}

/** Admits new cases: those not alerted before and of an alerting level become active, newest first. */
export function admit(queue: AlertQueue, cases: readonly CasePoint[], now: number, options: AlertOptions = ALERT_DEFAULTS): { queue: AlertQueue, added: CasePoint[] } {
  const seen = new Set(queue.seen)
  const added: CasePoint[] = []
  for (const c of cases) {
    if (!raisesAlert(c) || seen.has(c.id))
      continue
    seen.add(c.id)
    added.push(c)
  }
  if (added.length === 0)
    return { queue, added }
  const fresh = added.map(c => ({ case: c, raisedAt: now, expiresAt: now + options.ttlMs }))
  // Newest report first among those arriving together.
  fresh.sort((a, b) => Date.parse(b.case.reportedAt) - Date.parse(a.case.reportedAt) || b.case.id - a.case.id)
  const active = [...fresh, ...queue.active].slice(0, options.maxActive)
  const order = [...queue.seen, ...added.map(c => c.id)]
  return { queue: { active, seen: order.slice(Math.max(0, order.length - options.maxSeen)) }, added }
}

/** Drops the alerts whose time is up. */
export function expire(queue: AlertQueue, now: number): AlertQueue {
  const active = queue.active.filter(a => a.expiresAt > now)
  return active.length === queue.active.length ? queue : { ...queue, active }
}

/** Dismisses one alert now (it stays deduplicated). */
export function dismiss(queue: AlertQueue, caseId: number): AlertQueue {
  return { ...queue, active: queue.active.filter(a => a.case.id !== caseId) }
}

/** When the next alert expires, or null when none is showing. */
export function nextExpiry(queue: AlertQueue): number | null {
  let next: number | null = null
  for (const a of queue.active)
    next = next === null ? a.expiresAt : Math.min(next, a.expiresAt)
  return next
}
