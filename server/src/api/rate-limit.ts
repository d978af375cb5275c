/**
 * A sliding-window rate limit kept in memory, per key (an address, an account): at most `limit`
 * events in `windowMs`. Old keys are forgotten as they expire, so memory stays bounded by the
 * number of clients active within one window.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>()

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts an event; false when the key is over its limit (the event is then not counted). */
  take(key: string): boolean {
    const now = this.now()
    const recent = (this.hits.get(key) ?? []).filter(t => t > now - this.windowMs)
    if (recent.length >= this.limit) {
      this.hits.set(key, recent)
      return false
    }
    recent.push(now)
    this.hits.set(key, recent)
    if (this.hits.size > 10_000)
      this.sweep(now)
    return true
  }

  /** Seconds until the key may act again. */
  retryAfterSeconds(key: string): number {
    const oldest = this.hits.get(key)?.[0]
    return oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000))
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (times.every(t => t <= now - this.windowMs))
        this.hits.delete(key)
    }
  }
}
