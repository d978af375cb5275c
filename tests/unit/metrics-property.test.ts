import type { Change, RowsByTable, SourceTable } from '../../server/src/contract/rows.ts'
import type { Dirty } from '../../server/src/metrics/engine.ts'
import type { SnapshotData, Topic } from '#wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildEngine, emptyDirty, MetricsEngine } from '../../server/src/metrics/engine.ts'
import { allViews, frameData, snapshotData } from '../../server/src/metrics/views.ts'
import { TOPICS } from '#wire'

const HOUR = 3_600_000
const START = Date.UTC(2026, 5, 10, 1, 0) // 09:00 local

const registry: { [T in SourceTable]?: RowsByTable[T][] } = {
  villages: [1, 2, 3].map(id => ({ id, code: `43082110320${id}`, name: `村${id}`, kind: 'village', center_lat: 29.4, center_lon: 111.1, active: true })),
  grids: [1, 2, 3, 4, 5].map(id => ({ id, village_id: ((id - 1) % 3) + 1, code: `g${id}`, name: `网格${id}`, label_lat: null, label_lon: null, active: true })),
  case_categories: [
    { id: 1, parent_id: null, code: 'safety', name: '安全隐患', name_en: 'Safety', active: true },
    { id: 2, parent_id: 1, code: 'safety.flood', name: '防汛', name_en: 'Flood', active: true },
    { id: 3, parent_id: null, code: 'dispute', name: '矛盾纠纷', name_en: 'Disputes', active: true },
    { id: 4, parent_id: 3, code: 'dispute.land', name: '土地纠纷', name_en: 'Land', active: true },
  ],
}

const caseArb = (id: number) => fc.record({
  category_id: fc.constantFrom(2, 4),
  level: fc.constantFrom('general', 'serious', 'major', 'urgent'),
  lat: fc.double({ min: 29.40, max: 29.41, noNaN: true }),
  lon: fc.double({ min: 111.10, max: 111.11, noNaN: true }),
  grid_id: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  status: fc.constantFrom('reported', 'accepted', 'dispatched', 'processing', 'fed_back', 'closed', 'cancelled'),
  reportedOffset: fc.integer({ min: -45 * 24, max: 24 }), // hours from START
  acceptMinutes: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  deadlineHours: fc.option(fc.integer({ min: -100, max: 400 }), { nil: null }),
  closeHours: fc.integer({ min: 1, max: 300 }),
  resolved_level: fc.option(fc.constantFrom('grid', 'village', 'township', 'county'), { nil: null }),
  rating: fc.option(fc.constantFrom('satisfied', 'basically_satisfied', 'dissatisfied'), { nil: null }),
}).map((r): RowsByTable['cases'] => {
  const reported = START + r.reportedOffset * HOUR
  const closed = r.status === 'closed' ? reported + r.closeHours * HOUR : null
  return {
    id,
    code: `C${id}`,
    category_id: r.category_id,
    level: r.level,
    source: 'app',
    lat: r.lat,
    lon: r.lon,
    grid_id: r.grid_id,
    village_id: r.grid_id === null ? null : ((r.grid_id - 1) % 3) + 1,
    status: r.status,
    reported_at: reported,
    accepted_at: r.acceptMinutes === null ? null : reported + r.acceptMinutes * 60_000,
    dispatched_at: r.acceptMinutes === null ? null : reported + r.acceptMinutes * 60_000 + HOUR,
    closed_at: closed,
    sla_deadline: r.deadlineHours === null ? null : reported + r.deadlineHours * HOUR,
    resolved_level: closed === null ? null : r.resolved_level,
    rating: closed === null ? null : r.rating,
    rated_at: closed === null || r.rating === null ? null : closed + HOUR,
  }
})

const cameraArb = (id: number) => fc.record({
  status: fc.constantFrom('online', 'offline', 'alarm'),
  village_id: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  active: fc.boolean(),
}).map((r): RowsByTable['cameras'] => ({ id, code: `cam${id}`, name: `摄像头${id}`, kind: 'community', lat: 29.4, lon: 111.1, village_id: r.village_id, grid_id: null, status: r.status, last_heartbeat_at: START, stream_url: null, active: r.active }))

const alarmArb = (id: number) => fc.record({
  kind: fc.constantFrom('elderly_call', 'gas', 'smoke', 'water_level'),
  status: fc.constantFrom('active', 'acknowledged', 'cleared'),
}).map((r): RowsByTable['iot_alarms'] => ({ id, device_code: `d${id}`, kind: r.kind, status: r.status, raised_at: START, cleared_at: null, lat: 29.4, lon: 111.1, grid_id: 1, village_id: 1, case_id: null }))

const memberArb = (id: number) => fc.record({ points: fc.integer({ min: 0, max: 100 }), stars: fc.integer({ min: 1, max: 5 }), active: fc.boolean() })
  .map((r): RowsByTable['party_members'] => ({ id, branch_id: (id % 2) + 1, status: id % 3 === 0 ? 'probationary' : 'full', points: r.points, stars: r.stars, paired_households: r.points % 12, active: r.active }))

