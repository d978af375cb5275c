import { describe, expect, it } from 'vitest'
import { suppressCount, totalGivesAwayGrids } from '../../server/src/domain/special-population.ts'

/**
 * Every way `grids` grids shown "<min" (each 1 … min − 1) can add up to `sum`; with `unbounded`,
 * plus one part outside the grids shown that may hold any number (0 included).
 */
function splits(sum: number, grids: number, min: number, unbounded: boolean): number[][] {
  const out: number[][] = []
  const walk = (left: number, prefix: number[]): void => {
    if (prefix.length === grids) {
      if (left === 0 || (unbounded && left > 0))
        out.push(prefix)
      return
    }
    for (let n = 1; n < min && n <= left; n++)
      walk(left - n, [...prefix, n])
  }
  walk(sum, [])
  return out
}

describe('special populations: a total must not give away the grids shown "<3"', () => {
  it('suppresses a count above 0 and under the threshold', () => {
    expect([0, 1, 2, 3, 40].map(n => suppressCount(n, 3))).toEqual([0, null, null, 3, 40])
  })

  it('withholds a total that pins the suppressed grids (four grids "<3", 4 in all: one in each)', () => {
    expect(totalGivesAwayGrids(4, 4, 3)).toBe(true)
    expect(totalGivesAwayGrids(8, 4, 3)).toBe(true)
    expect(totalGivesAwayGrids(5, 4, 3)).toBe(false)
    expect(totalGivesAwayGrids(1, 1, 3)).toBe(true)
    expect(totalGivesAwayGrids(0, 0, 3)).toBe(false)
  })

  // (A threshold of 2 shows each suppressed grid as exactly 1 by itself: no total can add to that.)
  it('says "gives away" exactly when only one split of the remainder over the suppressed grids is possible', () => {
    for (let min = 3; min <= 6; min++) {
      for (let grids = 1; grids <= 4; grids++) {
        for (const unbounded of [false, true]) {
          for (let sum = grids; sum <= grids * (min - 1) + 3; sum++) {
            const possible = splits(sum, grids, min, unbounded)
            if (possible.length === 0)
              continue
            // Pinned: every grid's count is the same in every possible split.
            const pinned = possible.every(split => split.every((n, i) => n === possible[0]![i]))
            expect(totalGivesAwayGrids(sum, grids, min, unbounded), `min ${min}, ${grids} grids, sum ${sum}, unbounded ${unbounded}`).toBe(pinned)
          }
        }
      }
    }
  })
})
