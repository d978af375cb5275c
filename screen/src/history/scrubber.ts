/** The replay scrubber's geometry, as plain functions: the range it spans, where a moment sits, and its day marks. */

const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000

export interface ScrubberRange {
  /** The first hour's start (epoch ms). */
  from: number
  /** The end of the last hour (epoch ms). */
  to: number
}

/** From the retained history's first hour to the end of the current hour. */
export function scrubberRange(earliest: number, now: number): ScrubberRange {
  return { from: Math.floor(earliest / HOUR_MS) * HOUR_MS, to: Math.ceil((now + 1) / HOUR_MS) * HOUR_MS }
}

/** Where `ms` sits along the range, 0 to 1. */
export function fractionOf(ms: number, range: ScrubberRange): number {
  return Math.min(1, Math.max(0, (ms - range.from) / (range.to - range.from)))
}

/** The moment at a fraction of the range, to the minute, never after `now`. */
export function momentAt(fraction: number, range: ScrubberRange, now: number): number {
  const ms = range.from + Math.min(1, Math.max(0, fraction)) * (range.to - range.from)
  return Math.min(Math.round(ms / MINUTE_MS) * MINUTE_MS, now)
}

/** The local midnights inside the range (in `timeZone`), each with its month/day label; `labelled` every `every` days back from the last. */
export function dayMarks(range: ScrubberRange, timeZone: string, every = 5): { ms: number, label: string, labelled: boolean }[] {
  const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
  const dayOf = new Intl.DateTimeFormat('en-GB', { timeZone, month: 'numeric', day: 'numeric' })
  const marks: { ms: number, label: string }[] = []
  for (let ms = range.from; ms < range.to; ms += HOUR_MS) {
    if (Number(hourOf.format(ms)) === 0) {
      const [day, month] = dayOf.format(ms).split('/')
      marks.push({ ms, label: `${Number(month)}/${Number(day)}` })
    }
  }
  return marks.map((mark, i) => ({ ...mark, labelled: (marks.length - 1 - i) % every === 0 }))
}
