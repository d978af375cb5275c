import type { Polygon } from 'geojson'
import type { Database, Queryable } from '../server/src/db/types.ts'
import type { ActorRole, CaseStatus } from '../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../server/src/domain/sla.ts'
import type { AlarmKind, CaseSource, ResolvedLevel } from './rows.ts'
import { resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { localDateKey, localParts } from '../server/src/domain/calendar.ts'
import { categoryByCode, categoryMix, classOf } from '../server/src/domain/categories.ts'
import { isLegalTransition, OPEN_STATUSES } from '../server/src/domain/lifecycle.ts'
import { CASE_LEVELS, deadline, SLA_TIERS } from '../server/src/domain/sla.ts'
import { householdAddress, mobilePhone, personName } from './names.ts'
import { describeError, parseOptions, redactUrl, UsageError } from './cli-util.ts'
import { createRandom } from './random.ts'
import { jitter, pointInPolygon } from './spatial.ts'

/**
 * The live simulator: keeps writing a township's everyday activity into the operational database
 * through plain SQL, as the real systems (case platform, video platform, IoT platform, grid app)
 * would. It never talks to the command-centre server: whatever the wall shows of it came through the
 * integration contract, exactly like production data.
 */

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /**
   * Everyday activities per minute at speed 1, averaged over the day (new reports, check-ins,
   * ratings, camera flaps, IoT alarms); quieter at night, busier mid-morning. Lifecycle transitions
   * come on top, when each case is due. Default 1 (a township of ≈7,000 households: ≈140 reports,
   * ≈1,000 check-ins a day).
   */
  rate?: number
  /** Time-lapse factor for demos: activities come `speed` times as often and cases move `speed` times faster. Default 1. */
  speed?: number
  /** Seed of the simulator's choices (default: from the clock; determinism is not needed here). */
  seed?: number
  /** The clock (default: the system clock). */
  clock?: () => Date
  /** Seconds between camera heartbeat syncs (as a video platform batches them); 0 turns them off. Default 300. */
  heartbeatSeconds?: number
  /** Called for each failed step; the simulator carries on. Default: one line to stderr. */
  onError?: (error: unknown) => void
}

/** Counters of what the simulator wrote. */
export interface SimulatorStats {
  reports: number
  transitions: number
  ratings: number
  cameraChanges: number
  heartbeats: number
  alarmsRaised: number
  alarmsCleared: number
  checkins: number
  errors: number
}

/** A running simulator. */
export interface Simulator {
  /** Resolves once the simulator has read the township and started (rejects if it cannot). */
  readonly ready: Promise<void>
  readonly stats: Readonly<SimulatorStats>
  /** Stops the timers and waits for the step in progress. */
  stop: () => Promise<void>
}

const MINUTE = 60_000
const HOUR = 3_600_000
// Activity by local hour (relative): the township's working day.
const HOURLY = [0.15, 0.1, 0.08, 0.07, 0.08, 0.2, 0.6, 1.3, 2.6, 3.4, 3.5, 2.9, 1.6, 1.6, 2.9, 3.3, 3.1, 2.4, 1.5, 1.2, 1.0, 0.7, 0.4, 0.25]
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24
const OPEN = OPEN_STATUSES as readonly string[]

type Activity = 'report' | 'checkin' | 'rating' | 'camera' | 'alarm'
const ACTIVITIES: Activity[] = ['report', 'checkin', 'rating', 'camera', 'alarm']
// ≈1,440 activities a day at rate 1: ≈145 reports, ≈980 check-ins, ≈145 ratings attempts, ≈115 camera events, ≈30 alarms.
const ACTIVITY_WEIGHTS = [0.1, 0.68, 0.1, 0.08, 0.02]

const SOURCES: CaseSource[] = ['app', 'hotline', 'grid_patrol', 'camera', 'walk_in']
const SOURCE_WEIGHTS = [0.25, 0.15, 0.4, 0.12, 0.08]

/** Mean delays (minutes of simulated time) before a case leaves each status, by urgency. */
const MEAN_DELAY_MIN = {
  reported: { urgent: 3, other: 25 },
  accepted: { urgent: 3, other: 20 },
  dispatched: { urgent: 8, other: 90 },
} as const