/** Special-population counts: ids 1–8 are (grid, kind) pairs, so that the contract's (grid_id, kind) stays unique. */
const specialArb = (id: number) => fc.integer({ min: 0, max: 6 })
  .map((count): RowsByTable['grid_special_population'] => ({ id, grid_id: ((id - 1) % 4) + 1, kind: id <= 4 ? 'elderly_alone' : 'left_behind_child', count }))

type Op = { kind: 'change', change: Change } | { kind: 'tick', hours: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 25 }).chain(id => caseArb(id)).map(row => ({ kind: 'change' as const, change: { table: 'cases' as const, op: 'upsert' as const, row } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 25 }).map(id => ({ kind: 'change' as const, change: { table: 'cases' as const, op: 'delete' as const, id } })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 8 }).chain(id => cameraArb(id)).map(row => ({ kind: 'change' as const, change: { table: 'cameras' as const, op: 'upsert' as const, row } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).map(id => ({ kind: 'change' as const, change: { table: 'cameras' as const, op: 'delete' as const, id } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).chain(id => alarmArb(id)).map(row => ({ kind: 'change' as const, change: { table: 'iot_alarms' as const, op: 'upsert' as const, row } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).chain(id => memberArb(id)).map(row => ({ kind: 'change' as const, change: { table: 'party_members' as const, op: 'upsert' as const, row } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).chain(id => specialArb(id)).map(row => ({ kind: 'change' as const, change: { table: 'grid_special_population' as const, op: 'upsert' as const, row } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).map(id => ({ kind: 'change' as const, change: { table: 'grid_special_population' as const, op: 'delete' as const, id } })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }).map(hours => ({ kind: 'tick' as const, hours })) },
)

describe('incremental metrics', () => {
  it('equal the metrics recomputed from scratch after any sequence of inserts, updates, deletes and clock moves', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), (ops) => {
      const engine = buildEngine(registry, START)
      const latest = new Map<SourceTable, Map<number, unknown>>()
      let now = START
      for (const op of ops) {
        if (op.kind === 'tick') {
          now += op.hours * HOUR
          engine.tick(now)
          continue
        }
        engine.apply(op.change)
        const rows = latest.get(op.change.table) ?? new Map<number, unknown>()
        latest.set(op.change.table, rows)
        if (op.change.op === 'delete')
          rows.delete(op.change.id)
        else
          rows.set(op.change.row.id, op.change.row)
      }
      const scratchRows: Record<string, unknown[]> = { ...registry }
      for (const [table, rows] of latest)
        scratchRows[table] = [...rows.values()]
      const scratch = buildEngine(scratchRows as never, now)
      expect(allViews(engine)).toEqual(allViews(scratch))
    }), { numRuns: 300 })
  })

  it('pushes frames that, applied to a snapshot as a screen does, give the from-scratch snapshot', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
      const engine = buildEngine(registry, START)
      const screen = snapshotData(engine)
      const latest = new Map<SourceTable, Map<number, unknown>>()
      let now = START
      for (const op of ops) {
        // The hub's pending changes, flushed after every step as frames of the topics they touched.
        const pending: Dirty = emptyDirty()
        if (op.kind === 'tick') {
          now += op.hours * HOUR
          engine.tick(now, pending)
        }
        else {
          engine.apply(op.change, pending)
          const rows = latest.get(op.change.table) ?? new Map<number, unknown>()
          latest.set(op.change.table, rows)
          if (op.change.op === 'delete')
            rows.delete(op.change.id)
          else
            rows.set(op.change.row.id, op.change.row)
        }
        for (const topic of [...pending.topics])
          applyFrame(screen, topic, frameData(engine, topic, pending))
      }
      const scratchRows: Record<string, unknown[]> = { ...registry }
      for (const [table, rows] of latest)
        scratchRows[table] = [...rows.values()]
      const scratch = snapshotData(buildEngine(scratchRows as never, now))
      // Heat as a screen draws it: cells with counts (a cell whose counts fell to zero stays as zeros).
      for (const heat of [screen.heat!, scratch.heat!])
        heat.cells = heat.cells.filter(c => c[4] > 0).sort((a, b) => a[0] - b[0] || a[1] - b[1])
      // A clock move with nothing to tell sends no frame: the views' own `asOf` may lag, not the figures.
      expect(withoutAsOf({ ...screen, cases: screen.cases!.cases, queue: queueCases(screen) })).toEqual(withoutAsOf({ ...scratch, cases: scratch.cases!.cases, queue: queueCases(scratch) }))
    }), { numRuns: 200 })
  })

  it('turns an open case overdue at its deadline with no database change, and rolls today over at local midnight', () => {
    const engine = new MetricsEngine(START)
    for (const table of ['villages', 'grids', 'case_categories'] as const) {
      for (const row of registry[table]!)
        engine.apply({ table, op: 'upsert', row } as Change)
    }
    const row: RowsByTable['cases'] = { id: 1, code: 'C1', category_id: 2, level: 'urgent', source: 'app', lat: 29.4, lon: 111.1, grid_id: 1, village_id: 1, status: 'dispatched', reported_at: START, accepted_at: START, dispatched_at: START, closed_at: null, sla_deadline: START + 4 * HOUR, resolved_level: null, rating: null, rated_at: null }
    engine.apply({ table: 'cases', op: 'upsert', row })
    expect(allViews(engine).overview).toMatchObject({ todayNew: 1, open: 1, overdue: 0 })
    // Three hours on: only the hourly trend has new (empty) points.
    expect([...engine.tick(START + 4 * HOUR - 1).topics]).toEqual(['trends'])
    const dirty = engine.tick(START + 4 * HOUR)
    expect(dirty.topics.has('overview')).toBe(true)
    expect(allViews(engine).overview).toMatchObject({ open: 1, overdue: 1 })
    // 09:00 local + 15 h = 00:00 the next day: today's count starts again.
    engine.tick(START + 15 * HOUR)
    expect(allViews(engine).overview!.todayNew).toBe(0)
    expect(allViews(engine).trends!.hourly.yesterday[9]).toBe(1)
  })

  it('tells screens when a boundary was written (townships, villages, grids), so that they draw the geography again', () => {
    const engine = new MetricsEngine(START)
    for (const row of registry.grids!)
      engine.apply({ table: 'grids', op: 'upsert', row })
    // Rows without a write time (a from-scratch build) say nothing; the snapshot's newest write does.
    expect(allViews(engine).rankings!.boundariesAt).toBeNull()
    engine.boundariesWritten(START - HOUR)
    expect(allViews(engine).rankings!.boundariesAt).toBe(new Date(START - HOUR).toISOString())
    // A grid re-drawn by an import: the rankings go out with the new time.
    const dirty = engine.apply({ table: 'grids', op: 'upsert', row: { ...registry.grids![0]!, name: '网格1（调整）' }, at: START })
    expect(dirty.topics.has('rankings')).toBe(true)
    expect(allViews(engine).rankings!.boundariesAt).toBe(new Date(START).toISOString())
    // A township's boundary too; cases and cameras never move it, nor an older write read again.
    engine.apply({ table: 'townships', op: 'upsert', row: { id: 1, code: '430821103', name: '零阳街道', active: true }, at: START + 1000 })
    expect(allViews(engine).rankings!.boundariesAt).toBe(new Date(START + 1000).toISOString())
    const camera = engine.apply({ table: 'cameras', op: 'upsert', row: { id: 1, code: 'C1', name: '路口', kind: 'fixed', lat: 29.4, lon: 111.1, village_id: 1, grid_id: 1, status: 'online', last_heartbeat_at: START, stream_url: null, active: true }, at: START + 5000 })
    expect(camera.topics.has('rankings')).toBe(true) // (cameras count in the villages' ranking)
    engine.apply({ table: 'villages', op: 'upsert', row: registry.villages![0]!, at: START })
    expect(allViews(engine).rankings!.boundariesAt).toBe(new Date(START + 1000).toISOString())
  })
})

