import type { Database, Queryable } from '../../server/src/db/types.ts'
import type { HistoryHours, HistorySnapshot, Snapshot } from '#wire'
import type { RunningProduct } from '../../server/src/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { dayLabel, localDay, localTime } from '../../server/src/domain/calendar.ts'
import { engineAsOf } from '../../server/src/metrics/as-of.ts'
import { HistoryReplays } from '../../server/src/metrics/replay.ts'
import { snapshotData } from '../../server/src/metrics/views.ts'
import { startProduct } from '../../server/src/server.ts'
import { seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'

const logger = pino({ level: 'silent' })
const pgReachable = await postgresAvailable()

/** A local wall-clock time `days` days before today (in the configured zone), as an instant. */
function local(days: number, hhmm: string): Date {
  const [y, m, d] = dayLabel(localDay(Date.now()) - days).split('-').map(Number) as [number, number, number]
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number]
  return localTime(y, m, d, hh, mm)
}

interface CaseSpec {
  id: number
  level: string
  grid: number
  village: number
  status: string
  reported: Date
  accepted?: Date
  dispatched?: Date
  deadline?: Date
  closed?: Date
  resolved?: string
  rating?: string
  rated?: Date
  /** Status changes (to_status, at); the creation event (null → reported) is added. */
  events?: [string, Date][]
}

async function insertCaseAt(db: Queryable, c: CaseSpec): Promise<void> {
  await db.query(
    `insert into cases (id, code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, accepted_at, dispatched_at, sla_deadline, closed_at, resolved_level, rating, rated_at, reporter_name, updated_at)
     values ($1, $2, 2, $3, 'app', 29.351, 111.051, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '某某', now())`,
    [c.id, `SJ${String(c.id).padStart(8, '0')}`, c.level, c.grid, c.village, c.status, c.reported, c.accepted ?? null, c.dispatched ?? null, c.deadline ?? null, c.closed ?? null, c.resolved ?? null, c.rating ?? null, c.rated ?? null],
  )
  if (!c.events)
    return
  let from: string | null = null
  for (const [to, at] of [['reported', c.reported] as [string, Date], ...c.events]) {
    await db.query(`insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at) values ($1, $2, $3, $4, 'dispatcher', $4)`, [c.id, from, to, at])
    from = to
  }
}