interface GridInfo { id: number, villageId: number, villageName: string, township: string, label: [number, number], boundary: Polygon | null, households: number }
interface WorkerInfo { id: number, gridId: number, name: string, phone: string }
interface OpenCase { id: number, status: CaseStatus, level: CaseLevel, reported_at: Date, updated_at: Date }
interface OpenAlarm { id: number, kind: AlarmKind, status: string, raised_at: Date, acknowledged_at: Date | null, updated_at: Date }

/** A deterministic uniform in [0, 1) for a case (or alarm) and a purpose: per-case decisions need no state. */
function hash01(id: number, salt: number): number {
  let h = (Math.imul(id ^ 0x5BD1E995, 0x9E3779B1) ^ Math.imul(salt + 1, 0x85EBCA6B)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7FEB352D) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846CA68B) >>> 0
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}

/** An exponential delay with the given mean, fixed per case and purpose. */
function delayOf(id: number, salt: number, mean: number): number {
  return -Math.log(1 - hash01(id, salt)) * mean
}

/** Starts writing activity into `db`; returns at once (see `ready`). */
export function startSimulator(db: Database, options: SimulatorOptions = {}): Simulator {
  const rate = options.rate ?? 1
  const speed = options.speed ?? 1
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new RangeError(`rate must be a positive number of events per minute, got ${rate}`)
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`speed must be a positive number, got ${speed}`)
  const clock = options.clock ?? (() => new Date())
  const rng = createRandom(options.seed ?? (Date.now() >>> 0))
  const onError = options.onError ?? ((error: unknown) => console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`))
  const stats: SimulatorStats = { reports: 0, transitions: 0, ratings: 0, cameraChanges: 0, heartbeats: 0, alarmsRaised: 0, alarmsCleared: 0, checkins: 0, errors: 0 }
  const heartbeatMs = (options.heartbeatSeconds ?? 300) * 1000

  let stopped = false
  let chain: Promise<void> = Promise.resolve()
  const timers = new Set<NodeJS.Timeout>()
  let grids: GridInfo[] = []
  let gridCum: number[] = []
  let workers: WorkerInfo[] = []
  const workersByGrid = new Map<number, WorkerInfo>()
  const categoryIds = new Map<string, number>()
  const sequences = new Map<string, number>()

  /** Runs one step after the previous one: PGlite is one connection, and steps touch the same rows. */
  const enqueue = (step: () => Promise<void>): Promise<void> => {
    chain = chain.then(async () => {
      if (stopped)
        return
      try {
        await step()
      }
      catch (error) {
        stats.errors++
        onError(error)
      }
    })
    return chain
  }
  const schedule = (fn: () => void, ms: number): void => {
    if (stopped)
      return
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, Math.max(1, ms))
    timers.add(timer)
  }

  const now = (): Date => new Date(Math.round(clock().getTime() / 1000) * 1000)
  // A write never goes back in time, whatever the clock says: events stay monotonic per case.
  const after = (t: Date, previous: Date): Date => new Date(Math.max(t.getTime(), previous.getTime() + 1000))

  async function load(): Promise<void> {
    const { rows } = await db.query<{ id: number, village_id: number, village_name: string, township: string, label_lat: number, label_lon: number, center_lat: number, center_lon: number, boundary: Polygon | string | null, households: number | null }>(
      `select g.id, g.village_id, v.name as village_name, t.code as township, g.label_lat, g.label_lon,
              v.center_lat, v.center_lon, g.boundary, p.households
       from grids g join villages v on v.id = g.village_id join townships t on t.id = v.township_id
       left join grid_population p on p.grid_id = g.id
       where g.active order by g.id`,
    )
    if (rows.length === 0)
      throw new Error('the database holds no township (no grids); run `npm run mock` first')
    grids = rows.map(r => ({
      id: r.id,
      villageId: r.village_id,
      villageName: r.village_name,
      township: r.township,
      label: [r.label_lon ?? r.center_lon, r.label_lat ?? r.center_lat],
      boundary: typeof r.boundary === 'string' ? JSON.parse(r.boundary) as Polygon : r.boundary,
      households: Math.max(1, r.households ?? 1),
    }))
    let acc = 0
    gridCum = grids.map((g) => {
      acc += g.households
      return acc
    })
    const w = await db.query<{ id: number, grid_id: number, name: string, phone: string | null }>(`select id, grid_id, name, phone from grid_workers where active and grid_id is not null order by id`)
    workers = w.rows.map(r => ({ id: r.id, gridId: r.grid_id, name: r.name, phone: r.phone ?? '' }))
    for (const worker of workers) {
      if (!workersByGrid.has(worker.gridId))
        workersByGrid.set(worker.gridId, worker)
    }
    const c = await db.query<{ id: number, code: string }>(`select id, code from case_categories where active`)
    for (const row of c.rows)
      categoryIds.set(row.code, row.id)
  }

  function pickGrid(): GridInfo {
    const target = rng.next() * gridCum[gridCum.length - 1]!
    let lo = 0
    let hi = gridCum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (gridCum[mid]! <= target)
        lo = mid + 1
      else hi = mid
    }
    return grids[lo]!
  }

  function pointIn(grid: GridInfo, sigma: number): [number, number] {
    for (let i = 0; i < 8; i++) {
      const p = jitter(rng, grid.label, sigma)
      if (!grid.boundary || pointInPolygon(p[0], p[1], grid.boundary))
        return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]
    }
    return grid.label
  }

  async function nextCode(q: Queryable, township: string, at: Date): Promise<string> {
    const day = localDateKey(at).slice(2)
    const prefix = `${township}-${day}-`
    let seq = sequences.get(prefix)
    if (seq === undefined) {
      const { rows } = await q.query<{ code: string | null }>(`select max(code) as code from cases where code like $1`, [`${prefix}%`])
      seq = Number(rows[0]?.code?.slice(prefix.length) ?? 0) || 0
    }
    seq++
    sequences.set(prefix, seq)
    return `${prefix}${String(seq).padStart(4, '0')}`
  }

  /** Inserts a new case and its first event; returns its id. */
  async function report(q: Queryable, at: Date, grid: GridInfo, point: [number, number], categoryCode: string, level: CaseLevel, source: CaseSource): Promise<number> {
    const category = categoryByCode(categoryCode)
    const categoryId = categoryIds.get(categoryCode) ?? categoryIds.values().next().value
    if (categoryId === undefined)
      throw new Error('the database has no case categories')
    const resident = source === 'app' || source === 'hotline' || source === 'walk_in'
    const worker = workersByGrid.get(grid.id)
    const address = householdAddress(rng, grid.villageName)
    const code = await nextCode(q, grid.township, at)
    const { rows } = await q.query<{ id: number }>(
      `insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at,
         reporter_name, reporter_phone, address, description, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'reported', $9, $10, $11, $12, $13, $9) returning id`,
      [code, categoryId, level, source, point[1], point[0], grid.id, grid.villageId, at,
        resident ? personName(rng) : source === 'grid_patrol' ? worker?.name ?? null : null,
        resident ? mobilePhone(rng) : source === 'grid_patrol' ? worker?.phone ?? null : null,
        address, `${address}：${category?.name ?? categoryCode}。${level === 'urgent' ? '情况紧急，请立即处置！' : '请尽快处理。'}`],
    )
    const id = rows[0]!.id
    const actor = resident ? 'resident' : source === 'grid_patrol' ? 'grid_worker' : 'system'
    await q.query(`insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at) values ($1, null, 'reported', $2, $3, $2)`, [id, at, actor])
    return id
  }

  async function newReport(): Promise<void> {
    const at = now()
    const mix = categoryMix(localParts(at).month).filter(m => categoryIds.has(m.category.code))
    if (mix.length === 0)
      return
    const { category } = rng.weighted(mix, mix.map(m => m.weight))
    const level = rng.weighted(CASE_LEVELS, CASE_LEVELS.map(l => category.levels[l]))
    let source = rng.weighted(SOURCES, SOURCE_WEIGHTS)
    const hour = localParts(at).hour
    if (source === 'grid_patrol' && (hour < 7 || hour >= 19))
      source = 'hotline'
    const grid = pickGrid()
    const sigma = classOf(category).code === 'traffic' ? 400 : 250
    await db.transaction(tx => report(tx, at, grid, pointIn(grid, sigma), category.code, level, source))
    stats.reports++
  }

  /** The simulated delay (ms, before speed-up) after which a case leaves its status. */
  function dueDelay(c: OpenCase): number {
    const urgent = c.level === 'urgent'
    const window = SLA_TIERS[c.level].resolveHours * HOUR
    // About 3 % of cases stall in processing (a hard dispute, a missing department) and go overdue.
    const stalled = hash01(c.id, 1) < 0.03
    switch (c.status) {
      case 'reported':
      case 'accepted':
      case 'dispatched':
        return delayOf(c.id, c.status.length, (urgent ? MEAN_DELAY_MIN[c.status].urgent : MEAN_DELAY_MIN[c.status].other) * MINUTE)
      case 'processing':
        return stalled ? window * (1.1 + hash01(c.id, 2)) : window * Math.min(0.8, Math.exp(Math.log(0.2) + 0.6 * (hash01(c.id, 3) * 2 - 1)))
      case 'fed_back':
        return window * 0.04 + delayOf(c.id, 4, 30 * MINUTE)
      default:
        return Number.POSITIVE_INFINITY
    }
  }

  function resolvedLevel(level: CaseLevel): ResolvedLevel {
    const above = { general: 0.0025, serious: 0.03, major: 0.28, urgent: 0.08 }[level]
    const r = rng.next()
    return r < above * 0.85 ? 'township' : r < above ? 'county' : rng.chance(0.6) ? 'grid' : 'village'
  }

  async function advance(c: OpenCase, at: Date): Promise<boolean> {
    let to: CaseStatus
    const sets: string[] = []
    const params: unknown[] = [c.id, c.status]
    let actor: ActorRole = 'dispatcher'
    let note: string | null = null
    switch (c.status) {
      case 'reported':
        to = hash01(c.id, 5) < 0.025 ? 'cancelled' : 'accepted'
        params.push(at)
        sets.push(to === 'cancelled' ? `closed_at = $3` : `accepted_at = $3`)
        break
      case 'accepted':
        to = 'dispatched'
        params.push(at, deadline(c.level, at))
        sets.push('dispatched_at = $3', 'sla_deadline = $4')
        break
      case 'dispatched':
        to = 'processing'
        actor = hash01(c.id, 6) < 0.6 ? 'grid_worker' : 'village'
        break
      case 'processing':
        to = 'fed_back'
        actor = hash01(c.id, 6) < 0.6 ? 'grid_worker' : 'village'
        break
      case 'fed_back': {
        // 核查不通过: about 4 % are returned once for rework (never twice: the note marks it).
        const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from case_events where case_id = $1 and from_status = 'fed_back' and to_status = 'processing'`, [c.id])
        if ((rows[0]?.n ?? 0) === 0 && hash01(c.id, 7) < 0.04) {
          to = 'processing'
          note = '核查不通过，退回重办'
        }
        else {
          to = 'closed'
          const level = resolvedLevel(c.level)
          params.push(at, level)
          sets.push('closed_at = $3', 'resolved_level = $4')
        }
        break
      }
      default:
        return false
    }
    if (!isLegalTransition(c.status, to))
      throw new Error(`simulator bug: ${c.status} → ${to}`)
    sets.push(`status = '${to}'`, `updated_at = $${params.length + 1}`)
    params.push(at)
    return db.transaction(async (tx) => {
      // Conditional on the status read, so that another writer's change is never overwritten.
      const updated = await tx.query(`update cases set ${sets.join(', ')} where id = $1 and status = $2`, params)
      if (updated.affectedRows === 0)
        return false
      await tx.query(
        `insert into case_events (case_id, from_status, to_status, at, actor_role, note, updated_at) values ($1, $2, $3, $4, $5, $6, $4)`,
        [c.id, c.status, to, at, actor, note],
      )
      return true
    })
  }

  async function advanceDue(): Promise<void> {
    const t = now()
    const fastest = 2 * MINUTE / speed
    const { rows } = await db.query<OpenCase>(
      `select id, status, level, reported_at, updated_at from cases
       where status = any($1) and updated_at < $2 order by updated_at, id limit 400`,
      [OPEN, new Date(t.getTime() - fastest)],
    )
    let moved = 0
    for (const c of rows) {
      if (moved >= 25 || stopped)
        break
      const updatedAt = c.updated_at instanceof Date ? c.updated_at : new Date(c.updated_at)
      if (updatedAt.getTime() + dueDelay(c) / speed > t.getTime())
        continue
      if (await advance({ ...c, updated_at: updatedAt }, after(t, updatedAt))) {
        stats.transitions++
        moved++
      }
    }
    await advanceAlarms(t)
  }

  const ALARM_TIMES: Record<AlarmKind, { ack: number, clear: number }> = {
    elderly_call: { ack: 3 * MINUTE, clear: 25 * MINUTE },
    gas: { ack: 5 * MINUTE, clear: 60 * MINUTE },
    smoke: { ack: 4 * MINUTE, clear: 30 * MINUTE },
    water_level: { ack: 15 * MINUTE, clear: 8 * HOUR },
  }

  async function advanceAlarms(t: Date): Promise<void> {
    const { rows } = await db.query<OpenAlarm>(`select id, kind, status, raised_at, acknowledged_at, updated_at from iot_alarms where status <> 'cleared' order by raised_at, id limit 200`)
    for (const a of rows) {
      const times = ALARM_TIMES[a.kind]
      const updatedAt = new Date(a.updated_at)
      if (a.status === 'active' && updatedAt.getTime() + delayOf(a.id, 8, times.ack) / speed <= t.getTime()) {
        const at = after(t, updatedAt)
        await db.query(`update iot_alarms set status = 'acknowledged', acknowledged_at = $2, updated_at = $2 where id = $1 and status = 'active'`, [a.id, at])
      }
      else if (a.status === 'acknowledged' && updatedAt.getTime() + delayOf(a.id, 9, times.clear) / speed <= t.getTime()) {
        const at = after(t, updatedAt)
        await db.query(`update iot_alarms set status = 'cleared', cleared_at = $2, updated_at = $2 where id = $1 and status = 'acknowledged'`, [a.id, at])
        stats.alarmsCleared++
      }
    }
  }

  async function checkin(): Promise<void> {
    if (workers.length === 0)
      return
    const worker = rng.pick(workers)
    const grid = grids.find(g => g.id === worker.gridId)
    if (!grid)
      return
    const at = now()
    const hour = localParts(at).hour
    const duty = hour >= 8 && hour < 18 ? (rng.chance(0.95) ? 'on_duty' : 'off_duty') : (rng.chance(0.25) ? 'on_duty' : 'off_duty')
    const [lon, lat] = pointIn(grid, 300)
    await db.query(
      `update grid_workers set duty_status = $2, last_checkin_at = $3, last_checkin_lat = $4, last_checkin_lon = $5, updated_at = $3 where id = $1`,
      [worker.id, duty, at, lat, lon],
    )
    stats.checkins++
  }

  async function rateCase(): Promise<void> {
    const at = now()
    const { rows } = await db.query<{ id: number, closed_at: Date, sla_deadline: Date | null }>(
      `select id, closed_at, sla_deadline from cases
       where status = 'closed' and rating is null and source in ('app', 'hotline', 'walk_in')
         and closed_at > $1 and closed_at < $2 order by closed_at, id limit 20`,
      [new Date(at.getTime() - 3 * 24 * HOUR), new Date(at.getTime() - 10 * MINUTE / speed)],
    )
    // Not every resident rates: a fixed 85 % of cases, the rest stay unrated.
    const c = rows.find(r => hash01(r.id, 10) < 0.85)
    if (!c)
      return
    const overdue = c.sla_deadline !== null && new Date(c.closed_at) > new Date(c.sla_deadline)
    const bad = overdue ? 0.2 : 0.03
    const r = rng.next()
    const rating = r < bad ? 'dissatisfied' : r < bad + 0.08 ? 'basically_satisfied' : 'satisfied'
    const ratedAt = after(at, new Date(c.closed_at))
    await db.query(`update cases set rating = $2, rated_at = $3, updated_at = $3 where id = $1 and rating is null`, [c.id, rating, ratedAt])
    stats.ratings++
  }

  async function camera(): Promise<void> {
    const at = now()
    const { rows } = await db.query<{ total: number, offline: number, alarm: number }>(
      `select count(*)::int as total, count(*) filter (where status = 'offline')::int as offline, count(*) filter (where status = 'alarm')::int as alarm from cameras where active`,
    )
    const s = rows[0]
    if (!s || s.total === 0)
      return
    // Keep the online rate near 95 %: flap the side that is over its share.
    let from: string
    let to: string
    if (s.alarm > 0 && rng.chance(0.3)) {
      from = 'alarm'
      to = 'online'
    }
    else if (rng.chance(0.1)) {
      from = 'online'
      to = 'alarm'
    }
    else if (s.offline / s.total > 0.045) {
      from = 'offline'
      to = 'online'
    }
    else {
      from = 'online'
      to = 'offline'
    }
    const pick = await db.query<{ id: number }>(`select id from cameras where active and status = $1 order by random() limit 1`, [from])
    const id = pick.rows[0]?.id
    if (id === undefined)
      return
    // An offline camera keeps its last heartbeat; one coming back reports a fresh one.
    await db.query(
      `update cameras set status = $2, updated_at = $3${to === 'offline' ? '' : ', last_heartbeat_at = $3'} where id = $1 and status = $4`,
      [id, to, at, from],
    )
    stats.cameraChanges++
  }

  async function alarm(): Promise<void> {
    const at = now()
    const month = localParts(at).month
    const flood = [0.2, 0.2, 0.4, 0.7, 1.3, 2.4, 2.8, 2.2, 1.2, 0.5, 0.3, 0.2][month - 1]!
    const kind = rng.weighted<AlarmKind>(['elderly_call', 'gas', 'smoke', 'water_level'], [0.55, 0.12, 0.15, 0.18 * flood])
    const grid = pickGrid()
    const point = pointIn(grid, 300)
    const threshold = kind === 'water_level' ? Math.round(rng.range(2.5, 6) * 10) / 10 : kind === 'gas' ? 20 : kind === 'smoke' ? 3 : null
    const value = kind === 'water_level' ? Math.round((threshold! + rng.exponential(0.4)) * 100) / 100 : kind === 'gas' ? Math.round(rng.range(20, 60)) : kind === 'smoke' ? Math.round(rng.range(3, 12) * 10) / 10 : null
    const escalate = rng.chance({ elderly_call: 0.08, gas: 0.3, smoke: 0.25, water_level: 0.2 }[kind])
    await db.transaction(async (tx) => {
      let caseId: number | null = null
      if (escalate) {
        const code = { elderly_call: 'livelihood.elderly', gas: 'safety.gas', smoke: 'safety.fire', water_level: 'safety.flood' }[kind]
        caseId = await report(tx, at, grid, point, code, rng.chance(0.6) ? 'urgent' : 'general', 'iot')
        stats.reports++
      }
      await tx.query(
        `insert into iot_alarms (device_code, kind, status, raised_at, lat, lon, grid_id, village_id, value, threshold, case_id, address, updated_at)
         values ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9, $10, $11, $3)`,
        [`IOT-${kind.toUpperCase()}-SIM-${String(rng.int(1, 9999)).padStart(4, '0')}`, kind, at, point[1], point[0], grid.id, grid.villageId, value, threshold, caseId, kind === 'water_level' ? null : householdAddress(rng, grid.villageName)],
      )
    })
    stats.alarmsRaised++
  }

  async function heartbeat(): Promise<void> {
    const at = now()
    const result = await db.query(
      `update cameras set last_heartbeat_at = $1, updated_at = $1 where active and status <> 'offline' and (last_heartbeat_at is null or last_heartbeat_at < $2)`,
      [at, new Date(at.getTime() - heartbeatMs)],
    )
    stats.heartbeats += result.affectedRows ?? 0
  }

  const activities: Record<Activity, () => Promise<void>> = { report: newReport, checkin, rating: rateCase, camera, alarm }

  function activityLoop(): void {
    const hour = localParts(clock()).hour
    const perMinute = rate * speed * (HOURLY[hour]! / HOURLY_MEAN)
    schedule(() => {
      void enqueue(activities[rng.weighted(ACTIVITIES, ACTIVITY_WEIGHTS)]).then(activityLoop)
    }, rng.exponential(MINUTE / perMinute))
  }
  function dueLoop(): void {
    schedule(() => {
      void enqueue(advanceDue).then(dueLoop)
    }, Math.max(200, 30_000 / speed))
  }
  function heartbeatLoop(): void {
    if (heartbeatMs <= 0)
      return
    schedule(() => {
      void enqueue(heartbeat).then(heartbeatLoop)
    }, Math.min(heartbeatMs, 60_000))
  }

  const ready = load().then(() => {
    activityLoop()
    dueLoop()
    heartbeatLoop()
  })
  // Steps queue behind the initial read; a failed read is reported through `ready` alone.
  chain = ready.catch(() => {})

  return {
    ready,
    stats,
    async stop() {
      stopped = true
      for (const timer of timers)
        clearTimeout(timer)
      timers.clear()
      await chain
    },
  }
}

