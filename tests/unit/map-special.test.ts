import { describe, expect, it } from 'vitest'
import { classify } from '../../screen/src/map/colour.ts'
import { countsByGrid, formatSpecialCount, kindsToShow, SPECIAL_KINDS, specialBreaks, specialKindOf, specialValue } from '../../screen/src/map/layers/special.ts'
import { mapMessages } from '../../screen/src/map/messages.ts'
import { SPECIAL_KIND_LABELS, SPECIAL_KINDS as DOMAIN_KINDS } from '../../server/src/domain/special-population.ts'

describe('special populations on the map', () => {
  it('lists the eight kinds in the server\'s order, named as the server names them in zh and en', () => {
    expect([...SPECIAL_KINDS]).toEqual([...DOMAIN_KINDS])
    for (const kind of DOMAIN_KINDS) {
      expect(mapMessages['zh-CN'].special.kinds[kind]).toBe(SPECIAL_KIND_LABELS[kind].zh)
      expect(mapMessages.en.special.kinds[kind]).toBe(SPECIAL_KIND_LABELS[kind].en)
    }
    // A kind the township added is listed after the eight, by its code.
    expect(kindsToShow(['veteran', 'disabled'])).toEqual([...DOMAIN_KINDS, 'veteran'])
  })

  it('reads the metric: all kinds, one kind, or not special population', () => {
    expect(specialKindOf('special')).toBeNull()
    expect(specialKindOf('special:elderly_alone')).toBe('elderly_alone')
    expect(specialKindOf('open')).toBeUndefined()
  })

  it('unpacks the rankings topic\'s rows, keeping suppressed counts suppressed', () => {
    const counts = countsByGrid({ minCount: 3, kinds: ['disabled', 'elderly_alone'], grids: { 7: [null, 12], 9: [0, 3] } })
    expect(counts.get(7)).toEqual({ disabled: null, elderly_alone: 12 })
    expect(counts.get(9)).toEqual({ disabled: 0, elderly_alone: 3 })
    expect(counts.get(8)).toBeUndefined()
  })

  it('colours a "<3" in the lowest class, whatever the counts elsewhere', () => {
    for (const max of [0, 2, 3, 9, 17, 45, 400, 5000]) {
      const breaks = specialBreaks(max, 3)
      expect(breaks).toHaveLength(6)
      expect(breaks[1]).toBe(3)
      expect(classify(specialValue({ disabled: null }, 'disabled'), breaks)).toBe(0)
      expect(classify(specialValue({ disabled: 0 }, 'disabled'), breaks)).toBe(0)
      expect(classify(3, breaks)).toBe(1)
      // The top class reaches the busiest grid.
      expect(breaks.at(-1)!).toBeGreaterThan(max)
      expect(classify(max, breaks)).toBeLessThanOrEqual(4)
    }
    expect(specialBreaks(17, 3)).toEqual([0, 3, 7, 11, 15, 19])
    // The busiest grid falls in the top class, not in a middle one under an empty top.
    expect(specialBreaks(60, 3)).toEqual([0, 3, 18, 33, 48, 63])
    expect(classify(60, specialBreaks(60, 3))).toBe(4)
    // Another threshold moves the lowest class's edge with it.
    expect(specialBreaks(40, 5)[1]).toBe(5)
  })

  it('values a grid by one kind, or all kinds with each "<3" as at least one person', () => {
    const counts = { elderly_alone: 12, left_behind_child: null, disabled: 0 }
    expect(specialValue(counts, 'elderly_alone')).toBe(12)
    expect(specialValue(counts, 'left_behind_child')).toBe(1)
    expect(specialValue(counts, 'key_petitioner')).toBe(0)
    expect(specialValue(counts, null)).toBe(13)
    expect(specialValue(undefined, null)).toBe(0)
  })

  it('shows a suppressed count as "<3", others with grouped digits', () => {
    expect(formatSpecialCount(null, 3, 'zh-CN')).toBe('<3')
    expect(formatSpecialCount(1234, 3, 'en')).toBe('1,234')
    expect(formatSpecialCount(0, 3, 'zh-CN')).toBe('0')
    expect(formatSpecialCount(undefined, 3, 'zh-CN')).toBe('0')
  })
})
