import type { AlarmRow, CaseRow } from '../contract/rows.ts'
import { describe, expect, it } from 'vitest'
import { alarmAsOf, caseAsOf } from './as-of.ts'

const H = 3_600_000
const closed: CaseRow = {
  id: 1, code: 'SJ1', category_id: 2, level: 'general', source: 'app', lat: 29.35, lon: 111.05, grid_id: 1, village_id: 1,
  status: 'closed', reported_at: 0, accepted_at: 1 * H, dispatched_at: 2 * H, sla_deadline: 10 * H, closed_at: 5 * H,
  resolved_level: 'village', rating: 'satisfied', rated_at: 6 * H,
}

describe('a case as of a past moment', () => {
  it('is absent before it was reported', () => {
    expect(caseAsOf(closed, null, -1)).toBeNull()
  })

  it('takes its status from its history, and has none of what came after', () => {
    expect(caseAsOf(closed, 'processing', 3 * H)).toMatchObject({ status: 'processing', accepted_at: H, dispatched_at: 2 * H, sla_deadline: 10 * H, closed_at: null, resolved_level: null, rating: null, rated_at: null })
  })

  it('without history rows, derives its status from the timestamps that had happened', () => {
    expect(caseAsOf(closed, null, 0.5 * H)).toMatchObject({ status: 'reported', accepted_at: null, dispatched_at: null, sla_deadline: null })
    expect(caseAsOf(closed, null, 1.5 * H)).toMatchObject({ status: 'accepted' })
    expect(caseAsOf(closed, null, 3 * H)).toMatchObject({ status: 'dispatched' })
    expect(caseAsOf(closed, null, 5.5 * H)).toMatchObject({ status: 'closed', closed_at: 5 * H, resolved_level: 'village', rating: null })
    expect(caseAsOf(closed, null, 7 * H)).toEqual(closed)
  })
})

describe('an alarm as of a past moment', () => {
  const alarm: AlarmRow = { id: 1, device_code: 'EC-1', kind: 'elderly_call', status: 'cleared', raised_at: H, cleared_at: 3 * H, lat: null, lon: null, grid_id: 1, village_id: 1, case_id: null }
  it('is open from its raising until its clearing, acknowledged once it was', () => {
    expect(alarmAsOf(alarm, 2 * H, 0.5 * H)).toBeNull()
    expect(alarmAsOf(alarm, 2 * H, 1.5 * H)).toMatchObject({ status: 'active', cleared_at: null })
    expect(alarmAsOf(alarm, 2 * H, 2.5 * H)).toMatchObject({ status: 'acknowledged' })
    expect(alarmAsOf(alarm, 2 * H, 3 * H)).toBeNull()
  })
})
