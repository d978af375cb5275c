import type { HeatCellUpdate } from '#wire'
import { describe, expect, it } from 'vitest'
import { HEAT_RAMP } from '../../screen/src/map/colour.ts'
import { binsToGrid, blur, colourise, liveHeatBins, rasterSize, renderHeat, robustMax } from '../../screen/src/map/heat-raster.ts'

const extent = { west: 111.1, south: 29.4, east: 111.2, north: 29.5 }

describe('heat raster', () => {
  it('sizes the raster from the cell size, capped', () => {
    expect(rasterSize(extent, 0.001)).toEqual({ width: 400, height: 400, pixelsPerCell: 4 })
    expect(rasterSize({ ...extent, east: 112.1 }, 0.001, 1024)).toEqual({ width: 1000, height: 100, pixelsPerCell: 1 })
    expect(rasterSize({ ...extent, east: 113.1 }, 0.001, 1024).width).toBe(1024)
  })

  it('puts each bin on its cell\'s pixels, north up, keeping the total', () => {
    const bins = [[111.1, 29.499, 8], [111.199, 29.4, 4], [120, 30, 99]] as const
    const { grid, inside } = binsToGrid(bins, extent, 0.001, 200, 200)
    expect(inside).toBe(2)
    // The first bin is the north-west cell: the top-left 2×2 pixels.
    expect([grid[0], grid[1], grid[200], grid[201], grid[2]]).toEqual([2, 2, 2, 2, 0])
    // The second is the south-east cell: the bottom-right pixels.
    expect(grid[199 * 200 + 199]).toBe(1)
    expect(grid.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 5)
  })

  it('blurs without losing mass away from the edges', () => {
    const grid = new Float32Array(41 * 41)
    grid[20 * 41 + 20] = 100
    const blurred = blur(grid, 41, 41, 3)
    expect(blurred.reduce((s, v) => s + v, 0)).toBeCloseTo(100, 3)
    expect(blurred[20 * 41 + 20]).toBeLessThan(100)
    expect(blurred[20 * 41 + 20]).toBeGreaterThan(blurred[20 * 41 + 24]!)
    expect(blurred[20 * 41 + 24]).toBeGreaterThan(0)
  })

  it('colours by a robust top: nothing is transparent, a hot spot is red and opaque', () => {
    const grid = new Float32Array([0, 1, 2, 4, 1000])
    expect(robustMax(grid, 0.75)).toBe(4)
    const rgba = colourise(grid, 4, HEAT_RAMP)
    expect(rgba[3]).toBe(0)
    expect(rgba[7]).toBeGreaterThan(0)
    expect([...rgba.slice(16, 20)]).toEqual([...HEAT_RAMP.at(-1)!.colour])
  })

  // Its speed (≈100 ms for 1M cases) is measured by `npm run bench:screen`, not here: a shared machine's
  // load would make a timed test flaky.
  it('renders 100k cases (binned) onto a raster sized to the area, every case counted', () => {
    const bins: [number, number, number][] = []
    for (let x = 0; x < 300; x++) {
      for (let y = 0; y < 300; y++) {
        if ((x * 7 + y * 13) % 9 === 0)
          bins.push([111 + x * 0.001, 29 + y * 0.001, 1 + ((x + y) % 10)])
      }
    }
    const image = renderHeat(bins, { west: 111, south: 29, east: 111.3, north: 29.3 }, 0.001, HEAT_RAMP)
    expect(image.total).toBe(bins.reduce((sum, b) => sum + b[2], 0))
    expect(image.total).toBeGreaterThan(50_000)
    expect(image.width).toBe(900)
    expect(image.pixels.length).toBe(image.width * image.height * 4)
  })

  it('takes one window\'s counts from the live cells, leaving out cells without a case in it', () => {
    const cells: HeatCellUpdate[] = [[111.1, 29.4, 0, 2, 5], [111.2, 29.4, 1, 1, 1]]
    expect(liveHeatBins(cells, 'today')).toEqual([[111.2, 29.4, 1]])
    expect(liveHeatBins(cells, '7d')).toEqual([[111.1, 29.4, 2], [111.2, 29.4, 1]])
  })
})
