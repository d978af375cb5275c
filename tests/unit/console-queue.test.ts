import type { QueueCase } from '#wire'
import { describe, expect, it } from 'vitest'
import { commandOf } from '../../screen/src/console/keys.ts'
import { byUrgency, countdown, emptyFilters, filtersFromQuery, filtersToQuery, hasFilters, mergeQueue, pruneAnnounced, step, toAnnounce } from '../../screen/src/console/queue.ts'

const NOW = Date.parse('2025-05-01T08:00:00Z')
function qc(id: number, level: string, leftMin: number | null, reportedAt = '2025-05-01T06:00:00Z'): QueueCase {
  return {
    id, code: `C${id}`, categoryId: 1, category: '矛盾纠纷', categoryEn: 'Dispute', level, status: 'dispatched', source: 'app',
    lon: 110, lat: 29, villageId: 1, village: '村', gridId: 1, grid: '网格', reportedAt,
    slaDeadline: leftMin === null ? null : new Date(NOW + leftMin * 60_000).toISOString(), closedAt: null,
    sla: leftMin === null ? 'not_started' : leftMin < 0 ? 'overdue' : 'on_time', slaLeftMs: leftMin === null ? null : leftMin * 60_000,
  }
}

describe('the incident queue', () => {
  it('sorts by level, then least time left, then oldest', () => {
    const list = [qc(1, 'general', 5), qc(2, 'urgent', null), qc(3, 'urgent', 30), qc(4, 'major', -10)].sort(byUrgency(NOW))
    expect(list.map(c => c.id)).toEqual([3, 2, 4, 1])
  })

  it('merges a frame: changed replace, new join in their place, removed leave', () => {
    const held = [qc(1, 'general', 5), qc(2, 'serious', 60)]
    const { cases, added } = mergeQueue(held, [{ ...qc(2, 'serious', 60), status: 'processing' }, qc(3, 'urgent', 10)], [1], NOW)
    expect(cases.map(c => c.id)).toEqual([3, 2])
    expect(cases[1]!.status).toBe('processing')
    expect(added.map(c => c.id)).toEqual([3])
    expect(toAnnounce([qc(5, 'general', 1), qc(6, 'major', 1)]).map(c => c.id)).toEqual([6])
  })

  it('writes filters to a query and reads them back, dropping unknown values', () => {
    const filters = { ...emptyFilters(), status: ['reported'], level: ['urgent', 'major'], village: [3], sla: ['overdue'], reported: 'custom' as const, from: '2025-04-01', q: ' A12 ' }
    const query = filtersToQuery(filters)
    expect(query).toEqual({ status: 'reported', level: 'urgent,major', village: '3', sla: 'overdue', reported: 'custom', from: '2025-04-01', q: 'A12' })
    expect(filtersFromQuery(query)).toEqual({ ...filters, q: 'A12' })
    expect(filtersFromQuery({ level: 'urgent,bogus', grid: 'x,4', reported: 'ever' })).toEqual({ ...emptyFilters(), level: ['urgent'], grid: [4] })
    expect(hasFilters(emptyFilters())).toBe(false)
    expect(hasFilters({ ...emptyFilters(), q: '  ' })).toBe(false)
  })

  it('counts down, negative when overdue', () => {
    expect(countdown(3_909_000)).toBe('1:05:09')
    expect(countdown(723_000)).toBe('12:03')
    expect(countdown(-61_000)).toBe('-1:01')
  })

  it('ends announcements in time and steps within the list', () => {
    const a = { 1: NOW + 1000, 2: NOW - 1 }
    expect(pruneAnnounced(a, NOW)).toEqual({ 1: NOW + 1000 })
    const b = { 1: NOW + 1000 }
    expect(pruneAnnounced(b, NOW)).toBe(b)
    expect(step(-1, 1, 3)).toBe(0)
    expect(step(2, 1, 3)).toBe(2)
    expect(step(0, -1, 3)).toBe(0)
    expect(step(0, 1, 0)).toBe(-1)
  })
})

describe('the console keys', () => {
  it('maps keys to commands, letters only outside fields', () => {
    expect(commandOf({ key: '/' }, false)).toBe('search')
    expect(commandOf({ key: 'j' }, false)).toBe('next')
    expect(commandOf({ key: 'k' }, false)).toBe('previous')
    expect(commandOf({ key: 'ArrowDown' }, true)).toBe('next')
    expect(commandOf({ key: 'Enter' }, true)).toBe('open')
    expect(commandOf({ key: 'Escape' }, true)).toBe('close')
    expect(commandOf({ key: 'w' }, false)).toBe('push')
    expect(commandOf({ key: 'w' }, true)).toBeNull()
    expect(commandOf({ key: '?' }, false)).toBe('help')
    expect(commandOf({ key: 'j', ctrlKey: true }, false)).toBeNull()
  })
})
