import type { ActorRole, CaseStatus } from '../../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { Random } from '../random.ts'
import type { CaseSource, Rating, ResolvedLevel } from '../rows.ts'
import { localParts, startOfLocalDay } from '../../server/src/domain/calendar.ts'
import { SLA_TIERS } from '../../server/src/domain/sla.ts'
import { CALIBRATION } from './figures.ts'
import { REPORTER } from './reports.ts'

/**
 * A case's life: when it is accepted, dispatched, handled, fed back and closed (or cancelled), by whom,
 * where it is settled, whether it runs overdue, and how its reporter rates it. The generator lays out
 * a year of cases by {@link planLifecycle}; the simulator moves each live case along the same plan,
 * drawn from the case's own keyed stream, so history and live cases keep the same pace and rates.
 */

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** The note of a case returned for rework after the feedback check. */
export const REWORK_NOTE = '核查不通过，退回重办'

/** One status change of a planned life. */
export interface Step { from: CaseStatus | null, to: CaseStatus, at: number, actor: ActorRole }

/** A case's whole planned life, from its report on (times in ms since the epoch). */
export interface LifecyclePlan {
  steps: Step[]
  /** Where it is settled; null when cancelled. */
  resolved: ResolvedLevel | null
  /** Planned to close after its SLA deadline. */
  overdue: boolean
  /** Returned once for rework (processing and fed_back then occur twice). */
  rework: boolean
  /** Its rating, when its reporter rates it: `draw` decides the rating given how late it really closed ({@link ratingOf}). */
  rating: { at: number, draw: number, rating: Rating } | null
}

/** What a plan starts from. */
export interface PlannedCase { at: number, level: CaseLevel, source: CaseSource }

const HANDLER: Record<ResolvedLevel, ActorRole> = { grid: 'grid_worker', village: 'village', township: 'township', county: 'county' }

const sec = (t: number): number => Math.round(t / 1000) * 1000

/** The next moment the township's command office is staffed for non-urgent work (08:00–18:00 local). */
export function officeTime(t: number): number {
  const { hour } = localParts(new Date(t))
  if (hour >= 8 && hour < 18)
    return t
  const dayStart = startOfLocalDay(new Date(t)).getTime()
  return hour < 8 ? dayStart + 8 * HOUR : dayStart + DAY + 8 * HOUR
}

/** The rating a draw in [0, 1) gives: overdue cases are rated worse. */
export function ratingOf(draw: number, overdue: boolean): Rating {
  const bad = overdue ? CALIBRATION.dissatisfiedRate.overdue : CALIBRATION.dissatisfiedRate.onTime
  return draw < bad ? 'dissatisfied' : draw < bad + CALIBRATION.basicallySatisfiedRate ? 'basically_satisfied' : 'satisfied'
}

/** Where a closed case of `level` is settled: mostly in the grid or village (小事不出村). */
export function resolvedLevelOf(rng: Random, level: CaseLevel): ResolvedLevel {
  const r = rng.next()
  const above = CALIBRATION.aboveVillageRate[level]
  return r < above * 0.85 ? 'township' : r < above ? 'county' : rng.chance(0.6) ? 'grid' : 'village'
}

/** The steps of a case that is handled (not cancelled), from acceptance to closing. */
function handlingSteps(rng: Random, c: PlannedCase): { steps: Step[], resolved: ResolvedLevel, overdue: boolean, rework: boolean } {
  const urgent = c.level === 'urgent'
  const window = SLA_TIERS[c.level].resolveHours * HOUR
  const accepted = sec(urgent ? c.at + (2 + rng.exponential(8)) * MINUTE : officeTime(c.at + MINUTE) + rng.exponential(40 * MINUTE))
  const dispatched = sec(accepted + (urgent ? rng.exponential(5) + 1 : rng.exponential(35) + 2) * MINUTE)
  const resolved = resolvedLevelOf(rng, c.level)
  const overdue = rng.chance(CALIBRATION.overdueRate[c.level])
  // Duration from dispatch to closing as a share of the SLA window: most cases close well within
  // it (median about a quarter), the overdue ones run 1–2 windows.
  const share = overdue ? 1 + Math.min(rng.exponential(0.35), 1.5) + 0.01 : Math.min(0.97, Math.max(0.03, Math.exp(rng.normal(Math.log(0.25), 0.6))))
  const total = share * window
  const processing = sec(dispatched + Math.min(urgent ? rng.exponential(10) * MINUTE + MINUTE : rng.exponential(3 * HOUR) + 5 * MINUTE, total * 0.3))
  const closed = sec(dispatched + total)
  const handler = HANDLER[resolved]
  const steps: Step[] = [
    { from: 'reported', to: 'accepted', at: accepted, actor: 'dispatcher' },
    { from: 'accepted', to: 'dispatched', at: dispatched, actor: 'dispatcher' },
    { from: 'dispatched', to: 'processing', at: processing, actor: handler },
  ]
  const rework = rng.chance(CALIBRATION.reworkRate)
  if (rework) {
    const first = sec(processing + (closed - processing) * 0.45)
    const back = sec(processing + (closed - processing) * 0.55)
    steps.push({ from: 'processing', to: 'fed_back', at: first, actor: handler })
    steps.push({ from: 'fed_back', to: 'processing', at: back, actor: 'dispatcher' })
    steps.push({ from: 'processing', to: 'fed_back', at: sec(processing + (closed - processing) * 0.85), actor: handler })
  }
  else {
    steps.push({ from: 'processing', to: 'fed_back', at: sec(processing + (closed - processing) * rng.range(0.7, 0.92)), actor: handler })
  }
  steps.push({ from: 'fed_back', to: 'closed', at: closed, actor: 'dispatcher' })
  return { steps, resolved, overdue, rework }
}

/**
 * Plans a case's life from its report. `cancellable: false` leaves out cancellation (IoT cases are
 * never cancelled; the simulator plans cases already past `reported` so) without changing the rest.
 */
export function planLifecycle(rng: Random, c: PlannedCase, options: { cancellable?: boolean } = {}): LifecyclePlan {
  const reported: Step = { from: null, to: 'reported', at: c.at, actor: REPORTER[c.source] }
  // The draw is made even when cancellation is ruled out, so that a case's plan stays the same all its life.
  const cancelled = c.source !== 'iot' && rng.chance(CALIBRATION.cancelledRate) && (options.cancellable ?? true)
  const plan: LifecyclePlan = cancelled
    ? { steps: [reported, { from: 'reported', to: 'cancelled', at: sec(officeTime(c.at) + rng.exponential(90 * MINUTE) + MINUTE), actor: 'dispatcher' }], resolved: null, overdue: false, rework: false, rating: null }
    : { ...handlingSteps(rng, c), rating: null }
  if (!cancelled)
    plan.steps.unshift(reported)
  // Times must strictly increase even where rounding to the second collided.
  for (let i = 1; i < plan.steps.length; i++) {
    if (plan.steps[i]!.at <= plan.steps[i - 1]!.at)
      plan.steps[i]!.at = plan.steps[i - 1]!.at + 1000
  }
  // Residents who reported (or were visited) rate after closing.
  const closed = plan.steps.find(s => s.to === 'closed')
  if (closed && rng.chance(CALIBRATION.ratedShare[c.source])) {
    const draw = rng.next()
    plan.rating = { draw, rating: ratingOf(draw, plan.overdue), at: sec(closed.at + 10 * MINUTE + rng.exponential(18 * HOUR)) }
  }
  return plan
}
