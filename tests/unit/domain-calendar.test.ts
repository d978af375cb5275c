import { describe, expect, it } from 'vitest'
import { daysFromSpringFestival, localDateKey, localParts, localTime, springFestival, startOfLocalDay } from '../../server/src/domain/calendar.ts'

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
