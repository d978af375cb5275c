import { describe, expect, it } from 'vitest'
import { countChange, lateness, share, shareChange, trend } from '../../screen/src/briefing/format.ts'
import { fitProjection, HEAT_RAMP, heatClasses, heatColour, polygonPath } from '../../screen/src/briefing/map.ts'
import { addDays, briefingHref, daysBetween, lastDays, localDate, periodFromQuery } from '../../screen/src/briefing/period.ts'
import { dayOf } from '../../server/src/api/briefing.ts'

describe('the briefing\'s period', () => {
  // 2026-11-30 17:30 UTC is already 1 December in Shanghai.
  const now = Date.parse('2026-11-30T17:30:00Z')

  it('counts local days in the configured zone, not the machine\'s', () => {
    expect(localDate(now, 'Asia/Shanghai')).toBe('2026-12-01')
    expect(localDate(now, 'UTC')).toBe('2026-11-30')
    expect(lastDays(7, now, 'Asia/Shanghai')).toEqual({ from: '2026-11-25', to: '2026-12-01' })
    expect(briefingHref(7, now, 'Asia/Shanghai')).toBe('/briefing?from=2026-11-25&to=2026-12-01')
  })

  it('adds days across months and years and counts a period\'s days', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(daysBetween('2026-11-24', '2026-11-30')).toBe(7)
    expect(daysBetween('2025-12-01', '2026-11-30')).toBe(365)
  })

  it('takes the address\'s dates, else the last 7 days', () => {
    expect(periodFromQuery({ from: '2026-11-01', to: '2026-11-30' }, now, 'Asia/Shanghai')).toEqual({ from: '2026-11-01', to: '2026-11-30' })
    expect(periodFromQuery({ from: '2026-11-01' }, now, 'Asia/Shanghai')).toEqual({ from: '2026-11-25', to: '2026-12-01' })
    expect(periodFromQuery({ from: 'yesterday', to: '2026-11-30' }, now, 'Asia/Shanghai')).toEqual({ from: '2026-11-25', to: '2026-12-01' })
  })

  it('reads the server\'s dates as local day numbers, refusing dates that do not exist', () => {
    expect(dayOf('1970-01-02')).toBe(1)
    expect(dayOf('2026-11-30')! - dayOf('2026-11-24')!).toBe(6)
    for (const bad of ['2026-02-30', '2026-13-01', '26-11-30', '2026-11-30T00:00', '1969-12-31'])
      expect(dayOf(bad)).toBeNull()
  })
})

describe('the briefing\'s figures on paper', () => {
  it('writes changes signed, shares in percentage points, lateness in days and hours', () => {
    expect(countChange(120, 100)).toBe('+20 (+20.0%)')
    expect(countChange(97, 100)).toBe('−3 (−3.0%)')
    expect(countChange(5, 0)).toBe('+5')
    expect(countChange(4, 4)).toBe('±0 (±0.0%)')
    expect(share({ numerator: 1, denominator: 3, value: 1 / 3 })).toBe('33.3%')
    expect(share({ numerator: 0, denominator: 0, value: null })).toBe('—')
    expect(shareChange({ numerator: 97, denominator: 100, value: 0.97 }, { numerator: 95, denominator: 100, value: 0.95 })).toBe('+2.0')
    expect(shareChange({ numerator: 0, denominator: 0, value: null }, { numerator: 95, denominator: 100, value: 0.95 })).toBe('—')
    expect(lateness(45, 'zh-CN')).toBe('45分钟')
    expect(lateness(3480, 'zh-CN')).toBe('2天10小时')
    expect(lateness(2880, 'en')).toBe('2 d')
    expect(lateness(61, 'en')).toBe('1 h')
  })

  it('judges a change for the better or the worse by what the figure means', () => {
    expect(trend(3, 5, false)).toBe('better') // fewer overdue
    expect(trend(0.9, 0.95, true)).toBe('worse') // fewer closed on time
    expect(trend(120, 100, null)).toBe('same') // more reports: neither
  })
})

describe('the briefing\'s map picture', () => {
  it('fits the township into the width, true to shape at its latitude, north up', () => {
    const square = [[[111, 29], [111.1, 29], [111.1, 29.1], [111, 29.1], [111, 29]]]
    const p = fitProjection(square, 400, 0)
    // A degree of longitude is cos(29.05°) ≈ 0.874 of a degree of latitude: the picture is taller than wide.
    expect(p.height).toBe(Math.round(400 / Math.cos(29.05 * Math.PI / 180)))
    expect(p.project(111, 29.1)).toEqual([0, 0])
    expect(p.project(111.1, 29)[0]).toBeCloseTo(400, 6)
    expect(polygonPath({ type: 'Polygon', coordinates: square }, p)).toMatch(/^M0\.0 \d+\.\dL400\.0 \d+\.\d.*Z$/)
  })

  it('colours grids in six classes, none of them empty, the zero class apart', () => {
    const classes = heatClasses([0, 1, 4, 9, 20])
    expect(classes.map(c => [c.min, c.max])).toEqual([[0, 0], [1, 4], [5, 8], [9, 12], [13, 16], [17, 20]])
    expect(classes.map(c => c.colour)).toEqual([...HEAT_RAMP])
    expect(heatColour(0, classes)).toBe(HEAT_RAMP[0])
    expect(heatColour(20, classes)).toBe(HEAT_RAMP[5])
    // A quiet week: the busiest grid has two cases.
    expect(heatClasses([0, 1, 2]).map(c => [c.min, c.max])).toEqual([[0, 0], [1, 1], [2, 2]])
    expect(heatClasses([0, 0])).toHaveLength(1)
  })
})
