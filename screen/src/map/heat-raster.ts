import type { HeatCellUpdate, HeatWindow } from '#wire'
import type { Extent } from './geometry.ts'
import { rampTable, type Ramp } from './colour.ts'

/**
 * The case heatmap as a raster (no Cesium, no DOM): heat bins → a float grid over the township's
 * extent → a separable box blur (three passes ≈ Gaussian) → a colour ramp, as RGBA bytes for a
 * canvas. O(pixels), independent of the number of cases: the server has already counted them.
 */

/** A bin: [west lon, south lat, count] of a cell `cellDeg` wide. */
export type HeatBin = readonly [number, number, number]

export interface HeatRasterSize {
  width: number
  height: number
  /** Pixels per heat cell (both ways). */
  pixelsPerCell: number
}

/** A raster size that shows each cell as a few pixels, at most `maxSize` on the longer side. */
export function rasterSize(extent: Extent, cellDeg: number, maxSize = 1024, targetPixelsPerCell = 4): HeatRasterSize {
  // (0.1 / 0.001 is 100.00000000000001 in floating point: not 101 cells.)
  const cellsX = Math.max(1, Math.ceil((extent.east - extent.west) / cellDeg - 1e-9))
  const cellsY = Math.max(1, Math.ceil((extent.north - extent.south) / cellDeg - 1e-9))
  const pixelsPerCell = Math.max(1, Math.min(targetPixelsPerCell, Math.floor(maxSize / Math.max(cellsX, cellsY))))
  return { width: Math.min(maxSize, cellsX * pixelsPerCell), height: Math.min(maxSize, cellsY * pixelsPerCell), pixelsPerCell }
}

/**
 * Adds each bin's count to the pixels its cell covers (row 0 is the north edge). Bins outside the
 * extent are dropped. Returns the grid and how many bins fell inside.
 */
export function binsToGrid(bins: Iterable<HeatBin>, extent: Extent, cellDeg: number, width: number, height: number): { grid: Float32Array, inside: number } {
  const grid = new Float32Array(width * height)
  const sx = width / (extent.east - extent.west)
  const sy = height / (extent.north - extent.south)
  let inside = 0
  for (const [lon, lat, count] of bins) {
    if (!(count > 0))
      continue
    const x0 = Math.floor((lon - extent.west) * sx + 1e-6)
    const x1 = Math.max(x0 + 1, Math.floor((lon + cellDeg - extent.west) * sx + 1e-6))
    const y0 = Math.floor((extent.north - lat - cellDeg) * sy + 1e-6)
    const y1 = Math.max(y0 + 1, Math.floor((extent.north - lat) * sy + 1e-6))
    if (x1 <= 0 || y1 <= 0 || x0 >= width || y0 >= height)
      continue
    inside++
    // Spread the count over the cell's pixels so that the raster's total equals the cases counted.
    const per = count / ((x1 - x0) * (y1 - y0))
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++)
        grid[y * width + x]! += per
    }
  }
  return { grid, inside }
}

/** One box-blur pass of radius r along rows (running sum; edges treated as zero). */
function boxPass(src: Float32Array, dst: Float32Array, width: number, height: number, r: number, horizontal: boolean): void {
  const n = horizontal ? width : height
  const lines = horizontal ? height : width
  const stride = horizontal ? 1 : width
  const norm = 1 / (2 * r + 1)
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * width : line
    let sum = 0
    for (let i = 0; i <= Math.min(r, n - 1); i++)
      sum += src[base + i * stride]!
    for (let i = 0; i < n; i++) {
      dst[base + i * stride] = sum * norm
      const add = i + r + 1
      const remove = i - r
      if (add < n)
        sum += src[base + add * stride]!
      if (remove >= 0)
        sum -= src[base + remove * stride]!
    }
  }
}

/** Three separable box-blur passes of radius r (≈ a Gaussian of σ ≈ r); the total mass is kept except at the edges. */
export function blur(grid: Float32Array, width: number, height: number, r: number): Float32Array {
  if (r < 1)
    return grid
  let a: Float32Array = grid
  let b: Float32Array = new Float32Array(grid.length)
  for (let pass = 0; pass < 3; pass++) {
    boxPass(a, b, width, height, r, true)
    ;[a, b] = [b, a]
    boxPass(a, b, width, height, r, false)
    ;[a, b] = [b, a]
  }
  return a
}

/** The value at a high quantile of the non-zero pixels: the ramp's top, so one hot spot does not wash the rest out. */
export function robustMax(grid: Float32Array, quantile = 0.995): number {
  const values: number[] = []
  for (const v of grid) {
    if (v > 0)
      values.push(v)
  }
  if (values.length === 0)
    return 0
  values.sort((a, b) => a - b)
  return values[Math.min(values.length - 1, Math.floor(quantile * (values.length - 1)))]!
}

/** A lone hot cell may stand this far above the rest (× the 99th percentile) before it is clipped to the ramp's top. */
export const HEAT_OUTLIER_FACTOR = 3