describe.each(['pglite', 'postgres'] as const)('time machine on %s', (kind) => {
  let testDb: TestDatabase | undefined
  let db: Database
  let product: RunningProduct
  let url: string

  beforeAll(async () => {
    if (kind === 'postgres') {
      if (!pgReachable)
        return
      testDb = await createTestDatabase()
      db = await openDatabase({ url: testDb.url })
    }
    else {
      db = await openDatabase({})
    }
    await seedMiniTownship(db)
    // Yesterday: A is reported 08:00 and closed within its SLA at 09:00, rated 09:30; B (urgent) is
    // dispatched 08:45 with a deadline at 09:45 and is still being handled (overdue since); C is
    // reported at 11:00 and has no history rows (its status comes from its timestamps). The day before:
    // D is reported at 20:00 and cancelled at 20:30.
    await insertCaseAt(db, { id: 1, level: 'general', grid: 1, village: 1, status: 'closed', reported: local(1, '08:00'), accepted: local(1, '08:10'), dispatched: local(1, '08:20'), deadline: local(1, '09:20'), closed: local(1, '09:00'), resolved: 'village', rating: 'satisfied', rated: local(1, '09:30'), events: [['accepted', local(1, '08:10')], ['dispatched', local(1, '08:20')], ['processing', local(1, '08:30')], ['fed_back', local(1, '08:50')], ['closed', local(1, '09:00')]] })
    await insertCaseAt(db, { id: 2, level: 'urgent', grid: 3, village: 2, status: 'processing', reported: local(1, '08:30'), accepted: local(1, '08:40'), dispatched: local(1, '08:45'), deadline: local(1, '09:45'), events: [['accepted', local(1, '08:40')], ['dispatched', local(1, '08:45')], ['processing', local(1, '09:10')]] })
    await insertCaseAt(db, { id: 3, level: 'general', grid: 2, village: 1, status: 'reported', reported: local(1, '11:00') })
    await insertCaseAt(db, { id: 4, level: 'general', grid: 1, village: 1, status: 'cancelled', reported: local(2, '20:00'), closed: local(2, '20:30'), events: [['cancelled', local(2, '20:30')]] })
    // An elderly call raised at 09:00 and cleared at 10:00 yesterday.
    await db.query(`insert into iot_alarms (device_code, kind, status, raised_at, acknowledged_at, cleared_at, lat, lon, grid_id, village_id, address, updated_at) values ('EC-1', 'elderly_call', 'cleared', $1, $2, $3, 29.35, 111.05, 1, 1, '杨柳村1组', now())`, [local(1, '09:00'), local(1, '09:05'), local(1, '10:00')])
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0' })
    product = await startProduct(config, db, logger)
    url = `http://127.0.0.1:${product.port}`
  })

  afterAll(async () => {
    await product?.close()
    await db?.close()
    await testDb?.drop()
  })

  async function asOf(at: Date | string): Promise<HistorySnapshot> {
    const response = await fetch(`${url}/api/history/snapshot?at=${encodeURIComponent(typeof at === 'string' ? at : at.toISOString())}`)
    expect(response.status).toBe(200)
    return response.json() as Promise<HistorySnapshot>
  }

  /** Open cases at T by the contract's SQL: the last status change at or before T is not terminal. */
  async function openBySql(at: Date): Promise<number> {
    const result = await db.query<{ n: number | string }>(
      `select count(*) as n from cases c where c.reported_at <= $1 and coalesce(
         (select e.to_status from case_events e where e.case_id = c.id and e.at <= $1 order by e.at desc, e.id desc limit 1),
         case when c.closed_at <= $1 then c.status when c.accepted_at <= $1 then 'accepted' else 'reported' end
       ) not in ('closed', 'cancelled')`,
      [at],
    )
    return Number(result.rows[0]!.n)
  }

  it.skipIf(kind === 'postgres' && !pgReachable)('shows the figures, SLA tiers, alarms and case feed as they were at each moment', async () => {
    const tier = (s: HistorySnapshot, level: string) => s.data.sla!.tiers.find(t => t.level === level)!

    // Yesterday 08:15: A accepted (dispatched at 08:20); B not reported yet; the feed also holds D (the day before).
    const t1 = await asOf(local(1, '08:15'))
    expect(t1.at).toBe(local(1, '08:15').toISOString())
    expect(t1.camerasAsOfNow).toBe(true)
    expect(t1.data.overview).toMatchObject({ asOf: t1.at, todayNew: 1, open: 1, overdue: 0 })
    expect(t1.data.overview!.open).toBe(await openBySql(local(1, '08:15')))
    expect(t1.data.cases!.cases.map(c => [c.code, c.status])).toEqual([['SJ00000001', 'accepted'], ['SJ00000004', 'cancelled']])
    expect(t1.data.overview!.closedWithinSla.denominator).toBe(0)
    expect(t1.data.alarms!.alarms).toEqual([])
    expect(t1.data.trends!.hourly.today[8]).toBe(1)
    expect(t1.data.trends!.hourly.today[9]).toBeNull() // the hour had not begun

    // 08:50: B dispatched, not yet processing (its history says so, though its row says processing now).
    const t15 = await asOf(local(1, '08:50'))
    expect(t15.data.cases!.cases.map(c => [c.code, c.status])).toEqual([['SJ00000002', 'dispatched'], ['SJ00000001', 'fed_back'], ['SJ00000004', 'cancelled']])

    // 09:50: A closed within SLA and rated; B overdue since 09:45; the elderly call open (acknowledged).
    const t2 = await asOf(local(1, '09:50'))
    expect(t2.data.overview).toMatchObject({ todayNew: 2, open: 1, overdue: 1 })
    expect(t2.data.overview!.open).toBe(await openBySql(local(1, '09:50')))
    expect(t2.data.overview!.closedWithinSla).toMatchObject({ numerator: 1, denominator: 1 })
    expect(t2.data.overview!.satisfaction).toMatchObject({ numerator: 1, denominator: 1 })
    expect(tier(t2, 'urgent')).toMatchObject({ open: 1, overdue: 1 })
    expect(tier(t2, 'general')).toMatchObject({ open: 0, overdue: 0, closed30Days: 1 })
    expect(t2.data.cases!.cases.map(c => [c.code, c.status])).toEqual([['SJ00000002', 'processing'], ['SJ00000001', 'closed'], ['SJ00000004', 'cancelled']])
    expect(t2.data.alarms!.alarms.map(a => [a.kind, a.status])).toEqual([['elderly_call', 'acknowledged']])
    expect(t2.data.overview!.alarms.open).toBe(1)

    // 12:00: C reported (no history rows: its status from its timestamps); the alarm cleared.
    const t3 = await asOf(local(1, '12:00'))
    expect(t3.data.overview).toMatchObject({ todayNew: 3, open: 2, overdue: 1 })
    expect(t3.data.overview!.open).toBe(await openBySql(local(1, '12:00')))
    expect(t3.data.cases!.cases.map(c => c.code)).toEqual(['SJ00000003', 'SJ00000002', 'SJ00000001', 'SJ00000004'])
    expect(t3.data.alarms!.alarms).toEqual([])

    // The day before, 20:15: D reported and not yet cancelled; "today" is that day.
    const t4 = await asOf(local(2, '20:15'))
    expect(t4.data.overview).toMatchObject({ todayNew: 1, open: 1, overdue: 0 })
    expect(t4.data.cases!.cases.map(c => [c.code, c.status])).toEqual([['SJ00000004', 'reported']])

    // A wall-clock time without an offset is read in the configured zone.
    const wall = await asOf(`${dayLabel(localDay(Date.now()) - 1)}T09:50`)
    expect(wall.at).toBe(t2.at)

    // The live state is untouched by the replays: today nothing new, B and C open, B overdue.
    const live = await (await fetch(`${url}/api/snapshot?topics=overview`)).json() as Snapshot
    expect(live.data.overview).toMatchObject({ todayNew: 0, open: 2, overdue: 1 })
    // No personal field leaves with the past either.
    expect(JSON.stringify([t1, t2, t3, t4])).not.toMatch(/reporter|phone|address|某某|杨柳村1组/)
  })

  it.skipIf(kind === 'postgres' && !pgReachable)('a replay moved forward step by step equals the township built from scratch at each moment', async () => {
    const options = { retentionDays: product.hub.engine.retentionDays, heatCellDeg: product.hub.engine.heatCellDeg, specialMinCount: product.hub.engine.specialMinCount, feedSize: product.hub.engine.latest.size }
    // Spans of 40 min, so that the walk reads the contract many times and crosses midnight.
    const replays = new HistoryReplays(db, () => options, { cursors: 2, spanMs: 40 * 60_000, maxForwardMs: 48 * 3_600_000, idleMs: 60_000, maxAgeMs: 600_000 })
    try {
      const start = local(2, '19:00').getTime()
      const end = local(1, '12:30').getTime()
      const hows: string[] = []
      let compared = 0
      for (let at = start; at <= end; at += 7 * 60_000 + 13_000) {
        const walked = await replays.withEngineAt(at, (engine, how) => {
          hows.push(how)
          return JSON.stringify(snapshotData(engine, ['overview', 'trends', 'rankings', 'sla', 'cases', 'heat', 'alarms']))
        })
        const { engine } = await engineAsOf(db, at, options)
        expect(walked, new Date(at).toISOString()).toBe(JSON.stringify(snapshotData(engine, ['overview', 'trends', 'rankings', 'sla', 'cases', 'heat', 'alarms'])))
        compared++
      }
      expect(compared).toBeGreaterThan(100)
      // One build, then only walks forward (one cursor); a moment before it builds another.
      expect(hows.filter(h => h === 'built')).toHaveLength(1)
      expect(replays.stats.spansRead).toBeGreaterThan(20)
      await replays.withEngineAt(start - 3_600_000, () => null)
      expect(replays.stats.built).toBe(2)
      expect(replays.size).toBe(2)
    }
    finally {
      replays.close()
    }
    // The map's heat of one category as of T: B (category 2) in yesterday's 08:00 hour, not yet at 08:15.
    const heat = async (at: Date) => (await fetch(`${url}/api/history/heat?at=${encodeURIComponent(at.toISOString())}&window=today&category=2`)).json() as Promise<{ total: number }>
    expect((await heat(local(1, '08:15'))).total).toBe(1)
    expect((await heat(local(1, '12:00'))).total).toBe(3)
    // … and with a replay's moment when asked for (the same T as the figures).
    const withHeat = await (await fetch(`${url}/api/history/snapshot?at=${encodeURIComponent(local(1, '08:50').toISOString())}&heatWindow=today&heatCategory=2`)).json() as HistorySnapshot
    expect(withHeat.categoryHeat).toMatchObject({ window: 'today', categoryId: 2, total: 2 })
    expect((await asOf(local(1, '08:50'))).categoryHeat).toBeUndefined()
  })

  it.skipIf(kind === 'postgres' && !pgReachable)('counts the cases of each hour for the scrubber, and refuses a bad moment with 400', async () => {
    const from = local(1, '08:00')
    const to = local(1, '12:00')
    const hours = await (await fetch(`${url}/api/history/hours?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`)).json() as HistoryHours
    expect(hours.hours.map(h => h.count)).toEqual([2, 0, 0, 1]) // 08:00–12:00: A and B in the 8 o'clock hour, C at 11:00
    expect(hours.hours[0]!.hour).toBe(from.toISOString())

    const bad = async (query: string) => {
      const response = await fetch(`${url}/api/history/snapshot?${query}`)
      const body = await response.json() as { error: { code: string, message: string } }
      return { status: response.status, ...body.error }
    }
    expect(await bad('at=yesterday')).toMatchObject({ status: 400, code: 'bad_request', message: expect.stringContaining('at') })
    expect(await bad('')).toMatchObject({ status: 400, code: 'bad_request' })
    expect(await bad('at=2026-02-30T10:00:00Z')).toMatchObject({ status: 400 })
    expect(await bad(`at=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toMatchObject({ status: 400, message: expect.stringContaining('future') })
    expect(await bad(`at=${encodeURIComponent(local(40, '10:00').toISOString())}`)).toMatchObject({ status: 400, message: expect.stringContaining('retained history') })
    expect(await bad(`at=${encodeURIComponent(from.toISOString())}&topics=overview,push`)).toMatchObject({ status: 400, message: expect.stringContaining('push') })
    expect(await bad(`at=${encodeURIComponent(from.toISOString())}&topics=queue`)).toMatchObject({ status: 403 })
  })
})
