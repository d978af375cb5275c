/** Easing for figures that move to a new value: fast at first, settling gently (no overshoot). */
export function easeOutCubic(t: number): number {
  const clamped = Math.min(1, Math.max(0, t))
  return 1 - (1 - clamped) ** 3
}

/** The value shown `elapsed` ms into a tween of `duration` ms from `from` to `to`. */
export function tweenAt(from: number, to: number, elapsed: number, duration: number): number {
  if (duration <= 0 || elapsed >= duration)
    return to
  return from + (to - from) * easeOutCubic(elapsed / duration)
}

/** Tween duration for a change: none for the first value or no change, else a calm fixed length. */
export function tweenDuration(from: number | null, to: number, reducedMotion: boolean, base = 900): number {
  if (reducedMotion || from === null || from === to || !Number.isFinite(from))
    return 0
  return base
}
