/**
 * Every date and time the screens show, in the one configured time zone (`/api/config` `timeZone`),
 * never the browser's: a wall PC set to UTC or a laptop abroad shows the township's clock. Pure
 * functions over Intl; formatters cached (the title clock formats every second for months).
 */

/** The zone until the configuration is known, and when the server sends none. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const NO_VALUE = '—'
const cache = new Map<string, Intl.DateTimeFormat>()

function zoneOrDefault(timeZone: string | null | undefined): string {
  if (!timeZone)
    return DEFAULT_TIME_ZONE
  try {
    // Throws a RangeError for a zone this browser does not know.
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone
  }
  catch {
    return DEFAULT_TIME_ZONE
  }
}

function dateFormat(locale: string, timeZone: string | null | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}|${JSON.stringify(options)}`
  let format = cache.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zoneOrDefault(timeZone) })
    cache.set(key, format)
  }
  return format
}

/** A moment as epoch ms, from a Date, epoch ms or ISO text; null when it is not a valid time. */
function toMs(when: Date | number | string | null | undefined): number | null {
  if (when === null || when === undefined)
    return null
  const ms = when instanceof Date ? when.getTime() : typeof when === 'number' ? when : Date.parse(when)
  return Number.isFinite(ms) ? ms : null
}

function format(when: Date | number | string | null | undefined, locale: string, timeZone: string | null | undefined, options: Intl.DateTimeFormatOptions): string {
  const ms = toMs(when)
  return ms === null ? NO_VALUE : dateFormat(locale, timeZone, options).format(ms)
}

const DATE_OPTIONS: Record<'zh' | 'en', Intl.DateTimeFormatOptions> = {
  zh: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
  en: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
}
const lang = (locale: string): 'zh' | 'en' => (locale.startsWith('zh') ? 'zh' : 'en')

/** The title's date with the weekday: 2026年3月14日星期六 / Sat, Mar 14, 2026. */
export function formatDate(when: Date | number | string, locale: string, timeZone: string | null | undefined): string {
  return format(when, locale, timeZone, DATE_OPTIONS[lang(locale)])
}

/** Time of day to the second, 24-hour: 09:05:07. */
export function formatTime(when: Date | number | string, locale: string, timeZone: string | null | undefined): string {
  return format(when, locale, timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
}

/** Time of day to the minute, 24-hour: 09:05 (the ticker, alarms, the banner). */
export function formatClock(when: Date | number | string | null | undefined, locale: string, timeZone: string | null | undefined): string {
  return format(when, locale, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
}

/** Date and time to the minute: 2026/03/14 09:05 (cards, deadlines, a lock's end). */
export function formatDateTime(when: Date | number | string | null | undefined, locale: string, timeZone: string | null | undefined): string {
  return format(when, locale, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
}
