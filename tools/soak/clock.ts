import { readFileSync } from 'node:fs'

/**
 * The soak's simulated clock: `simStart` at real time `realStart`, then `speed` simulated
 * milliseconds per real one. The soak process and the server it starts share one anchor (a file the
 * server re-reads on SIGUSR2), so both read the same simulated time.
 */
export interface ClockAnchor {
  simStart: number
  realStart: number
  speed: number
}

/** Simulated epoch ms at a real instant. */
export function simulatedAt(anchor: ClockAnchor, realMs: number): number {
  return Math.floor(anchor.simStart + (realMs - anchor.realStart) * anchor.speed)
}

/**
 * Replaces `globalThis.Date` by one whose `Date.now()` and `new Date()` read the simulated clock
 * (every other use of Date is untouched: parsing, arithmetic, `instanceof`). Timers, `performance.now()`
 * and the event-loop monitor stay real. `anchor()` is asked at each read, so the anchor may move.
 */
export function installSimulatedClock(anchor: () => ClockAnchor): void {
  const RealDate = Date
  const now = (): number => simulatedAt(anchor(), RealDate.now())
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  })
}

/** Reads an anchor written by the soak (JSON). */
export function readAnchor(file: string): ClockAnchor {
  const anchor = JSON.parse(readFileSync(file, 'utf8')) as ClockAnchor
  if (![anchor.simStart, anchor.realStart, anchor.speed].every(Number.isFinite))
    throw new Error(`soak clock: bad anchor in ${file}`)
  return anchor
}
