import { describe, expect, it } from 'vitest'
import { nextSpeed } from './replay.ts'
import { dayMarks, fractionOf, momentAt, scrubberRange } from './scrubber.ts'

const H = 3_600_000

describe('the replay scrubber', () => {
  it('spans the retained history to the end of the current hour, and maps moments to places and back', () => {
    const range = scrubberRange(Date.UTC(2026, 10, 1, 16, 0), Date.UTC(2026, 11, 1, 6, 20))
    expect(range).toEqual({ from: Date.UTC(2026, 10, 1, 16), to: Date.UTC(2026, 11, 1, 7) })
    const t = Date.UTC(2026, 10, 20, 2, 0)
    expect(momentAt(fractionOf(t, range), range, Date.now())).toBe(t)
    expect(momentAt(1.2, range, Date.UTC(2026, 11, 1, 6, 20))).toBe(Date.UTC(2026, 11, 1, 6, 20)) // never the future
    expect(fractionOf(range.from - H, range)).toBe(0)
  })

  it('marks each local midnight (the township\'s zone, not the browser\'s), labelling every fifth back from the last', () => {
    const marks = dayMarks({ from: Date.UTC(2026, 10, 1, 16), to: Date.UTC(2026, 10, 12, 16) }, 'Asia/Shanghai')
    expect(marks).toHaveLength(11)
    expect(marks[0]).toMatchObject({ ms: Date.UTC(2026, 10, 1, 16), label: '11/2' })
    expect(marks.filter(m => m.labelled).map(m => m.label)).toEqual(['11/2', '11/7', '11/12'])
  })

  it('steps through the speeds 1×, 10×, 60×, 600×', () => {
    expect(nextSpeed(60, 1)).toBe(600)
    expect(nextSpeed(600, 1)).toBe(600)
    expect(nextSpeed(10, -1)).toBe(1)
    expect(nextSpeed(1, -1)).toBe(1)
    expect(nextSpeed(0, 1)).toBe(1)
  })
})
