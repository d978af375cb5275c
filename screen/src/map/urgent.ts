import type { CasePoint } from '#wire'

/** Urgent cases stay on the map this long after arriving, even once they have left the feed. */
export const URGENT_KEEP_MS = 30 * 60_000

/**
 * The urgent cases the map has seen, by id, with when each first arrived: they keep pulsing and
 * stay drawn for `URGENT_KEEP_MS`, though the feed of latest cases moves on.
 */
export class UrgentMemory {
  private readonly seen = new Map<number, { incident: CasePoint, at: number }>()

  constructor(private readonly keepMs = URGENT_KEEP_MS) {}

  /** Remembers urgent cases and forgets those older than the keeping time; returns the ids new to it (to pulse). */
  add(urgent: Iterable<CasePoint>, now: number): number[] {
    const fresh: number[] = []
    for (const incident of urgent) {
      const seen = this.seen.get(incident.id)
      if (!seen)
        fresh.push(incident.id)
      this.seen.set(incident.id, { incident, at: seen?.at ?? now })
    }
    for (const [id, seen] of this.seen) {
      if (now - seen.at > this.keepMs)
        this.seen.delete(id)
    }
    return fresh
  }

  /** The cases to draw: the remembered urgent ones and the feed's (the feed's record wins). */
  withFeed(feed: Iterable<CasePoint>): CasePoint[] {
    const byId = new Map<number, CasePoint>([...this.seen].map(([id, seen]) => [id, seen.incident]))
    for (const incident of feed)
      byId.set(incident.id, incident)
    return [...byId.values()]
  }
}