interface CliOptions { rate: number, speed: number, seed: number | undefined, url: string | undefined, dataDir: string, duration: number | undefined }

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined)
    return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${value}"`)
  return n
}

function parseCli(argv: string[]): CliOptions {
  const { str } = parseOptions(argv, ['rate', 'speed', 'seed', 'database-url', 'data-dir', 'duration'])
  const seed = str('seed')
  if (seed !== undefined && !/^\d+$/.test(seed))
    throw new UsageError(`--seed must be a non-negative integer, got "${seed}"`)
  return {
    rate: number('rate', str('rate'), 1),
    speed: number('speed', str('speed'), 1),
    seed: seed === undefined ? undefined : Number(seed),
    url: str('database-url') ?? (process.env.DATABASE_URL || undefined),
    dataDir: str('data-dir') ?? '.data/pglite',
    duration: str('duration') === undefined ? undefined : number('duration', str('duration'), 0),
  }
}

async function main(argv: string[]): Promise<number> {
  let options: CliOptions
  try {
    options = parseCli(argv)
  }
  catch (error) {
    console.error(`simulate: ${(error as Error).message}`)
    return 2
  }
  const { openDatabase } = await import('../server/src/db/index.ts')
  let db: Database
  try {
    db = await openDatabase(options.url ? { url: options.url } : { dataDir: options.dataDir })
  }
  catch (error) {
    const where = options.url ? redactUrl(options.url) : options.dataDir
    console.error(`simulate: cannot open the database at ${where}: ${describeError(error)}`)
    return 2
  }
  const simulator = startSimulator(db, { rate: options.rate, speed: options.speed, seed: options.seed })
  try {
    await simulator.ready
  }
  catch (error) {
    const message = (error as Error).message
    console.error(`simulate: ${/does not exist/.test(message) ? 'the database holds no township (no contract tables); run `npm run mock` first' : message}`)
    await simulator.stop()
    await db.close()
    return 2
  }
  console.log(`simulate: writing ≈${options.rate}/min × speed ${options.speed} into ${options.url ? redactUrl(options.url) : options.dataDir}; Ctrl-C stops`)
  await new Promise<void>((resolve) => {
    const done = (): void => resolve()
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    if (options.duration !== undefined)
      setTimeout(done, options.duration * 1000).unref()
    const report = setInterval(() => console.log(`simulate: ${JSON.stringify(simulator.stats)}`), 60_000)
    report.unref()
  })
  await simulator.stop()
  await db.close()
  console.log(`simulate: stopped ${JSON.stringify(simulator.stats)}`)
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  }, (error: unknown) => {
    console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
}
