import type { Bound, Sample } from '../../tools/soak/analyse.ts'
import { describe, expect, it } from 'vitest'
import { BOUNDS, fitLine, judgeRollover, judgeSeries } from '../../tools/soak/analyse.ts'
import { simulatedAt } from '../../tools/soak/clock.ts'

const HOUR = 3_600_000
const heap = BOUNDS.find(b => b.series === 'browserHeapMB')!

/** Samples every 10 simulated minutes over `hours`, the series given by `value(hoursFromStart)`. */
function run(hours: number, series: string, value: (h: number) => number, todayNew: (h: number) => number | null = () => null): Sample[] {
  return Array.from({ length: hours * 6 + 1 }, (_, i) => ({ sim: i * HOUR / 6, real: i * 1000, values: { [series]: value(i / 6) }, todayNew: todayNew(i / 6), asOf: null }))
}

describe('the soak verdict', () => {
  it('fits a line by least squares', () => {
    const fit = fitLine([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])
    expect(fit.slope).toBeCloseTo(2)
    expect(fit.intercept).toBeCloseTo(1)
  })

  it('fails a heap that grows 1 MB an hour after warm-up, and names the series', () => {
    const verdict = judgeSeries(run(12, 'browserHeapMB', h => 40 + h), heap, 3 * HOUR)
    expect(verdict.pass).toBe(false)
    expect(verdict.perDay).toBeCloseTo(24)
    expect(verdict.reason).toMatch(/grows 24.0 MB\/day \(bound 10\)/)
  })

  it('passes a heap that only grows during warm-up, then stays flat with noise', () => {
    const verdict = judgeSeries(run(12, 'browserHeapMB', h => (h < 3 ? 30 + 3 * h : 40 + (Math.round(h * 6) % 3 === 0 ? 0.8 : -0.4))), heap, 3 * HOUR)
    expect(verdict.pass).toBe(true)
  })

  it('does not call a short run\'s wobble a leak when it stays within the noise floor', () => {
    const verdict = judgeSeries(run(2, 'browserHeapMB', h => 40 + h), heap, 0.5 * HOUR)
    // 24 MB/day over 1.5 h is +1.5 MB: under the 3 MB floor.
    expect(verdict.perDay).toBeGreaterThan(heap.perDay)
    expect(verdict.pass).toBe(true)
  })

  it('fails one WebGL context more after warm-up', () => {
    const webgl: Bound = BOUNDS.find(b => b.series === 'webglContexts')!
    expect(judgeSeries(run(6, 'webglContexts', h => (h < 4 ? 1 : 2)), webgl, HOUR).pass).toBe(false)
    expect(judgeSeries(run(6, 'webglContexts', () => 1), webgl, HOUR).pass).toBe(true)
  })

  it('needs 今日新增 to drop back after local midnight', () => {
    const midnight = 4 * HOUR
    const rolled = judgeRollover(run(8, 'x', () => 0, h => (h < 4 ? 30 + Math.floor(h) : Math.floor(h - 4))), midnight, 10 * 60_000)
    expect(rolled).toMatchObject({ crossed: true, pass: true, before: { todayNew: 33 } })
    const stuck = judgeRollover(run(8, 'x', () => 0, h => 30 + Math.floor(h)), midnight, 10 * 60_000)
    expect(stuck.pass).toBe(false)
    expect(judgeRollover(run(3, 'x', () => 0, () => 5), midnight, 0)).toMatchObject({ crossed: false, pass: false })
  })

  it('runs the simulated clock at speed from its anchor', () => {
    expect(simulatedAt({ simStart: 1000, realStart: 500, speed: 60 }, 1500)).toBe(61_000)
  })
})
