import type { CasePoint } from '#wire'
import { describe, expect, it } from 'vitest'
import { UrgentMemory } from '../../screen/src/map/urgent.ts'

function point(id: number, status = 'reported'): CasePoint {
  return { id, code: `C${id}`, categoryId: 1, category: '燃气泄漏', categoryEn: 'Gas leak', level: 'urgent', status, source: 'app', lon: 111, lat: 29, villageId: 1, village: '杨柳村', gridId: 2, grid: '杨柳村第1网格', reportedAt: '2026-03-14T01:00:00.000Z', slaDeadline: null, closedAt: null }
}

describe('urgent cases on the map', () => {
  it('pulses a case the first time it arrives, and keeps it drawn for a while after the feed moves on', () => {
    const memory = new UrgentMemory(60_000)
    expect(memory.add([point(1), point(2)], 0)).toEqual([1, 2])
    expect(memory.add([point(1)], 1000)).toEqual([]) // seen: no second pulse
    expect(memory.withFeed([point(3)]).map(c => c.id)).toEqual([1, 2, 3])
    // The feed's record of a case wins (its status moves on).
    expect(memory.withFeed([point(2, 'accepted')]).find(c => c.id === 2)!.status).toBe('accepted')
    // Past the keeping time (counted from its first arrival), it is forgotten.
    memory.add([], 60_001)
    expect(memory.withFeed([]).map(c => c.id)).toEqual([])
  })
})
