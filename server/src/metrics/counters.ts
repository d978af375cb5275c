/** Small counting structures the metrics engine is built from: every update is O(1). */

/** A map of counts that forgets keys whose count returns to zero (so equal states compare equal). */
export class Counter<K> {
  readonly map = new Map<K, number>()

  add(key: K, delta: number): void {
    const next = (this.map.get(key) ?? 0) + delta
    if (next === 0)
      this.map.delete(key)
    else
      this.map.set(key, next)
  }

  get(key: K): number {
    return this.map.get(key) ?? 0
  }

  /** Sum over all keys (O(keys)). */
  total(): number {
    let sum = 0
    for (const value of this.map.values())
      sum += value
    return sum
  }
}

/** Counters per day (local day number): `byDay.get(day)` is a Counter of keys. */
export class DailyCounter<K> implements Prunable {
  readonly days = new Map<number, Counter<K>>()

  add(day: number, key: K, delta: number): void {
    let counter = this.days.get(day)
    if (!counter) {
      counter = new Counter<K>()
      this.days.set(day, counter)
    }
    counter.add(key, delta)
    if (counter.map.size === 0)
      this.days.delete(day)
  }

  get(day: number, key: K): number {
    return this.days.get(day)?.get(key) ?? 0
  }

  /** Sum of each key over days `from … to` (inclusive). */
  sum(from: number, to: number): Map<K, number> {
    const out = new Map<K, number>()
    for (const [day, counter] of this.days) {
      if (day < from || day > to)
        continue
      for (const [key, value] of counter.map)
        out.set(key, (out.get(key) ?? 0) + value)
    }
    return out
  }

  /** Drops days before `day` (their contributions are no longer needed by any window). */
  prune(day: number): void {
    for (const d of this.days.keys()) {
      if (d < day)
        this.days.delete(d)
    }
  }
}

/** Something holding per-day contributions that a new day must prune (see `DailyCounters`). */
export interface Prunable {
  /** Drops days before `day`. */
  prune: (day: number) => void
}

/**
 * Daily counters keyed by an id (e.g. heat cells per category): created on first use, pruned as one,
 * and forgotten when their last day is dropped.
 */
export class KeyedDailyCounters<Id, K> implements Prunable {
  readonly counters = new Map<Id, DailyCounter<K>>()

  /** The counter of `id`, created when missing. */
  of(id: Id): DailyCounter<K> {
    let counter = this.counters.get(id)
    if (!counter) {
      counter = new DailyCounter<K>()
      this.counters.set(id, counter)
    }
    return counter
  }

  prune(day: number): void {
    for (const [id, counter] of this.counters) {
      counter.prune(day)
      if (counter.days.size === 0)
        this.counters.delete(id)
    }
  }
}

/**
 * The registry of everything that keeps days: a counter made through it is pruned at every new day,
 * so a new window cannot be forgotten by the midnight roll-over.
 */
export class DailyCounters {
  private readonly all: Prunable[] = []

  /** A new daily counter, registered for pruning. */
  counter<K>(): DailyCounter<K> {
    return this.register(new DailyCounter<K>())
  }

  /** New keyed daily counters, registered for pruning. */
  keyed<Id, K>(): KeyedDailyCounters<Id, K> {
    return this.register(new KeyedDailyCounters<Id, K>())
  }

  /** Drops days before `day` everywhere. */
  prune(day: number): void {
    for (const counter of this.all)
      counter.prune(day)
  }

  private register<T extends Prunable>(counter: T): T {
    this.all.push(counter)
    return counter
  }
}

/**
 * Upper edges (minutes) of the response-time histogram bins: fine where most cases fall (under a day),
 * coarse beyond. The median is read off the histogram with linear interpolation inside its bin.
 */
export const RESPONSE_BIN_EDGES = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1200, 1440, 2160, 2880, 4320, 7200, 10080, 20160, 43200] as const

/** The histogram bin of a duration in minutes. */
export function responseBin(minutes: number): number {
  for (let i = 0; i < RESPONSE_BIN_EDGES.length; i++) {
    if (minutes < RESPONSE_BIN_EDGES[i]!)
      return i
  }
  return RESPONSE_BIN_EDGES.length
}

/** Median (minutes) of a histogram of counts per bin; null when empty. */
export function histogramMedian(bins: ArrayLike<number>): number | null {
  let total = 0
  for (let i = 0; i < bins.length; i++)
    total += bins[i]!
  if (total === 0)
    return null
  const half = total / 2
  let seen = 0
  for (let i = 0; i < bins.length; i++) {
    const count = bins[i]!
    if (seen + count >= half && count > 0) {
      const lower = i === 0 ? 0 : RESPONSE_BIN_EDGES[i - 1]!
      const upper = RESPONSE_BIN_EDGES[i] ?? lower * 2
      return lower + (upper - lower) * ((half - seen) / count)
    }
    seen += count
  }
  return null
}

/** A binary min-heap of (time, id) pairs: the next SLA deadline to fire. Stale entries are skipped by the caller. */
export class DeadlineHeap {
  private readonly times: number[] = []
  private readonly ids: number[] = []

  get size(): number {
    return this.times.length
  }

  peekTime(): number | undefined {
    return this.times[0]
  }

  push(time: number, id: number): void {
    const times = this.times
    const ids = this.ids
    let i = times.length
    times.push(time)
    ids.push(id)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (times[parent]! <= time)
        break
      times[i] = times[parent]!
      ids[i] = ids[parent]!
      i = parent
    }
    times[i] = time
    ids[i] = id
  }

  pop(): { time: number, id: number } | undefined {
    const times = this.times
    const ids = this.ids
    if (times.length === 0)
      return undefined
    const top = { time: times[0]!, id: ids[0]! }
    const lastTime = times.pop()!
    const lastId = ids.pop()!
    if (times.length > 0) {
      let i = 0
      const n = times.length
      for (;;) {
        const left = 2 * i + 1
        const right = left + 1
        let smallest = i
        let smallestTime = lastTime
        if (left < n && times[left]! < smallestTime) {
          smallest = left
          smallestTime = times[left]!
        }
        if (right < n && times[right]! < smallestTime)
          smallest = right
        if (smallest === i)
          break
        times[i] = times[smallest]!
        ids[i] = ids[smallest]!
        i = smallest
      }
      times[i] = lastTime
      ids[i] = lastId
    }
    return top
  }
}
