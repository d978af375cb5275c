/** Splits `total` into integers proportional to `weights` (largest remainder), summing exactly to `total`. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0 || weights.length === 0)
    return weights.map(() => 0)
  const exact = weights.map(w => (total * w) / sum)
  const result = exact.map(Math.floor)
  let left = total - result.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) {
    if (left <= 0)
      break
    result[i]! += 1
    left--
  }
  return result
}

/** `x` bounded to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}
