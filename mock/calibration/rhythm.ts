import type { CategoryNode } from '../../server/src/domain/categories.ts'
import { localParts } from '../../server/src/domain/calendar.ts'
import { leafCategories, seasonalFactor } from '../../server/src/domain/categories.ts'

/**
 * When things happen: the township's day, week and year, and which kinds of case each season and
 * festival brings. The generator spreads a year of cases by these; the simulator paces its activity by
 * the same day and picks categories by the same weights.
 */

/** Activity by local hour (relative): quiet at night, a morning peak (9–11), a lunch dip, an afternoon peak. */
export const HOURLY: readonly number[] = [0.15, 0.1, 0.08, 0.07, 0.08, 0.2, 0.6, 1.3, 2.6, 3.4, 3.5, 2.9, 1.6, 1.6, 2.9, 3.3, 3.1, 2.4, 1.5, 1.2, 1.0, 0.7, 0.4, 0.25]
/** The mean of {@link HOURLY}: an hour's weight divided by it is that hour's rate relative to the day's average. */
export const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24
/** Emergencies happen whenever they happen: half the daily rhythm, half flat. */
export const HOURLY_FLAT: readonly number[] = HOURLY.map(w => 0.5 * w + 0.5 * (HOURLY.reduce((a, b) => a + b, 0) / 24))
/** Sunday … Saturday: grid patrols and offices work weekdays. */
export const WEEKLY: readonly number[] = [0.72, 1.1, 1.1, 1.08, 1.08, 1.05, 0.82]

const FESTIVAL_DISPUTES = ['dispute.family', 'dispute.labour', 'dispute.debt', 'public_order.gambling']

/** Volume of a month's cases relative to the average month (the categories' seasons summed). */
export function monthVolume(month: number): number {
  const leaves = leafCategories()
  return leaves.reduce((a, c) => a + c.weight * seasonalFactor(c.season, month), 0) / leaves.map(c => c.weight).reduce((a, b) => a + b, 0)
}

/**
 * Relative volume of cases on a local day, given its noon: the weekday, the month, and the holidays —
 * offices and patrols slow down over the 7-day Spring Festival holiday, Labour Day and the Golden
 * Week, and speed up in the weeks before the festival. `volume` is {@link monthVolume}, cached by the caller.
 */
export function dayVolume(noon: Date, daysFromFestival: number, volume: (month: number) => number = monthVolume): number {
  const p = localParts(noon)
  let weight = WEEKLY[p.weekday]! * volume(p.month)
  if (daysFromFestival >= 0 && daysFromFestival <= 6)
    weight *= 0.6
  else if (daysFromFestival >= -20 && daysFromFestival < 0)
    weight *= 1.1
  if (p.month === 10 && p.day <= 7)
    weight *= 0.75
  if (p.month === 5 && p.day <= 5)
    weight *= 0.8
  return weight
}

/**
 * How likely a leaf category is on a day of `month`, `daysFromFestival` days from the Spring Festival:
 * its weight and season, plus fireworks from 除夕 to 元宵, and returning migrants' disputes, wage
 * arrears and gambling around the festival.
 */
export function categoryWeight(category: CategoryNode, month: number, daysFromFestival: number): number {
  let w = category.weight * seasonalFactor(category.season, month)
  if ((category.code === 'safety.fire' || category.code === 'emergency.fire') && daysFromFestival >= -3 && daysFromFestival <= 15)
    w *= 2.5
  if (FESTIVAL_DISPUTES.includes(category.code) && daysFromFestival >= -20 && daysFromFestival <= 10)
    w *= 1.6
  return w
}

/**
 * Everyday activity a day besides new cases (the year's cases spread over its days) and each case's
 * and alarm's own life: what the live simulator writes, in proportion.
 */
export const DAILY_ACTIVITY = {
  /** Check-ins a day per grid worker: the start of the patrol, a few stops, the end. */
  checkinsPerWorker: 6,
  /** Status changes a day per camera (dropping off, coming back, raising and clearing an alarm). */
  cameraChangesPerCamera: 0.11,
} as const
