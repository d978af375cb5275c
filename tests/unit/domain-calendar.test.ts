import { afterEach, describe, expect, it } from 'vitest'
import { calendarDay, configureTimeZone, dayLabel, dayStart, daysFromSpringFestival, formatLocal, localDateKey, localDay, localHour, localParts, localTime, springFestival, startOfLocalDay, timeZone } from '../../server/src/domain/calendar.ts'

describe('China Standard Time calendar', () => {
  it('counts days and hours in UTC+8', () => {
    const t = new Date('2025-01-28T16:30:00Z')
    expect(localParts(t)).toMatchObject({ year: 2025, month: 1, day: 29, hour: 0, minute: 30, weekday: 3 })
    expect(startOfLocalDay(t).toISOString()).toBe('2025-01-28T16:00:00.000Z')
    expect(localDateKey(t)).toBe('20250129')
    expect(localTime(2025, 1, 29, 8).toISOString()).toBe('2025-01-29T00:00:00.000Z')
  })

  it('knows the Spring Festival', () => {
    expect(localDateKey(springFestival(2025))).toBe('20250129')
    expect(localDateKey(springFestival(2026))).toBe('20260217')
    expect(daysFromSpringFestival(localTime(2025, 1, 20, 12))).toBe(-9)
    expect(daysFromSpringFestival(localTime(2025, 2, 5, 12))).toBe(7)
    expect(daysFromSpringFestival(localTime(2025, 12, 30, 12))).toBe(-49)
  })
})

describe('the configured time zone', () => {
  afterEach(() => configureTimeZone('Asia/Shanghai'))

  it('counts days and hours in Asia/Shanghai by default, whatever the machine runs in', () => {
    const instant = Date.UTC(2026, 10, 30, 16, 30) // 00:30 on 1 December in Beijing
    expect(timeZone()).toBe('Asia/Shanghai')
    expect(localHour(instant)).toBe(0)
    expect(dayLabel(localDay(instant))).toBe('2026-12-01')
    expect(new Date(dayStart(localDay(instant))).toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(formatLocal(new Date(instant))).toBe('2026-12-01 00:30:00')
  })

  it('follows another zone, daylight saving included, when configured', () => {
    configureTimeZone('Europe/Berlin')
    // 29 March 2026: clocks go from 02:00 to 03:00; the day has 23 hours.
    const day = localDay(Date.UTC(2026, 2, 29, 12))
    expect(dayLabel(day)).toBe('2026-03-29')
    expect(new Date(dayStart(day)).toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(new Date(dayStart(day + 1)).toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(localHour(Date.UTC(2026, 2, 29, 1, 30))).toBe(3)
    expect(localTime(2026, 7, 1, 9).toISOString()).toBe('2026-07-01T07:00:00.000Z')
    expect(localParts(new Date(Date.UTC(2026, 0, 1, 23, 30)))).toMatchObject({ year: 2026, month: 1, day: 2, hour: 0, minute: 30 })
  })

  it('refuses an unknown zone', () => {
    expect(() => configureTimeZone('Mars/Olympus')).toThrow(RangeError)
    expect(timeZone()).toBe('Asia/Shanghai')
  })
})

describe('a date given by a person', () => {
  it('is a day on the calendar or nothing — never rolled over', () => {
    expect(calendarDay('1970-01-02')).toBe(1)
    expect(calendarDay('2024-02-29')).toBe(calendarDay('2024-03-01')! - 1)
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31', '0050-01-01', '2026-1-1', '2026-01-01T00:00', ''])
      expect(calendarDay(bad), bad).toBeNull()
  })
})
