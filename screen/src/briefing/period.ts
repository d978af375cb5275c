/**
 * The briefing's period: whole local days in the configured time zone (`YYYY-MM-DD`), from the
 * address (`?from=&to=`) or, without one, the last 7 days (today and the 6 before, as the wall's
 * 近7天). Pure: dates as text, days counted on the calendar (UTC arithmetic on the date alone).
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms).map(p => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  const at = (date: string): number => Date.parse(`${date}T00:00:00Z`)
  return Math.round((at(to) - at(from)) / DAY_MS) + 1
}

/** The last `days` days to today (today counted), in the time zone. */
export function lastDays(days: number, now: number, timeZone: string): { from: string, to: string } {
  const to = localDate(now, timeZone)
  return { from: addDays(to, -(days - 1)), to }
}

/** `/briefing?from=…&to=…` of the last `days` days: the link the tour's last step offers. */
export function briefingHref(days: number, now: number, timeZone: string): string {
  const { from, to } = lastDays(days, now, timeZone)
  return `/briefing?from=${from}&to=${to}`
}

/**
 * The period the address asks for: both dates when both look like dates (the server judges the rest
 * and says what is wrong), else the last 7 days.
 */
export function periodFromQuery(query: Record<string, unknown>, now: number, timeZone: string): { from: string, to: string } {
  const from = typeof query.from === 'string' ? query.from : ''
  const to = typeof query.to === 'string' ? query.to : ''
  if (DATE.test(from) && DATE.test(to))
    return { from, to }
  return lastDays(7, now, timeZone)
}
