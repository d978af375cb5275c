import { describe, expect, it } from 'vitest'
import { formatClock as panelClock } from '../../screen/src/panels/format.ts'
import { DEFAULT_TIME_ZONE, formatClock, formatDate, formatDateTime, formatTime } from '../../screen/src/time/format.ts'

// 2026-11-22 23:30:05 in New York is 2026-11-23 12:30:05 in Beijing: the date and the weekday differ.
const INSTANT = '2026-11-23T04:30:05Z'

describe('time formatting in the configured zone', () => {
  it('writes the title date with its weekday in the zone, not the machine\'s', () => {
    expect(formatDate(INSTANT, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月23日星期一')
    expect(formatDate(INSTANT, 'zh-CN', 'America/New_York')).toBe('2026年11月22日星期日')
    expect(formatDate(INSTANT, 'en', 'Asia/Shanghai')).toBe('Mon, Nov 23, 2026')
  })

  it('writes times of day 24-hour, to the second or the minute', () => {
    expect(formatTime(INSTANT, 'zh-CN', 'Asia/Shanghai')).toBe('12:30:05')
    expect(formatTime(INSTANT, 'en', 'America/New_York')).toBe('23:30:05')
    expect(formatTime(new Date('2026-11-22T16:00:00Z'), 'en', 'Asia/Shanghai')).toBe('00:00:00')
    expect(formatClock(INSTANT, 'zh-CN', 'UTC')).toBe('04:30')
    expect(formatClock(Date.parse(INSTANT), 'en', 'Asia/Shanghai')).toBe('12:30')
  })

  it('writes a date and time for cards and deadlines', () => {
    expect(formatDateTime(INSTANT, 'zh-CN', 'Asia/Shanghai')).toBe('2026/11/23 12:30')
    expect(formatDateTime(INSTANT, 'en', 'Asia/Shanghai')).toBe('11/23/2026, 12:30')
  })

  it('falls back to Asia/Shanghai for a missing or unknown zone, and a dash for no time', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai')
    expect(formatClock(INSTANT, 'zh-CN', null)).toBe('12:30')
    expect(formatClock(INSTANT, 'zh-CN', 'Mars/Olympus')).toBe('12:30')
    expect(formatClock('not a time', 'zh-CN', 'Asia/Shanghai')).toBe('—')
    expect(formatClock(null, 'zh-CN', 'Asia/Shanghai')).toBe('—')
  })

  it('the panels\' clock follows the zone it is given, Beijing by default', () => {
    expect(panelClock(INSTANT, 'zh-CN')).toBe('12:30')
    expect(panelClock(INSTANT, 'zh-CN', 'Europe/London')).toBe('04:30')
  })
})
