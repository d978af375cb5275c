import type { WatchdogConfig } from '#wire'

/** How far above the limit the heap may grow before the wall reloads at once rather than waiting for the quiet hours. */
export const URGENT_FACTOR = 1.5

/** What the watchdog does after a sample: nothing, wait for the quiet hours, or reload now. */
export type WatchdogAction = 'none' | 'wait' | 'reload'

/** The hour (0–23) of a moment in a time zone (the product's one configured zone). */
export function hourIn(ms: number, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(ms)
  return Number(hour) % 24
}

/** Whether an hour lies in the quiet hours [from, to) (which may wrap midnight: [23, 2]). */
export function inQuietHours(hour: number, [from, to]: readonly [number, number]): boolean {
  return from < to ? hour >= from && hour < to : hour >= from || hour < to
}

/**
 * The decision after one heap sample (`usedBytes`: `performance.memory.usedJSHeapSize`, undefined
 * where the browser does not tell): above the limit, reload in the quiet hours — or at once when far
 * above (`URGENT_FACTOR`), since a wall out of memory is worse than a wall reloading by day.
 */
export function watchdogAction(usedBytes: number | undefined, nowMs: number, timeZone: string, config: WatchdogConfig | undefined): WatchdogAction {
  if (!config || config.memoryLimitMb <= 0 || usedBytes === undefined)
    return 'none'
  const usedMb = usedBytes / 1024 / 1024
  if (usedMb <= config.memoryLimitMb)
    return 'none'
  if (usedMb > config.memoryLimitMb * URGENT_FACTOR)
    return 'reload'
  return inQuietHours(hourIn(nowMs, timeZone), config.quietHours) ? 'reload' : 'wait'
}
