/**
 * Local time: townships count "today" and the daily rhythm in local time, while the databases store
 * timestamptz instants. One configured time zone (`TIME_ZONE`, default Asia/Shanghai — China Standard
 * Time, UTC+8 all year) governs every date and time the product computes or shows, whatever the zone
 * of the machine it runs on. `configureTimeZone` sets it once at start; a zone without daylight saving
 * (as all of China's) takes a fixed-offset fast path, others are read from the IANA database.
 */

/** The default zone: China Standard Time. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** Milliseconds China Standard Time is ahead of UTC. */
export const CST_OFFSET_MS = 8 * 3_600_000

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

let zone = DEFAULT_TIME_ZONE
let fixedOffset: number | null = CST_OFFSET_MS
let offsetFormat: Intl.DateTimeFormat | undefined
const offsetCache = new Map<number, number>()

/** The configured time zone (IANA name). */
export function timeZone(): string {
  return zone
}

function zoneOffsetByIntl(ms: number): number {
  offsetFormat ??= new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
  const p = Object.fromEntries(offsetFormat.formatToParts(new Date(ms)).map(part => [part.type, Number(part.value)]))
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** How far the configured zone is ahead of UTC at an instant (ms). */
export function offsetAt(ms: number): number {
  if (fixedOffset !== null)
    return fixedOffset
  // Offsets change at most a few times a year, always on a whole hour here: cached per hour.
  const hour = Math.floor(ms / HOUR_MS)
  let offset = offsetCache.get(hour)
  if (offset === undefined) {
    offset = zoneOffsetByIntl(ms)
    if (offsetCache.size > 100_000)
      offsetCache.clear()
    offsetCache.set(hour, offset)
  }
  return offset
}

/** Sets the one time zone (an IANA name); throws a RangeError for an unknown one. */
export function configureTimeZone(name: string): void {
  new Intl.DateTimeFormat('en', { timeZone: name })
  zone = name
  offsetFormat = undefined
  offsetCache.clear()
  fixedOffset = null
  const year = new Date().getUTCFullYear()
  const samples = [0, 3, 6, 9].map(month => zoneOffsetByIntl(Date.UTC(year, month, 15)))
  fixedOffset = samples.every(o => o === samples[0]) ? samples[0]! : null
}

/** The instant whose local wall-clock reading is `wallMs` (wall-clock time written as if it were UTC). */
function fromWallClock(wallMs: number): number {
  const first = wallMs - offsetAt(wallMs)
  return wallMs - offsetAt(first)
}

/** A moment as a township's clock and calendar show it. */
export interface LocalParts {
  year: number
  /** 1–12. */
  month: number
  /** 1–31. */
  day: number
  /** 0–23. */
  hour: number
  minute: number
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
}

/** The local calendar and clock of an instant. */
export function localParts(date: Date): LocalParts {
  const shifted = new Date(date.getTime() + offsetAt(date.getTime()))
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  }
}

/** The instant of local midnight starting the local day that contains `date`. */
export function startOfLocalDay(date: Date): Date {
  return new Date(dayStart(localDay(date.getTime())))
}

/** The instant of a local date and time (month 1–12). */
export function localTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(fromWallClock(Date.UTC(year, month - 1, day, hour, minute)))
}

/** Local date as `YYYYMMDD`, e.g. for daily sequence numbers in case codes. */
export function localDateKey(date: Date): string {
  const p = localParts(date)
  return `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`
}

/** 春节 (lunar new year's day), by Gregorian year; the lunar calendar has no simple formula. */
const SPRING_FESTIVAL: Readonly<Record<number, [number, number]>> = {
  2019: [2, 5],
  2020: [1, 25],
  2021: [2, 12],
  2022: [2, 1],
  2023: [1, 22],
  2024: [2, 10],
  2025: [1, 29],
  2026: [2, 17],
  2027: [2, 6],
  2028: [1, 26],
  2029: [2, 13],
  2030: [2, 3],
  2031: [1, 23],
  2032: [2, 11],
  2033: [1, 31],
  2034: [2, 19],
  2035: [2, 8],
}

/**
 * Local midnight of 春节 in `year`; outside the table (2019–2035) the mid-point, 4 February, which is
 * never more than two weeks off.
 */
export function springFestival(year: number): Date {
  const [month, day] = SPRING_FESTIVAL[year] ?? [2, 4]
  return localTime(year, month, day)
}

/**
 * Days from the Spring Festival nearest to `date` (negative before it), so that callers can shape
 * the weeks around it: migrant workers come home, wage arrears and family disputes peak before it,
 * offices close for the 7-day holiday, fireworks raise fire risk.
 */
export function daysFromSpringFestival(date: Date): number {
  const { year } = localParts(date)
  let best = Number.POSITIVE_INFINITY
  for (const y of [year - 1, year, year + 1]) {
    const d = (startOfLocalDay(date).getTime() - springFestival(y).getTime()) / DAY_MS
    if (Math.abs(d) < Math.abs(best))
      best = d
  }
  return Math.round(best)
}

/** The local day number (days since 1970-01-01 in local time) of an instant in epoch ms. */
export function localDay(ms: number): number {
  return Math.floor((ms + offsetAt(ms)) / DAY_MS)
}

/** The local hour (0–23) of an instant in epoch ms. */
export function localHour(ms: number): number {
  const local = ms + offsetAt(ms)
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS)
}

/** The instant (epoch ms) local day number `day` starts. */
export function dayStart(day: number): number {
  return fromWallClock(day * DAY_MS)
}

/** `YYYY-MM-DD` of a local day number. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The day number (days since 1970-01-01) of a date `YYYY-MM-DD` that is on the calendar, or null:
 * 2026-02-30 is refused, never rolled over to March 2nd as `Date.parse` does. The one check of a
 * date given by a person (query strings, command lines).
 */
export function calendarDay(value: string): number | null {
  const match = CALENDAR_DATE.exec(value)
  if (!match)
    return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  const check = new Date(ms)
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? ms / DAY_MS : null
}

/** The instant a local date (`YYYY-MM-DD`) starts. */
export function localDateStart(date: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  return localTime(y!, m!, d!)
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** `YYYY-MM-DD HH:mm:ss` of an instant in a time zone (IANA name; default the configured one). */
export function formatLocal(date: Date, name: string = zone): string {
  let format = formatters.get(name)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: name, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    formatters.set(name, format)
  }
  const p = Object.fromEntries(format.formatToParts(date).map(part => [part.type, part.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}
