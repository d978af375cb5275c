import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { CaseSource } from '../../mock/rows.ts'
import { describe, expect, it } from 'vitest'
import { planLifecycle } from '../../mock/calibration.ts'
import { createRandom, keyedRandom } from '../../mock/random.ts'
import { planOf } from '../../mock/simulate/lifecycle.ts'
import { isLegalTransition } from '../../server/src/domain/lifecycle.ts'
import { CASE_LEVELS } from '../../server/src/domain/sla.ts'

const SOURCES: CaseSource[] = ['app', 'hotline', 'grid_patrol', 'camera', 'iot', 'walk_in', 'referral']
const start = new Date('2026-03-02T01:00:00Z').getTime()

/** One plan of a case's life, as the generator lays out history and the simulator moves live cases. */
describe('a case\'s planned life (shared by the generator and the simulator)', () => {
  const rng = createRandom(5)
  const cases = Array.from({ length: 4000 }, (_, i) => ({
    at: start + i * 611_000,
    level: rng.pick(CASE_LEVELS) as CaseLevel,
    source: rng.pick(SOURCES),
  }))

  it('goes only along legal transitions, strictly forward in time, rated only once closed', () => {
    const problems: string[] = []
    for (const c of cases) {
      const plan = planLifecycle(rng, c)
      plan.steps.forEach((step, i) => {
        const previous = plan.steps[i - 1]
        if (!isLegalTransition(previous?.to ?? null, step.to) || step.from !== (previous?.to ?? null))
          problems.push(`${previous?.to} → ${step.to}`)
        if (previous && step.at <= previous.at)
          problems.push(`${step.to} not after ${previous.to}`)
      })
      const last = plan.steps[plan.steps.length - 1]!
      if (plan.rating && (last.to !== 'closed' || plan.rating.at <= last.at))
        problems.push('rated before closing')
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  it('never cancels an IoT case or a case already accepted', () => {
    for (const c of cases.slice(0, 1000)) {
      expect(planLifecycle(rng, { ...c, source: 'iot' }).steps.some(s => s.to === 'cancelled')).toBe(false)
      expect(planLifecycle(rng, c, { cancellable: false }).steps.some(s => s.to === 'cancelled')).toBe(false)
    }
  })

  it('is the same plan whenever the simulator looks at a live case again (its own keyed stream)', () => {
    const live = { id: 4242, status: 'dispatched' as const, level: 'general' as const, source: 'app' as const, reported_at: new Date(start) }
    expect(planOf(live)).toEqual(planOf({ ...live }))
    expect(planOf({ ...live, id: 4243 })).not.toEqual(planOf(live))
    expect(keyedRandom(7, 1).next()).toBe(keyedRandom(7, 1).next())
    expect(keyedRandom(7, 1).next()).not.toBe(keyedRandom(7, 2).next())
  })
})
