import type { GridSpecialPopulation } from '#wire'
import { SPECIAL_KINDS } from '#wire'
import { niceBreaks } from '../colour.ts'

/**
 * Special populations (重点人群) on the map: pure logic for the grids' choropleth, the legend and the
 * grid card. Counts only, as the server sends them: a count above 0 but below the threshold arrives as
 * null and is shown "<3", coloured as the lowest class, whose upper edge is the threshold.
 */

/** The eight kinds, in the 珙县 platform's order (labels: the map's messages, `special.kinds`). */
export { SPECIAL_KINDS }

/** The grids coloured by special population: every kind together, or one (`special:<kind>`). */
export type SpecialMetric = 'special' | `special:${string}`

/** Counts by kind (null: above 0, below the threshold). */
export type SpecialCounts = Record<string, number | null>

/** The kind a metric colours by: null for all kinds, undefined when the metric is not special population. */
export function specialKindOf(metric: string): string | null | undefined {
  if (metric === 'special')
    return null
  return metric.startsWith('special:') ? metric.slice('special:'.length) : undefined
}

/** Each grid's counts by kind, from the rankings topic's compact rows (a grid left out counts 0). */
export function countsByGrid(special: GridSpecialPopulation | null | undefined): Map<number, SpecialCounts> {
  const out = new Map<number, SpecialCounts>()
  if (!special)
    return out
  for (const [id, row] of Object.entries(special.grids))
    out.set(Number(id), Object.fromEntries(special.kinds.map((kind, i) => [kind, row[i] === undefined ? 0 : row[i]])))
  return out
}

/**
 * A grid's value for one kind or all: a suppressed count counts 1 (at least one person; it falls in
 * the lowest class, below the threshold, either way), a kind without a count 0.
 */
export function specialValue(counts: SpecialCounts | undefined, kind: string | null): number {
  if (!counts)
    return 0
  const one = (n: number | null | undefined): number => (n === null ? 1 : n ?? 0)
  if (kind !== null)
    return one(counts[kind])
  let sum = 0
  for (const n of Object.values(counts))
    sum += one(n)
  return sum
}

/**
 * Class breaks for special-population counts: the lowest class is everything below the threshold
 * (0 and "<3"), then `classes − 1` equal steps from the threshold that cover `max`.
 * E.g. threshold 3, max 17 → [0, 3, 7, 11, 15, 19]; max 60 → [0, 3, 18, 33, 48, 63].
 */
export function specialBreaks(max: number, minCount: number, classes = 5): number[] {
  const min = Math.max(1, minCount)
  const raw = Math.max(0, max - min) / (classes - 1)
  // Whole steps up to 10, then multiples of 5 up to 50 (so that the top class is used: 14 → 15, not 20), then nice ones.
  const step = raw <= 10 ? Math.max(1, Math.ceil(raw)) : raw <= 50 ? Math.ceil(raw / 5) * 5 : niceBreaks(raw * classes, classes)[1]!
  return [0, ...Array.from({ length: classes }, (_, i) => min + i * step)]
}

/** The kinds to list: the eight in their order, then any other the data holds (shown by its code). */
export function kindsToShow(...present: Iterable<string>[]): string[] {
  const known = new Set<string>(SPECIAL_KINDS)
  const others = new Set<string>()
  for (const kinds of present) {
    for (const kind of kinds) {
      if (!known.has(kind))
        others.add(kind)
    }
  }
  return [...SPECIAL_KINDS, ...[...others].sort()]
}

/** A count as shown: "<3" when suppressed, grouped digits otherwise. */
export function formatSpecialCount(count: number | null | undefined, minCount: number, locale: string): string {
  if (count === null)
    return `<${minCount}`
  return (count ?? 0).toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN')
}
