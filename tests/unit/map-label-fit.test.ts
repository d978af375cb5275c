import { describe, expect, it } from 'vitest'
import { labelFits } from '../../screen/src/map/label-fit.ts'

describe('village names wholly on the map or not at all', () => {
  // 三淹桥村 at 24 px: (4 × 25 + 12) / 2 = 56 px each side of its point, 31 px tall above it (plus 6).
  it('shows a name whose plate lies inside the map', () => {
    expect(labelFits(960, 540, 4, 24, 1920, 1080)).toBe(true)
    expect(labelFits(56, 37, 4, 24, 1920, 1080)).toBe(true)
    expect(labelFits(1920 - 56, 1086, 4, 24, 1920, 1080)).toBe(true)
  })

  it('leaves out a name the map\'s edge would cut (a fragment such as 三 from 5 m)', () => {
    expect(labelFits(55, 540, 4, 24, 1920, 1080), 'cut on the left').toBe(false)
    expect(labelFits(1920 - 55, 540, 4, 24, 1920, 1080), 'cut on the right').toBe(false)
    expect(labelFits(960, 36, 4, 24, 1920, 1080), 'cut at the top').toBe(false)
    expect(labelFits(960, 1087, 4, 24, 1920, 1080), 'below the bottom').toBe(false)
    // A longer name needs more room: 60 px from the edge holds four characters, not six.
    expect(labelFits(60, 540, 4, 24, 1920, 1080)).toBe(true)
    expect(labelFits(60, 540, 6, 24, 1920, 1080)).toBe(false)
  })
})
