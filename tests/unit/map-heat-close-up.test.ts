import type { HeatBin } from '../../screen/src/map/heat-raster.ts'
import { describe, expect, it } from 'vitest'
import { HEAT_RAMP } from '../../screen/src/map/colour.ts'
import { heatBands, heatTop, renderHeat } from '../../screen/src/map/heat-raster.ts'

const EXTENT = { west: 111.1, south: 29.4, east: 111.25, north: 29.53 }
/** A busy village of 2 km² (cases fall off from a market at its centre) in a township of quiet ones. */
const VILLAGE = { west: 111.16, south: 29.46, east: 111.18, north: 29.48 }

function township(): HeatBin[] {
  const bins: HeatBin[] = []
  for (let x = 0; x < 150; x++) {
    for (let y = 0; y < 130; y++) {
      const lon = EXTENT.west + x * 0.001
      const lat = EXTENT.south + y * 0.001
      const d = Math.hypot(lon + 0.0005 - 111.17, lat + 0.0005 - 29.47) / 0.001
      // The busy village: up to 6 cases a cell at its centre, fewer outwards; elsewhere a case in every 9th cell.
      const count = d < 10 ? Math.max(1, Math.round(6 - d * 0.5)) : (x * 7 + y * 13) % 9 === 0 ? 1 : 0
      if (count > 0)
        bins.push([lon, lat, count])
    }
  }
  return bins
}

describe('the heat close up', () => {
  it('still tells hot from warm inside the busiest village: several bands, little at the top colour', () => {
    const image = renderHeat(township(), EXTENT, 0.001, HEAT_RAMP)
    const close = heatBands(image, EXTENT, VILLAGE)
    expect(close.drawn).toBeGreaterThan(1000)
    // At most a tenth of the village is the top colour (a top at the 99.5th percentile made it most of it).
    expect(close.top).toBeLessThan(0.1)
    // At least three bands each hold a tenth of the village.
    expect(close.bands.filter(share => share >= 0.1).length).toBeGreaterThanOrEqual(3)
  })

  it('does not let one freak cell wash out the rest of the township', () => {
    const bins = township()
    const plain = renderHeat(bins, EXTENT, 0.001, HEAT_RAMP)
    const freak = renderHeat([...bins, [111.12, 29.5, 500]], EXTENT, 0.001, HEAT_RAMP)
    // The village keeps most of its colour: the freak cell is clipped at 3 × the 99th percentile.
    const before = heatBands(plain, EXTENT, VILLAGE)
    const after = heatBands(freak, EXTENT, VILLAGE)
    expect(after.bands.slice(2).reduce((a, b) => a + b, 0)).toBeGreaterThan(before.bands.slice(2).reduce((a, b) => a + b, 0) * 0.4)
    expect(freak.topCount).toBeLessThan(plain.topCount * 4)
  })

  it('takes the hottest pixel as the top, up to three times the 99th percentile', () => {
    const grid = new Float32Array(1000).fill(1)
    grid[0] = 2
    expect(heatTop(grid)).toBe(2)
    grid[0] = 100
    expect(heatTop(grid)).toBe(3)
  })
})
