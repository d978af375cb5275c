import { describe, expect, it } from 'vitest'
import { CASE_LEVELS, closedWithinSla, deadline, isOverdue, responseDeadline, SLA_TIERS, slaState } from '../../server/src/domain/sla.ts'

const HOUR = 3_600_000
const t0 = new Date('2025-03-10T02:00:00Z')

describe('SLA tiers', () => {
  it('gives urgent cases hours, general a working week, major a month', () => {
    expect(deadline('urgent', t0).getTime() - t0.getTime()).toBeLessThanOrEqual(8 * HOUR)
    expect(deadline('general', t0).getTime() - t0.getTime()).toBe(5 * 24 * HOUR)
    expect(deadline('major', t0).getTime() - t0.getTime()).toBe(30 * 24 * HOUR)
    const hours = CASE_LEVELS.map(l => SLA_TIERS[l].resolveHours)
    expect(SLA_TIERS.urgent.resolveHours).toBe(Math.min(...hours))
    expect(SLA_TIERS.major.resolveHours).toBe(Math.max(...hours))
    expect(SLA_TIERS.general.resolveHours).toBeLessThan(SLA_TIERS.serious.resolveHours)
  })

  it('expects a response within 24 hours (urgent within one)', () => {
    expect(responseDeadline('general', t0).getTime() - t0.getTime()).toBe(24 * HOUR)
    expect(responseDeadline('urgent', t0).getTime() - t0.getTime()).toBe(HOUR)
  })

  it('tracks the clock of a case', () => {
    const due = deadline('general', t0)
    const open = { level: 'general' as const, slaDeadline: due, closedAt: null }
    expect(slaState({ level: 'general', slaDeadline: null, closedAt: null }, t0)).toBe('not_started')
    expect(slaState(open, new Date(t0.getTime() + HOUR))).toBe('on_track')
    expect(slaState(open, new Date(due.getTime() - HOUR))).toBe('due_soon')
    expect(slaState(open, new Date(due.getTime() + 1))).toBe('overdue')
    expect(isOverdue(open, new Date(due.getTime() + 1))).toBe(true)
    expect(slaState({ ...open, closedAt: due }, new Date(due.getTime() + HOUR))).toBe('met')
    expect(slaState({ ...open, closedAt: new Date(due.getTime() + 1000) }, due)).toBe('missed')
    expect(closedWithinSla(due, due)).toBe(true)
  })
})