/** Applies a frame to a screen's state the way the screen's live store does. */
function applyFrame(screen: Partial<SnapshotData>, topic: Topic, data: unknown): void {
  expect(TOPICS).toContain(topic)
  switch (topic) {
    case 'cameras': {
      const frame = data as { changed: SnapshotData['cameras']['cameras'], removed: number[] }
      const byId = new Map(screen.cameras!.cameras.map(c => [c.id, c]))
      for (const id of frame.removed)
        byId.delete(id)
      for (const camera of frame.changed)
        byId.set(camera.id, camera)
      screen.cameras = { cameras: [...byId.values()].sort((a, b) => a.id - b.id) }
      return
    }
    case 'heat': {
      const frame = data as SnapshotData['heat']
      const byCell = new Map(screen.heat!.cells.map(c => [`${c[0]},${c[1]}`, c]))
      for (const cell of frame.cells)
        byCell.set(`${cell[0]},${cell[1]}`, cell)
      screen.heat = { cellDeg: frame.cellDeg, cells: [...byCell.values()] }
      return
    }
    case 'queue': {
      const frame = data as { changed: SnapshotData['queue']['cases'], removed: number[] }
      const byId = new Map(screen.queue!.cases.map(c => [c.id, c]))
      for (const id of frame.removed)
        byId.delete(id)
      for (const c of frame.changed)
        byId.set(c.id, c)
      screen.queue = { asOf: screen.queue!.asOf, cases: [...byId.values()] }
      return
    }
    default:
      (screen as Record<string, unknown>)[topic] = data
  }
}

/** The queue as a set of cases (its SLA time left and order are recomputed against the clock by the console). */
function queueCases(data: Partial<SnapshotData>): unknown[] {
  return data.queue!.cases.map(({ sla: _sla, slaLeftMs: _left, ...c }) => c).sort((a, b) => a.id - b.id)
}

function withoutAsOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'asOf' ? undefined : v)))
}
