import type { WatchdogConfig } from '../../server/src/wire/index.ts'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { onHandoff, saveHandoff, takeHandoff } from '../../screen/src/watchdog/handoff.ts'
import { hourIn, inQuietHours, watchdogAction } from '../../screen/src/watchdog/memory.ts'

const MB = 1024 * 1024
const ZONE = 'Asia/Shanghai'
const config: WatchdogConfig = { memoryLimitMb: 1500, quietHours: [3, 5] }
/** A moment at a local time in Asia/Shanghai (UTC+8, no daylight saving). */
const at = (hhmm: string): number => Date.parse(`2026-03-14T${hhmm}:00+08:00`)

describe('the wall\'s memory watchdog', () => {
  it('reads the hour in the configured zone, not the machine\'s', () => {
    expect(hourIn(at('03:30'), ZONE)).toBe(3)
    expect(hourIn(at('03:30'), 'UTC')).toBe(19)
    expect(hourIn(at('00:10'), ZONE)).toBe(0)
  })

  it('knows quiet hours, also across midnight', () => {
    expect([2, 3, 4, 5].map(h => inQuietHours(h, [3, 5]))).toEqual([false, true, true, false])
    expect([22, 23, 0, 1, 2].map(h => inQuietHours(h, [23, 2]))).toEqual([false, true, true, true, false])
  })

  it('does nothing under the limit, when off, or where the browser tells no heap size', () => {
    expect(watchdogAction(1400 * MB, at('03:30'), ZONE, config)).toBe('none')
    expect(watchdogAction(1500 * MB, at('03:30'), ZONE, config)).toBe('none')
    expect(watchdogAction(4000 * MB, at('03:30'), ZONE, { ...config, memoryLimitMb: 0 })).toBe('none')
    expect(watchdogAction(undefined, at('03:30'), ZONE, config)).toBe('none')
    expect(watchdogAction(4000 * MB, at('03:30'), ZONE, undefined)).toBe('none')
  })

  it('above the limit waits for the quiet hours (in the configured zone), then reloads', () => {
    // A day's samples, once a minute, of a heap just over the limit: the first reload falls at 03:00 local.
    const start = at('09:00')
    let first: number | undefined
    for (let t = start; t < start + 24 * 3600_000; t += 60_000) {
      if (watchdogAction(1600 * MB, t, ZONE, config) === 'reload') {
        first = t
        break
      }
    }
    expect(first).toBe(at('03:00') + 24 * 3600_000)
    expect(watchdogAction(1600 * MB, at('04:59'), ZONE, config)).toBe('reload')
    expect(watchdogAction(1600 * MB, at('05:00'), ZONE, config)).toBe('wait')
    // 03:30 in UTC is 11:30 in the township: not quiet there.
    expect(watchdogAction(1600 * MB, Date.parse('2026-03-14T03:30:00Z'), ZONE, config)).toBe('wait')
  })

  it('reloads at once when far above the limit (1.5×), whatever the hour', () => {
    expect(watchdogAction(2200 * MB, at('14:00'), ZONE, config)).toBe('wait')
    expect(watchdogAction(2300 * MB, at('14:00'), ZONE, config)).toBe('reload')
  })

  it('hands the map\'s view over to the page after the reload, once', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) }
    const stop = onHandoff('map-view', () => ({ position: { x: 1, y: 2, z: 3 }, heading: 0.5, pitch: -0.8, roll: 0, atHome: false }))
    saveHandoff(storage)
    stop()
    expect(takeHandoff('map-view', storage)).toEqual({ position: { x: 1, y: 2, z: 3 }, heading: 0.5, pitch: -0.8, roll: 0, atHome: false })
    expect(takeHandoff('map-view', storage)).toBeUndefined()
    expect(store.size).toBe(0)
  })

  it('is configured by WALL_MEMORY_LIMIT_MB and WALL_RELOAD_HOURS (1500 MB, 03–05 by default; 0: off)', () => {
    expect(loadConfig({}).watchdog).toEqual({ memoryLimitMb: 1500, quietHours: [3, 5] })
    expect(loadConfig({ WALL_MEMORY_LIMIT_MB: '0', WALL_RELOAD_HOURS: '23-2' }).watchdog).toEqual({ memoryLimitMb: 0, quietHours: [23, 2] })
    expect(() => loadConfig({ WALL_MEMORY_LIMIT_MB: 'lots' })).toThrow(/^WALL_MEMORY_LIMIT_MB must be megabytes from 0 \(off\) to 65536/)
    expect(() => loadConfig({ WALL_RELOAD_HOURS: '3am' })).toThrow(/^WALL_RELOAD_HOURS must be hours like 03-05/)
    expect(() => loadConfig({ WALL_RELOAD_HOURS: '04-04' })).toThrow(/^WALL_RELOAD_HOURS must be two different hours/)
  })
})
