import type { HeatWindow, HistorySnapshot } from '#wire'
import { answer, apiClient } from '../api/rpc.ts'

/** Replay speeds offered (0: a still picture): real time, 10 s, a minute and ten minutes a second. */
export const REPLAY_SPEEDS = [0, 1, 10, 60, 600] as const
export type ReplaySpeed = typeof REPLAY_SPEEDS[number]

/** The server is asked at most once a second, whatever the speed (a 600× replay moves 10 min a step). */
export const REPLAY_STEP_MS = 1000

/** `?at=` of a page address: the moment to show (as typed: the server reads it, in the township's zone). */
export function requestedAt(search: string): string | null {
  const at = new URLSearchParams(search).get('at')
  return at && at.trim() ? at.trim() : null
}

/** `?speed=` of a page address, one of the replay speeds (0, paused, when absent or unknown). */
export function requestedSpeed(search: string): ReplaySpeed {
  const speed = Number(new URLSearchParams(search).get('speed'))
  return (REPLAY_SPEEDS as readonly number[]).includes(speed) ? speed as ReplaySpeed : 0
}

/** The next speed up (`step` 1) or down (−1) from `speed` among the replay speeds (0, paused, is not one of them). */
export function nextSpeed(speed: number, step: 1 | -1): number {
  const speeds = REPLAY_SPEEDS.filter(s => s > 0)
  const index = speeds.findIndex(s => s >= speed)
  const at = index < 0 ? speeds.length - 1 : index
  return speeds[Math.max(0, Math.min(speeds.length - 1, speed <= 0 ? 0 : at + step))]!
}

/** The moment shown `elapsedMs` after a replay began at `start`, never past `now`. */
export function replayMoment(start: number, speed: number, elapsedMs: number, now: number): number {
  return Math.min(start + speed * elapsedMs, now)
}

export interface HistoryPlayerOptions {
  /** Server origin ('' for the page's own). */
  url: string
  onSnapshot: (snapshot: HistorySnapshot) => void
  onError: (message: string) => void
  /** The map's heat filter, asked for with each moment (one category's heat as of it), or null. */
  heatFilter?: () => { window: HeatWindow, category: number } | null
}

/**
 * Shows the wall as of a past moment: fetches the server's snapshot as of T, and while replaying asks
 * again each second at the T the replay has reached (one request in flight at a time). The server
 * computes every figure from the case history, so the live state is never touched.
 */
export class HistoryPlayer {
  private readonly api: ReturnType<typeof apiClient>
  private timer: ReturnType<typeof setTimeout> | undefined
  private anchor: { at: number, wall: number } | null = null
  private speed = 0
  private run = 0
  /** The moment of the last snapshot shown (what the wall shows now). */
  private shown = Number.NaN

  constructor(private readonly options: HistoryPlayerOptions) {
    this.api = apiClient(options.url)
  }

  /** Shows `at` (ISO text; without an offset it is the township's wall clock), then replays at `speed`. */
  start(at: string, speed: number): void {
    this.stop()
    const run = ++this.run
    this.speed = speed
    void this.step(run, at)
  }

  /** Changes the speed from the moment shown now on (0 pauses on it). */
  setSpeed(speed: number): void {
    // The first moment still loading: it goes on at the new speed once shown.
    if (!this.anchor) {
      this.speed = speed
      return
    }
    // Paused on the moment the wall shows (the clock may have run up to a step ahead of it).
    this.anchor = { at: speed === 0 && Number.isFinite(this.shown) ? this.shown : this.current(), wall: Date.now() }
    this.speed = speed
    // A step in flight belongs to the old speed: dropped, so one chain of steps runs, from the anchor.
    const run = ++this.run
    clearTimeout(this.timer)
    this.timer = undefined
    if (speed > 0)
      this.schedule(run, 0)
  }

  /** The moment the replay has reached. */
  current(): number {
    if (!this.anchor)
      return Number.NaN
    return replayMoment(this.anchor.at, this.speed, Date.now() - this.anchor.wall, Date.now())
  }

  private async step(run: number, at: string): Promise<void> {
    const started = Date.now()
    try {
      const filter = this.options.heatFilter?.() ?? null
      const heat = filter ? { heatWindow: filter.window, heatCategory: String(filter.category) } : {}
      const snapshot = await answer(this.api.history.snapshot.$get({ query: { at, ...heat } }))
      if (run !== this.run)
        return
      this.anchor ??= { at: Date.parse(snapshot.at), wall: started }
      this.shown = Date.parse(snapshot.at)
      this.options.onSnapshot(snapshot)
    }
    catch (error) {
      if (run !== this.run)
        return
      this.options.onError(error instanceof Error ? error.message : String(error))
      if (!this.anchor)
        return // a moment refused (in the future, before the history): nothing to replay from
    }
    if (this.speed > 0)
      this.schedule(run, Math.max(0, REPLAY_STEP_MS - (Date.now() - started)))
  }

  private schedule(run: number, delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (run === this.run)
        void this.step(run, new Date(this.current()).toISOString())
    }, delay)
  }

  stop(): void {
    this.run++
    clearTimeout(this.timer)
    this.timer = undefined
    this.anchor = null
    this.shown = Number.NaN
  }
}
