import { DEFAULT_TIME_ZONE, formatClock as formatZonedClock } from '../time/format.ts'

/**
 * How the wall writes its figures, per locale (Intl). Formatters are cached: the wall formats the same
 * few shapes of number every second for months.
 */

const cache = new Map<string, Intl.NumberFormat>()

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`
  let format = cache.get(key) as Intl.NumberFormat | undefined
  if (!format) {
    format = new Intl.NumberFormat(locale, options)
    cache.set(key, format)
  }
  return format
}

/** The placeholder for a figure that is not known (yet). */
export const NO_VALUE = '—'

/** A count or a measure with a fixed number of decimals, grouped per locale (12,345 / 82.3). */
export function formatNumber(value: number | null | undefined, locale: string, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value))
    return NO_VALUE
  return numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value)
}

/** A share (0–1) as a percentage number without the sign (97.1), the unit being shown beside it. */
export function formatPercentNumber(share: number | null | undefined, locale: string, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share))
    return NO_VALUE
  return formatNumber(share * 100, locale, decimals)
}

/** A share (0–1) as a percentage with its sign (97.1%). */
export function formatPercent(share: number | null | undefined, locale: string, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share))
    return NO_VALUE
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(share)
}

/** Time of day to the minute in the configured zone (the township's clock, `time/format.ts`), e.g. 09:05. */
export function formatClock(iso: string, locale: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatZonedClock(iso, locale, timeZone)
}

/** `MM-DD` → a short day label per locale (3/14, 3月14日 is too long for an axis: 3/14 in both). */
export function formatDayLabel(date: string): string {
  const [, month, day] = date.split('-')
  return month && day ? `${Number(month)}/${Number(day)}` : date
}

const AGE_UNITS: Record<'zh' | 'en', { s: string, m: string, h: string, d: string, sep: string }> = {
  zh: { s: '秒', m: '分', h: '小时', d: '天', sep: ' ' },
  en: { s: 's', m: 'min', h: 'h', d: 'd', sep: ' ' },
}

/**
 * How old the data is, compact and to the second while it is young: 8 秒, 3 分 5 秒, 2 小时 5 分,
 * 3 天 4 小时 (en: 8 s, 3 min 5 s, 2 h 5 min, 3 d 4 h).
 */
export function formatAge(seconds: number, locale: string): string {
  const units = AGE_UNITS[locale.startsWith('zh') ? 'zh' : 'en']
  const n = (value: number): string => formatNumber(value, locale)
  const s = Math.max(0, Math.floor(seconds))
  const part = (value: number, unit: string): string => `${n(value)}${units.sep}${unit}`
  if (s < 60)
    return part(s, units.s)
  if (s < 3600)
    return s % 60 === 0 ? part(s / 60, units.m) : `${part(Math.floor(s / 60), units.m)} ${part(s % 60, units.s)}`
  if (s < 86_400) {
    const minutes = Math.floor((s % 3600) / 60)
    return minutes === 0 ? part(Math.floor(s / 3600), units.h) : `${part(Math.floor(s / 3600), units.h)} ${part(minutes, units.m)}`
  }
  const hours = Math.floor((s % 86_400) / 3600)
  return hours === 0 ? part(Math.floor(s / 86_400), units.d) : `${part(Math.floor(s / 86_400), units.d)} ${part(hours, units.h)}`
}

/** The wall's colours for the case levels (一般 calm to 紧急 alarming). */
export const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  general: '#3fb8ff',
  serious: '#ffd24a',
  major: '#ff9838',
  urgent: '#ff4d5e',
}

export function levelColour(level: string): string {
  return LEVEL_COLOURS[level] ?? '#9fc3e6'
}

/** Levels that raise the alert. */
export function isUrgentLevel(level: string): boolean {
  return level === 'urgent' || level === 'major'
}

/** Green / amber / red for a rate against its target (e.g. cameras online, within SLA). */
export function rateTone(share: number | null, good: number, fair: number): 'good' | 'fair' | 'poor' | 'none' {
  if (share === null || !Number.isFinite(share))
    return 'none'
  return share >= good ? 'good' : share >= fair ? 'fair' : 'poor'
}
