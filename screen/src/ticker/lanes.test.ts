import { describe, expect, it } from 'vitest'
import { firstLineCount, laneStarts } from './lanes.ts'

describe('ticker lanes', () => {
  it('starts each lane with the first case the lanes before it had no room for', () => {
    expect(laneStarts([4, 3, 5], 3)).toEqual([0, 4, 7])
    expect(laneStarts([4], 1)).toEqual([0])
    // A lane not measured yet counts as showing nothing: the next starts where it starts.
    expect(laneStarts([2], 3)).toEqual([0, 2, 2])
  })

  it('counts the cases on a wrapping row\'s first line (the others wrap out of sight)', () => {
    expect(firstLineCount([0, 0, 0, 50, 50])).toBe(3)
    expect(firstLineCount([0, 0.4, 0])).toBe(3)
    expect(firstLineCount([12])).toBe(1)
    expect(firstLineCount([])).toBe(0)
  })
})
