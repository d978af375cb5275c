import { describe, expect, it } from 'vitest'
import { formatAge, formatClock, formatDayLabel, formatNumber, formatPercent, formatPercentNumber, isUrgentLevel, levelColour, NO_VALUE, rateTone } from '../../screen/src/panels/format.ts'
import { easeOutCubic, tweenAt, tweenDuration } from '../../screen/src/motion/tween.ts'

describe('wall number formats', () => {
  it('groups and rounds per locale, and shows a dash for what is unknown', () => {
    expect(formatNumber(24678, 'zh-CN')).toBe('24,678')
    expect(formatNumber(24678, 'en')).toBe('24,678')
    expect(formatNumber(78.86, 'zh-CN', 1)).toBe('78.9')
    expect(formatNumber(null, 'zh-CN')).toBe(NO_VALUE)
    expect(formatNumber(Number.NaN, 'en')).toBe(NO_VALUE)
    expect(formatPercentNumber(0.9712, 'zh-CN')).toBe('97.1')
    expect(formatPercentNumber(1, 'en', 0)).toBe('100')
    expect(formatPercentNumber(null, 'en')).toBe(NO_VALUE)
    expect(formatPercent(0.9712, 'en')).toBe('97.1%')
    expect(formatPercent(0.9712, 'zh-CN')).toBe('97.1%')
  })

  it('writes times in the township\'s clock (UTC+8) whatever the machine\'s time zone', () => {
    expect(formatClock('2026-03-14T01:05:00.000Z', 'zh-CN')).toBe('09:05')
    expect(formatClock('2026-03-14T15:59:00.000Z', 'en')).toBe('23:59')
    expect(formatClock('not a date', 'en')).toBe(NO_VALUE)
    expect(formatDayLabel('2026-03-04')).toBe('3/4')
  })

  it('says how old stale data is, to the second while it is young', () => {
    expect(formatAge(8, 'zh-CN')).toBe('8 秒')
    expect(formatAge(65, 'zh-CN')).toBe('1 分 5 秒')
    expect(formatAge(120, 'zh-CN')).toBe('2 分')
    expect(formatAge(2 * 3600 + 5 * 60 + 9, 'zh-CN')).toBe('2 小时 5 分')
    expect(formatAge(3 * 86_400 + 4 * 3600, 'zh-CN')).toBe('3 天 4 小时')
    expect(formatAge(65, 'en')).toBe('1 min 5 s')
    expect(formatAge(-3, 'en')).toBe('0 s')
  })

  it('colours levels and rates', () => {
    expect(levelColour('urgent')).not.toBe(levelColour('general'))
    expect(levelColour('unknown')).toMatch(/^#/)
    expect(isUrgentLevel('urgent') && isUrgentLevel('major')).toBe(true)
    expect(isUrgentLevel('serious') || isUrgentLevel('general')).toBe(false)
    expect(rateTone(0.96, 0.95, 0.9)).toBe('good')
    expect(rateTone(0.92, 0.95, 0.9)).toBe('fair')
    expect(rateTone(0.5, 0.95, 0.9)).toBe('poor')
    expect(rateTone(null, 0.95, 0.9)).toBe('none')
  })
})

describe('tween', () => {
  it('eases from the old value to the new one without overshoot, and jumps when motion is reduced', () => {
    expect(easeOutCubic(0)).toBe(0)
    expect(easeOutCubic(1)).toBe(1)
    expect(easeOutCubic(2)).toBe(1)
    expect(easeOutCubic(0.5)).toBeGreaterThan(0.5)
    expect(tweenAt(100, 200, 0, 900)).toBe(100)
    expect(tweenAt(100, 200, 900, 900)).toBe(200)
    const mid = tweenAt(100, 200, 450, 900)
    expect(mid).toBeGreaterThan(150)
    expect(mid).toBeLessThan(200)
    let previous = 100
    for (let t = 0; t <= 900; t += 50) {
      const value = tweenAt(100, 200, t, 900)
      expect(value).toBeGreaterThanOrEqual(previous)
      expect(value).toBeLessThanOrEqual(200)
      previous = value
    }
    expect(tweenDuration(100, 200, false)).toBe(900)
    expect(tweenDuration(100, 200, true)).toBe(0)
    expect(tweenDuration(null, 200, false)).toBe(0) // the first value is shown at once
    expect(tweenDuration(200, 200, false)).toBe(0)
  })
})
