import type { Ratio } from '#wire'

/**
 * How the briefing writes its figures on paper: counts with thousands separators, shares as
 * percentages to one decimal, changes signed (a share's change in percentage points), lateness in
 * days and hours. Pure functions.
 */

const NONE = '—'

export function count(n: number, locale: string): string {
  return n.toLocaleString(locale.startsWith('zh') ? 'zh-CN' : 'en')
}

export function share(r: Ratio): string {
  return r.value === null ? NONE : `${(r.value * 100).toFixed(1)}%`
}

/** A count's change against the previous period: +12 (+8.5%) / −3 (−2.0%) / 0. */
export function countChange(now: number, before: number): string {
  const diff = now - before
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±'
  const relative = before > 0 ? ` (${sign}${Math.abs((diff / before) * 100).toFixed(1)}%)` : ''
  return `${sign}${Math.abs(diff)}${relative}`
}

/** A share's change in percentage points: +1.2 / −0.4 (empty when either is not defined). */
export function shareChange(now: Ratio, before: Ratio): string {
  if (now.value === null || before.value === null)
    return NONE
  const diff = (now.value - before.value) * 100
  const rounded = Math.round(Math.abs(diff) * 10) / 10
  const sign = rounded === 0 ? '±' : diff > 0 ? '+' : '−'
  return `${sign}${rounded.toFixed(1)}`
}

/** Whether a change is for the better: more reports is neither; fewer overdue, a higher share closed on time is. */
export function trend(now: number | null, before: number | null, higherIsBetter: boolean | null): 'better' | 'worse' | 'same' {
  if (now === null || before === null || higherIsBetter === null || Math.abs(now - before) < 1e-9)
    return 'same'
  return (now > before) === higherIsBetter ? 'better' : 'worse'
}

/** Minutes late as days and hours: 2天10小时 / 2 d 10 h; under an hour: 45分钟 / 45 min. */
export function lateness(minutes: number, locale: string): string {
  const zh = locale.startsWith('zh')
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  if (days === 0 && hours === 0)
    return zh ? `${minutes}分钟` : `${minutes} min`
  if (zh)
    return `${days > 0 ? `${days}天` : ''}${hours > 0 ? `${hours}小时` : ''}`
  return [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : ''].filter(Boolean).join(' ')
}