/**
 * The ramp's top: the hottest pixel of the whole township — so that, zoomed into the busiest village,
 * its hot core and its warm surroundings stay apart instead of all reaching the top colour (a top at
 * the 99.5th percentile made a quarter of that village one red blob) — but at most
 * `HEAT_OUTLIER_FACTOR` × the 99th percentile, so that one freak cell does not wash the rest out.
 * The same for every view: the image covers the township and only its magnification changes.
 */
export function heatTop(grid: Float32Array): number {
  let max = 0
  for (const v of grid)
    max = Math.max(max, v)
  return Math.min(max, HEAT_OUTLIER_FACTOR * robustMax(grid, 0.99))
}

/**
 * Colours a grid into RGBA bytes: value / top through the ramp, on a square-root scale (small
 * clusters stay visible). `levels` (optional) receives each pixel's place on the ramp (0–255).
 */
export function colourise(grid: Float32Array, top: number, ramp: Ramp, out = new Uint8ClampedArray(grid.length * 4), levels?: Uint8Array): Uint8ClampedArray {
  const table = rampTable(ramp, 256)
  const scale = top > 0 ? 1 / top : 0
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i]!
    const o = i * 4
    if (v <= 0) {
      out[o + 3] = 0
      continue
    }
    const t = Math.min(1, Math.sqrt(v * scale))
    const level = Math.round(t * 255)
    if (levels)
      levels[i] = level
    const k = level * 4
    out[o] = table[k]!
    out[o + 1] = table[k + 1]!
    out[o + 2] = table[k + 2]!
    out[o + 3] = table[k + 3]!
  }
  return out
}

export interface HeatImage {
  width: number
  height: number
  /** RGBA bytes, row 0 north. */
  pixels: Uint8ClampedArray
  /** Cases per cell at the ramp's top (for the legend: "≥ N"). */
  topCount: number
  total: number
  /** Each pixel's place on the ramp, 0 (none) to 255 (the top colour), row 0 north. */
  levels: Uint8Array
}

/** Bins → RGBA image over `extent`: the whole pipeline. */
export function renderHeat(bins: readonly HeatBin[], extent: Extent, cellDeg: number, ramp: Ramp, options: { maxSize?: number, blurCells?: number } = {}): HeatImage {
  const { width, height, pixelsPerCell } = rasterSize(extent, cellDeg, options.maxSize ?? 1024)
  const { grid } = binsToGrid(bins, extent, cellDeg, width, height)
  let total = 0
  for (const bin of bins)
    total += bin[2] > 0 ? bin[2] : 0
  const radius = Math.max(1, Math.round((options.blurCells ?? 1.5) * pixelsPerCell))
  const blurred = blur(grid, width, height, radius)
  const top = heatTop(blurred)
  // The ramp's top in cases per cell, so the legend can say what red means.
  const topCount = top * pixelsPerCell * pixelsPerCell
  const levels = new Uint8Array(width * height)
  return { width, height, pixels: colourise(blurred, top, ramp, undefined, levels), topCount, total, levels }
}

/**
 * How the pixels of a part of a heat image (`box`, in degrees) spread over the ramp: shares of the
 * drawn pixels in five equal bands (0: faint blue … 4: orange to red), and the share at the very
 * top (level ≥ 250, the saturated top colour). What a browser test reads, zoomed into a village.
 */
export function heatBands(image: Pick<HeatImage, 'width' | 'height' | 'levels'>, extent: Extent, box: Extent): { drawn: number, bands: number[], top: number } {
  const { width, height, levels } = image
  const x0 = Math.max(0, Math.floor((box.west - extent.west) / (extent.east - extent.west) * width))
  const x1 = Math.min(width, Math.ceil((box.east - extent.west) / (extent.east - extent.west) * width))
  const y0 = Math.max(0, Math.floor((extent.north - box.north) / (extent.north - extent.south) * height))
  const y1 = Math.min(height, Math.ceil((extent.north - box.south) / (extent.north - extent.south) * height))
  const counts = [0, 0, 0, 0, 0]
  let drawn = 0
  let top = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const level = levels[y * width + x]!
      if (level === 0)
        continue
      drawn++
      counts[Math.min(4, Math.floor(level / 256 * 5))]!++
      if (level >= 250)
        top++
    }
  }
  return { drawn, bands: counts.map(n => (drawn > 0 ? n / drawn : 0)), top: drawn > 0 ? top / drawn : 0 }
}

/** Where each heat window's count sits in a live cell ([lon, lat, today, 7 days, 30 days]). */
const WINDOW_COLUMN = { 'today': 2, '7d': 3, '30d': 4 } as const

/** The bins of one window from the live heat cells (all categories); cells without a case in it are left out. */
export function liveHeatBins(cells: Iterable<HeatCellUpdate>, window: HeatWindow): HeatBin[] {
  const column = WINDOW_COLUMN[window]
  const bins: HeatBin[] = []
  for (const cell of cells) {
    if (cell[column] > 0)
      bins.push([cell[0], cell[1], cell[column]])
  }
  return bins
}
