import type { CasePoint } from '#wire'
import { describe, expect, it } from 'vitest'
import { admit, dismiss, emptyQueue, expire, nextExpiry, raisesAlert } from '../../screen/src/alerts/queue.ts'

function point(id: number, level: string, reportedAt = '2026-03-14T01:00:00.000Z'): CasePoint {
  return { id, code: `C${id}`, categoryId: 1, category: '燃气泄漏', categoryEn: 'Gas leak', level, status: 'reported', source: 'app', lon: 111, lat: 29, villageId: 1, village: '杨柳村', gridId: 2, grid: '杨柳村第1网格', reportedAt, slaDeadline: null, closedAt: null }
}

const options = { ttlMs: 30_000, maxActive: 3, maxSeen: 4 }

describe('urgent-case alerts', () => {
  it('alerts 紧急 and 重大 cases only, once each, newest report first', () => {
    expect(raisesAlert({ level: 'urgent' }) && raisesAlert({ level: 'major' })).toBe(true)
    expect(raisesAlert({ level: 'serious' }) || raisesAlert({ level: 'general' })).toBe(false)
    const first = admit(emptyQueue(), [point(1, 'urgent', '2026-03-14T01:00:00Z'), point(2, 'general'), point(3, 'major', '2026-03-14T01:05:00Z')], 1000, options)
    expect(first.added.map(c => c.id)).toEqual([1, 3])
    let queue = first.queue
    expect(queue.active.map(a => a.case.id)).toEqual([3, 1])
    expect(queue.active[0]!.expiresAt).toBe(31_000)
    // The same cases again (a resent frame, a reconnect): nothing new.
    const again = admit(queue, [point(1, 'urgent'), point(3, 'major')], 2000, options)
    expect(again.added).toEqual([])
    expect(again.queue).toBe(queue)
    ;({ queue } = admit(queue, [point(4, 'urgent')], 3000, options))
    expect(queue.active.map(a => a.case.id)).toEqual([4, 3, 1])
  })

  it('goes away by itself after its time, and can be dismissed (staying deduplicated)', () => {
    let { queue } = admit(emptyQueue(), [point(1, 'urgent')], 0, options)
    ;({ queue } = admit(queue, [point(2, 'urgent')], 10_000, options))
    expect(nextExpiry(queue)).toBe(30_000)
    expect(expire(queue, 29_999).active).toHaveLength(2)
    queue = expire(queue, 30_000)
    expect(queue.active.map(a => a.case.id)).toEqual([2])
    expect(nextExpiry(queue)).toBe(40_000)
    queue = dismiss(queue, 2)
    expect(queue.active).toEqual([])
    expect(nextExpiry(queue)).toBeNull()
    expect(admit(queue, [point(2, 'urgent')], 50_000, options).added).toEqual([])
  })

  it('stays bounded: at most a few at once, and a bounded memory of ids', () => {
    let queue = emptyQueue()
    for (let id = 1; id <= 100; id++)
      queue = admit(queue, [point(id, 'urgent')], id, options).queue
    expect(queue.active.map(a => a.case.id)).toEqual([100, 99, 98])
    expect(queue.seen).toEqual([97, 98, 99, 100])
  })
})
