import type { CameraPoint, CasePoint, HeatCellUpdate, Overview } from '#wire'
import type { LiveState } from '../../screen/src/live/client.ts'
import type { LiveViews } from '../../screen/src/live/views.ts'
import { describe, expect, it } from 'vitest'
import { initialLiveState } from '../../screen/src/live/client.ts'
import { ageSeconds, applyUpdate, emptyLiveViews, isStale, SILENCE_STALE_MS, URGENT_KEPT } from '../../screen/src/live/views.ts'

function point(id: number, level = 'general'): CasePoint {
  return { id, code: `C${id}`, categoryId: 1, category: '燃气泄漏', categoryEn: 'Gas leak', level, status: 'reported', source: 'app', lon: 111, lat: 29, villageId: 1, village: '杨柳村', gridId: 2, grid: '杨柳村第1网格', reportedAt: '2026-03-14T01:00:00.000Z', slaDeadline: null, closedAt: null }
}
function camera(id: number, status = 'online'): CameraPoint {
  return { id, code: `CAM${id}`, name: `camera ${id}`, kind: 'public_security', lon: 111, lat: 29, villageId: 1, gridId: 2, status, lastHeartbeatAt: null, hasStream: false }
}
/** Applies the patch as the store does: the views after the update. */
function after(views: LiveViews, patch: Partial<LiveViews>): LiveViews {
  return { ...views, ...patch }
}

describe('live views', () => {
  it('replaces whole views (overview, trends, rankings, SLA, alarms) by their topic\'s data', () => {
    const overview = { asOf: '2026-03-14T01:00:00.000Z', todayNew: 3 } as Overview
    const views = emptyLiveViews()
    expect(applyUpdate(views, 'overview', overview, 'frame')).toEqual({ overview })
    const alarms = { asOf: overview.asOf, alarms: [] }
    expect(applyUpdate(views, 'alarms', alarms, 'snapshot')).toEqual({ alarms })
  })

  it('takes the feed from every cases update, and urgent cases from frames only, keeping the last 20', () => {
    let views = emptyLiveViews()
    const snapshot = { asOf: 'a', cases: [point(1)], added: [point(1)], urgent: [point(1, 'urgent')] }
    views = after(views, applyUpdate(views, 'cases', snapshot, 'snapshot'))
    expect(views.feed.map(c => c.id)).toEqual([1])
    expect(views.urgent).toEqual([]) // a snapshot's urgent cases are old news
    for (let id = 2; id < 2 + URGENT_KEPT + 3; id++)
      views = after(views, applyUpdate(views, 'cases', { asOf: 'b', cases: [point(id)], added: [point(id)], urgent: [point(id, 'urgent')] }, 'frame'))
    expect(views.urgent).toHaveLength(URGENT_KEPT)
    expect(views.urgent.at(-1)!.id).toBe(URGENT_KEPT + 4)
    // A frame without urgent cases leaves the waiting ones alone.
    expect(applyUpdate(views, 'cases', { asOf: 'c', cases: [], added: [], urgent: [] }, 'frame')).toEqual({ feed: [] })
  })

  it('replaces the cameras from a snapshot, and changes them in place from a frame (changed and removed)', () => {
    let views = emptyLiveViews()
    views = after(views, applyUpdate(views, 'cameras', { cameras: [camera(1), camera(2)] }, 'snapshot'))
    expect([...views.cameras.keys()]).toEqual([1, 2])
    expect(views.changedCameras).toBeNull()
    const map = views.cameras
    const patch = applyUpdate(views, 'cameras', { changed: [camera(2, 'offline'), camera(3)], removed: [1] }, 'frame')
    expect(patch.cameras).toBe(map) // the same map, updated in place (and in the patch: it changed)
    expect([...map.values()].map(c => [c.id, c.status])).toEqual([[2, 'offline'], [3, 'online']])
    expect(patch.changedCameras!.map(c => c.id)).toEqual([2, 3])
  })

  it('keeps heat cells by corner: a snapshot starts afresh, a frame sets absolute counts and drops empty cells', () => {
    let views = emptyLiveViews()
    const a: HeatCellUpdate = [111.1, 29.4, 1, 2, 3]
    const b: HeatCellUpdate = [111.2, 29.4, 0, 0, 5]
    views = after(views, applyUpdate(views, 'heat', { cellDeg: 0.002, cells: [a, b] }, 'snapshot'))
    expect(views.heatCellDeg).toBe(0.002)
    expect([...views.heat.keys()]).toEqual(['111.1,29.4', '111.2,29.4'])
    views = after(views, applyUpdate(views, 'heat', { cellDeg: 0.002, cells: [[111.1, 29.4, 2, 3, 4], [111.2, 29.4, 0, 0, 0]] }, 'frame'))
    expect([...views.heat.values()]).toEqual([[111.1, 29.4, 2, 3, 4]])
    const fresh = applyUpdate(views, 'heat', { cellDeg: 0.002, cells: [b] }, 'snapshot')
    expect(fresh.heat).not.toBe(views.heat)
    expect([...fresh.heat!.keys()]).toEqual(['111.2,29.4'])
  })

  it('keeps the case the console pushed to the walls, and ignores the console\'s own queue', () => {
    const views = emptyLiveViews()
    const push = { id: 1, caseId: 7, case: point(7, 'urgent'), wall: null, by: 'dispatcher', at: '2026-03-14T01:00:00.000Z' }
    expect(applyUpdate(views, 'push', { push }, 'frame')).toEqual({ push })
    expect(applyUpdate(views, 'push', { push: null }, 'snapshot')).toEqual({ push: null })
    expect(applyUpdate(views, 'queue', { asOf: 'a', changed: [], removed: [] }, 'frame')).toEqual({})
  })

  it('counts the data stale without a connection, with the database down, before a snapshot, or after 15 s of silence', () => {
    const now = 1_000_000
    const live: LiveState = { connected: true, database: 'up', version: 'v1', asOf: new Date(now - 65_000).toISOString(), heardAt: now, snapshots: 1 }
    expect(isStale(live, now)).toBe(false)
    expect(isStale(initialLiveState(), now)).toBe(true)
    expect(isStale({ ...live, connected: false }, now)).toBe(true)
    expect(isStale({ ...live, database: 'down' }, now)).toBe(true)
    expect(isStale({ ...live, snapshots: 0 }, now)).toBe(true)
    expect(isStale(live, now + SILENCE_STALE_MS + 1)).toBe(true)
    expect(ageSeconds(live, now)).toBe(65)
    expect(ageSeconds({ ...live, asOf: null }, now)).toBeNull()
  })
})
