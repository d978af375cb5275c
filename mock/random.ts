/**
 * A small, fast, deterministic pseudo-random generator (sfc32 seeded through splitmix32), so that the
 * same `--seed` always yields the same township. Never use `Math.random()` in `mock/`.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next: () => number
  /** Uniform in [min, max). */
  range: (min: number, max: number) => number
  /** Integer in [min, max] (both inclusive). */
  int: (min: number, max: number) => number
  /** true with probability p. */
  chance: (p: number) => boolean
  /** One element, uniformly. */
  pick: <T>(items: readonly T[]) => T
  /** One element, by weight (weights need not sum to 1). */
  weighted: <T>(items: readonly T[], weights: readonly number[]) => T
  /** Standard normal deviate (Box–Muller). */
  normal: (mean?: number, sd?: number) => number
  /** Exponential deviate with the given mean. */
  exponential: (mean: number) => number
  /** Poisson deviate (Knuth for small means, normal approximation above 50). */
  poisson: (mean: number) => number
  /** A new independent stream derived from this one and a label (stable across code changes elsewhere). */
  fork: (label: string) => Random
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x9E3779B9) >>> 0
    let t = a ^ (a >>> 16)
    t = Math.imul(t, 0x21F0AAAD)
    t ^= t >>> 15
    t = Math.imul(t, 0x735A2D97)
    return (t ^ (t >>> 15)) >>> 0
  }
}

function hashLabel(label: string): number {
  let h = 0x811C9DC5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Creates a generator from an integer seed. */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()

  const random: Random = {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: p => next() < p,
    pick: items => items[Math.floor(next() * items.length)]!,
    weighted: (items, weights) => {
      let total = 0
      for (const w of weights) total += w
      let r = next() * total
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!
        if (r < 0)
          return items[i]!
      }
      return items[items.length - 1]!
    },
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next()
      const v = next()
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    exponential: mean => -Math.log(1 - next()) * mean,
    poisson: (mean) => {
      if (mean <= 0)
        return 0
      if (mean > 50)
        return Math.max(0, Math.round(random.normal(mean, Math.sqrt(mean))))
      const limit = Math.exp(-mean)
      let k = 0
      let p = 1
      do {
        k++
        p *= next()
      } while (p > limit)
      return k - 1
    },
    fork: label => createRandom((hashLabel(label) ^ Math.floor(next() * 4294967296)) >>> 0),
  }
  return random
}

/**
 * A generator fixed by integer keys (e.g. a case id and a purpose): the same keys always give the same
 * stream, so a decision made about a row is the same whenever it is made again, with no state kept.
 */
export function keyedRandom(...keys: number[]): Random {
  let h = 0x5BD1E995
  for (const key of keys) {
    h = (Math.imul(h ^ (key >>> 0), 0x9E3779B1) ^ Math.imul((key / 4294967296) >>> 0, 0x85EBCA6B)) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x7FEB352D) >>> 0
    h = Math.imul(h ^ (h >>> 15), 0x846CA68B) >>> 0
  }
  return createRandom((h ^ (h >>> 16)) >>> 0)
}

/** Running sums of `weights`, for {@link pickCumulative}. */
export function cumulative(weights: readonly number[]): number[] {
  let acc = 0
  return weights.map((w) => {
    acc += w
    return acc
  })
}

/** An index drawn in proportion to the weights whose running sums are `cum` (binary search: O(log n)). */
export function pickCumulative(rng: Random, cum: readonly number[]): number {
  const target = rng.next() * cum[cum.length - 1]!
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid]! <= target)
      lo = mid + 1
    else hi = mid
  }
  return lo
}
