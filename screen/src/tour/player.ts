import type { TourPanel } from '#wire'

/** The step after `index`: the next, or in a loop the first after the last; null past the end. */
export function stepAfter(index: number, count: number, loop: boolean): number | null {
  if (index + 1 < count)
    return index + 1
  return loop && count > 0 ? 0 : null
}

/** The step before `index`: the previous, or in a loop the last before the first; the first stays. */
export function stepBefore(index: number, count: number, loop: boolean): number {
  if (index > 0)
    return index - 1
  return loop ? Math.max(0, count - 1) : 0
}

/** What a key does in a tour (a presenter's clicker sends PageDown/PageUp, `.` or `b`; a remote, arrows). */
export type TourKeyAction = 'next' | 'previous' | 'pause' | 'exit'

export function tourKeyAction(key: string): TourKeyAction | null {
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next'
    case 'PageUp':
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'previous'
    case ' ':
    case '.':
    case 'b':
    case 'B':
    case 'MediaPlayPause':
      return 'pause'
    case 'Escape':
      return 'exit'
    default:
      return null
  }
}

/** The element on the wall a panel id stands for (the panels' `data-panel`, the map, the ticker). */
export function panelSelector(panel: TourPanel): string {
  if (panel === 'map')
    return '[data-testid="map"]'
  if (panel === 'ticker')
    return '[data-testid="ticker"]'
  return `[data-panel="${panel}"]`
}

/**
 * A step's clock: runs, pauses and resumes, keeping what is left of the step. Times in ms from a
 * clock the caller passes (`Date.now()` on the wall, anything in tests).
 */
export class StepClock {
  private endsAt = 0
  private left = 0
  running = false

  start(ms: number, now: number): void {
    this.left = ms
    this.endsAt = now + ms
    this.running = true
  }

  pause(now: number): void {
    if (!this.running)
      return
    this.left = Math.max(0, this.endsAt - now)
    this.running = false
  }

  resume(now: number): void {
    if (this.running)
      return
    this.endsAt = now + this.left
    this.running = true
  }

  /** Milliseconds left of the step. */
  remaining(now: number): number {
    return this.running ? Math.max(0, this.endsAt - now) : this.left
  }

  /** The step's time is up (and the clock runs). */
  due(now: number): boolean {
    return this.running && now >= this.endsAt
  }
}
