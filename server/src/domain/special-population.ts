/**
 * The eight kinds of special population (重点人群) a grid registers, as the 珙县 platform shows them.
 * Counts only, never persons; small counts are suppressed in every payload (see `suppressCount`), so a
 * count cannot single out a household in a small grid. The contract's `kind` is extensible: a kind not
 * listed here is shown by its code.
 */
import { SPECIAL_KINDS } from '../wire/index.ts'

export { SPECIAL_KINDS }

export type SpecialKind = typeof SPECIAL_KINDS[number]

export const SPECIAL_KIND_LABELS: Readonly<Record<SpecialKind, { zh: string, en: string }>> = {
  community_correction: { zh: '社区矫正', en: 'Community correction' },
  drug_rehabilitation: { zh: '戒毒康复', en: 'Drug rehabilitation' },
  severe_mental_disorder: { zh: '严重精神障碍', en: 'Severe mental disorder' },
  released_prisoner: { zh: '刑满释放', en: 'Released prisoners' },
  key_petitioner: { zh: '重点信访', en: 'Key petitioners' },
  elderly_alone: { zh: '独居老人', en: 'Elderly living alone' },
  left_behind_child: { zh: '留守儿童', en: 'Left-behind children' },
  disabled: { zh: '残疾人', en: 'People with disabilities' },
}

/** The default threshold: counts of 1 and 2 are shown as "<3". */
export const DEFAULT_SPECIAL_MIN_COUNT = 3

/**
 * A count as it may leave the server: itself when 0 or at least `min`, else null (shown "<min" and
 * coloured as the lowest class) — 0 names no one, 1 or 2 in a small grid may.
 */
export function suppressCount(count: number, min: number): number | null {
  return count === 0 || count >= min ? count : null
}

/**
 * Whether a kind's exact township total would give away its suppressed grids' counts. Each grid shown
 * "<min" is known to hold 1 to min − 1 (0 is shown as 0), so a total that leaves one suppressed grid
 * the whole remainder, or leaves several only their lowest possible sum (every one 1) or their highest
 * (every one min − 1), pins each of them: four grids shown "<3" and a total of 4 say one person in each. `hiddenSum`: the total minus the counts
 * shown; `hiddenGrids`: the grids shown "<min"; `unbounded`: some of the total lies outside the grids
 * shown (a retired grid's rows), which could hold any number — then only the lowest sum pins them.
 */
export function totalGivesAwayGrids(hiddenSum: number, hiddenGrids: number, min: number, unbounded = false): boolean {
  if (hiddenGrids === 0)
    return false
  return hiddenSum === hiddenGrids || (!unbounded && (hiddenGrids === 1 || hiddenSum === hiddenGrids * (min - 1)))
}
