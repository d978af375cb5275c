/**
 * The soak's verdict, as plain functions: a least-squares line over each series after warm-up, judged
 * against stated bounds, and the check that the wall's day figures rolled over at local midnight.
 */

const DAY_MS = 86_400_000

/** One sample: simulated and real time, and every series' value (null when it could not be read). */
export interface Sample {
  sim: number
  real: number
  values: Record<string, number | null>
  /** The wall's 今日新增 (`overview.todayNew`) and the local day it was read in (simulated clock). */
  todayNew: number | null
  asOf: string | null
}

/** A growth bound: the fitted slope may not exceed `perDay` (unit per simulated day)... */
export interface Bound {
  series: string
  label: string
  unit: string
  perDay: number
  /**
   * ...unless the fitted change over the whole judged window stays within `floor` (the measurement's
   * own noise: a short run cannot tell a 2 MB wobble from a leak, so it judges only what clears it).
   */
  floor: number
}

/** The bounds every soak is judged by (README "Soak"). */
export const BOUNDS: readonly Bound[] = [
  { series: 'browserHeapMB', label: 'Browser JS heap after GC', unit: 'MB', perDay: 10, floor: 3 },
  { series: 'browserNodes', label: 'Browser DOM nodes (live + detached)', unit: 'nodes', perDay: 500, floor: 300 },
  { series: 'documentElements', label: 'Elements in the document', unit: 'elements', perDay: 200, floor: 100 },
  { series: 'listeners', label: 'JS event listeners', unit: 'listeners', perDay: 100, floor: 50 },
  { series: 'webglContexts', label: 'Live WebGL contexts', unit: 'contexts', perDay: 0, floor: 0.5 },
  { series: 'serverRssMB', label: 'Server RSS', unit: 'MB', perDay: 64, floor: 24 },
  { series: 'serverHeapMB', label: 'Server JS heap used', unit: 'MB', perDay: 24, floor: 12 },
  { series: 'serverHandles', label: 'Server active handles', unit: 'handles', perDay: 4, floor: 3 },
  { series: 'serverFds', label: 'Server open file descriptors', unit: 'fds', perDay: 4, floor: 3 },
  { series: 'eventLoopP99Ms', label: 'Server event-loop delay p99', unit: 'ms', perDay: 50, floor: 50 },
]

export interface Fit {
  slope: number
  intercept: number
}

/** Least squares y = intercept + slope·x (slope 0 with fewer than two distinct x). */
export function fitLine(points: readonly { x: number, y: number }[]): Fit {
  const n = points.length
  if (n === 0)
    return { slope: 0, intercept: 0 }
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    sxx += (p.x - mx) ** 2
    sxy += (p.x - mx) * (p.y - my)
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  return { slope, intercept: my - slope * mx }
}

export interface SeriesVerdict {
  bound: Bound
  /** Samples judged (after warm-up, with a value). */
  samples: number
  first: number | null
  last: number | null
  min: number | null
  max: number | null
  /** Fitted slope per simulated day, and the fitted change over the judged window. */
  perDay: number
  change: number
  /** x of the fit: simulated ms since the end of warm-up. */
  fit: Fit
  pass: boolean
  reason: string
}

/** Judges one series over the samples after `warmupEnd` (simulated ms). */
export function judgeSeries(samples: readonly Sample[], bound: Bound, warmupEnd: number): SeriesVerdict {
  const points = samples.filter(s => s.sim >= warmupEnd && s.values[bound.series] != null).map(s => ({ x: s.sim - warmupEnd, y: s.values[bound.series]! }))
  const fit = fitLine(points)
  const window = points.length > 1 ? points.at(-1)!.x - points[0]!.x : 0
  const perDay = fit.slope * DAY_MS
  const change = fit.slope * window
  const ys = points.map(p => p.y)
  const base = { bound, samples: points.length, first: ys[0] ?? null, last: ys.at(-1) ?? null, min: ys.length ? Math.min(...ys) : null, max: ys.length ? Math.max(...ys) : null, perDay, change, fit }
  if (points.length < 3)
    return { ...base, pass: false, reason: `only ${points.length} samples after warm-up` }
  if (perDay > bound.perDay && change > bound.floor)
    return { ...base, pass: false, reason: `grows ${fmt(perDay)} ${bound.unit}/day (bound ${bound.perDay}), +${fmt(change)} ${bound.unit} over the run (noise floor ${bound.floor})` }
  return { ...base, pass: true, reason: perDay > bound.perDay ? `slope over the bound but within the noise floor (+${fmt(change)} ≤ ${bound.floor} ${bound.unit})` : 'within bound' }
}

export interface RolloverVerdict {
  midnight: number
  crossed: boolean
  before: { sim: number, todayNew: number } | null
  after: { sim: number, todayNew: number } | null
  pass: boolean
  reason: string
}

/**
 * The wall's 今日新增 rolled over at `midnight`: the last reading before it is higher than the first
 * reading `settleMs` (simulated) after it — the server's clock tick and the frame to the wall take a
 * moment of real time, which is minutes of simulated time at speed.
 */
export function judgeRollover(samples: readonly Sample[], midnight: number, settleMs: number): RolloverVerdict {
  const readings = samples.filter(s => s.todayNew !== null)
  const beforeSample = readings.filter(s => s.sim < midnight).at(-1)
  const afterSample = readings.find(s => s.sim >= midnight + settleMs)
  const before = beforeSample ? { sim: beforeSample.sim, todayNew: beforeSample.todayNew! } : null
  const after = afterSample ? { sim: afterSample.sim, todayNew: afterSample.todayNew! } : null
  const crossed = before !== null && after !== null
  if (!crossed)
    return { midnight, crossed, before, after, pass: false, reason: 'the run did not read the wall on both sides of local midnight' }
  if (after.todayNew < before.todayNew)
    return { midnight, crossed, before, after, pass: true, reason: `今日新增 ${before.todayNew} before midnight, ${after.todayNew} after` }
  return { midnight, crossed, before, after, pass: false, reason: `今日新增 did not drop back: ${before.todayNew} before midnight, ${after.todayNew} after` }
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)
}
export { fmt as formatNumber }
