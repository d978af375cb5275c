/**
 * `npm run bench:history`: the time machine at county scale, written to bench/results/history.{json,md}.
 * A township seeded by the mock (registry, cameras, a year of its cases), then grown with plain SQL to a
 * county's ≈1M cases over a year (≈95k in the retained days) with their status history, so the run
 * stays near two minutes. Measured against the real server (a child process):
 * - the time to show the wall as of T (`/api/history/snapshot`, all topics): the first moment of a
 *   replay (an engine built from the case history), against the live wall's `/api/snapshot`;
 * - a 600× replay (a moment ten minutes later every second) by 1 and by 3 screens at different
 *   moments: the server's CPU, the answer's time, and the live wall untouched;
 * - the baseline in the same run: each step built from scratch (what the first slice did), in process.
 */
import type { RunningServer } from '../harness/server.ts'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { seedDatabase } from '../../mock/load.ts'
import { generateGeography } from '../../mock/geo/township.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { engineAsOf } from '../../server/src/metrics/as-of.ts'
import { DEFAULT_REPLAY_LIMITS, HistoryReplays, readSpan } from '../../server/src/metrics/replay.ts'
import { snapshotData } from '../../server/src/metrics/views.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { startServer } from '../harness/server.ts'

const DAY_MS = 86_400_000
/** Cases added by SQL to reach a county's year (20 townships, ≈1M cases a year). */
const COUNTY_CASES = Number(process.env.HISTORY_BENCH_CASES ?? 1_000_000)
const REPLAY_SECONDS = 10

interface Result { name: string, value: number | string, unit: string, note?: string }
const results: Result[] = []
function record(result: Result): void {
  results.push(result)
  console.log(`bench: ${result.name}: ${typeof result.value === 'number' ? round(result.value) : result.value} ${result.unit}`)
}
function round(n: number): number {
  return n >= 100 ? Math.round(n) : Math.round(n * 100) / 100
}
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Grows the township to a county's year of cases: one statement each for cases and their status history. */
async function growToCounty(db: Awaited<ReturnType<typeof openDatabase>>, now: number): Promise<void> {
  // A bulk load as a replica's would be: foreign keys and triggers off, the indexes built afterwards.
  const indexes = (await db.query<{ def: string, name: string }>(
    `select indexdef as def, indexname as name from pg_indexes where tablename in ('cases', 'case_events') and indexname not like '%_pkey' and indexname not like '%_key'`,
  )).rows
  for (const { name } of indexes)
    await db.exec(`drop index ${name}`)
  await db.transaction(async (tx) => {
    await tx.exec('set local session_replication_role = replica')
    await insertCounty(tx, now)
  })
  for (const { def } of indexes)
    await db.exec(def)
  await db.exec('analyze cases; analyze case_events')
}

async function insertCounty(db: Pick<Awaited<ReturnType<typeof openDatabase>>, 'query'>, now: number): Promise<void> {
  // Cases over the year before now: accepted after 10 min, dispatched after 30, a deadline 24 h after
  // reporting, closed 2–96 h after reporting (if that has come), rated an hour after closing (half).
  await db.query(`
    insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, accepted_at, dispatched_at, sla_deadline, closed_at, resolved_level, rating, rated_at, updated_at)
    select 'CTY' || g, cat.id, (array['general','general','general','serious','major','urgent'])[1 + g % 6], 'app',
           gr.lat, gr.lon, gr.id, gr.village_id,
           case when c.closed <= $1 then 'closed' when c.rep + interval '1 hour' <= $1 then 'processing' when c.rep + interval '30 minutes' <= $1 then 'dispatched' else 'reported' end,
           c.rep,
           case when c.rep + interval '10 minutes' <= $1 then c.rep + interval '10 minutes' end,
           case when c.rep + interval '30 minutes' <= $1 then c.rep + interval '30 minutes' end,
           case when c.rep + interval '30 minutes' <= $1 then c.rep + interval '24 hours' end,
           case when c.closed <= $1 then c.closed end,
           case when c.closed <= $1 then (array['grid','village','township','county'])[1 + g % 4] end,
           case when c.closed + interval '1 hour' <= $1 and g % 2 = 0 then (array['satisfied','basically_satisfied','dissatisfied'])[1 + g % 3] end,
           case when c.closed + interval '1 hour' <= $1 and g % 2 = 0 then c.closed + interval '1 hour' end,
           $1
    from (select g, $1::timestamptz - random() * interval '365 days' as rep, random() as r from generate_series(1, $2::int) as g) as s
    cross join lateral (select s.rep, s.rep + (2 + s.r * 94) * interval '1 hour' as closed) c
    cross join (select array_agg(id order by id) as ids from case_categories where parent_id is not null) cats
    cross join (select array_agg(id order by id) as ids, array_agg(village_id order by id) as villages,
                       array_agg(coalesce(label_lat, 29.35) order by id) as lats, array_agg(coalesce(label_lon, 111.05) order by id) as lons from grids) gs
    cross join lateral (select cats.ids[1 + s.g % cardinality(cats.ids)] as id) cat
    cross join lateral (select gs.ids[1 + s.g % cardinality(gs.ids)] as id, gs.villages[1 + s.g % cardinality(gs.ids)] as village_id,
                               gs.lats[1 + s.g % cardinality(gs.ids)] + (s.r - 0.5) * 0.01 as lat, gs.lons[1 + s.g % cardinality(gs.ids)] + (s.r - 0.5) * 0.01 as lon) gr`, [new Date(now), COUNTY_CASES])
  await db.query(`
    insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at)
    select c.id, e.from_status, e.to_status, e.at, 'dispatcher', e.at from cases c
    cross join lateral (values (null, 'reported', c.reported_at), ('reported', 'accepted', c.accepted_at), ('accepted', 'dispatched', c.dispatched_at),
                               ('dispatched', 'processing', case when c.status in ('processing', 'closed') then c.reported_at + interval '1 hour' end), ('processing', 'closed', c.closed_at)) as e(from_status, to_status, at)
    where c.code like 'CTY%' and e.at is not null`)
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}

/** A screen replaying at 600×: a moment ten minutes on each second, from where it is; the answers' times. */
class ReplayScreen {
  readonly ms: number[] = []
  constructor(private readonly server: RunningServer, private at: number) {}

  /** Asks for `count` moments at once one after the other (a start: the first is built, the next wait for the first span). */
  async warm(count: number): Promise<number[]> {
    const times: number[] = []
    for (let i = 0; i < count; i++)
      times.push(await this.ask())
    return times
  }

  /** Replays for `seconds` at one moment a second. */
  async play(seconds: number): Promise<void> {
    const began = Date.now()
    while (Date.now() - began < seconds * 1000) {
      const stepStart = Date.now()
      this.ms.push(await this.ask())
      await new Promise(resolve => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - stepStart))))
    }
  }

  private async ask(): Promise<number> {
    const { ms, value } = await timed(() => fetch(`${this.server.url}/api/history/snapshot?at=${encodeURIComponent(new Date(this.at).toISOString())}`))
    await value.arrayBuffer()
    if (!value.ok)
      throw new Error(`replay step refused: ${value.status}`)
    this.at += 600 * 1000
    return ms
  }
}

async function main(): Promise<void> {
  if (!(await postgresAvailable()))
    throw new Error('the benchmark needs the PostgreSQL server at 127.0.0.1:5432')
  const started = Date.now()
  const database = await createTestDatabase('cc_bench_history')
  let server: RunningServer | undefined
  try {
    const db = await openDatabase({ url: database.url })
    const now = Date.now()
    const seeding = await timed(async () => {
      await seedDatabase(db, generateTownshipData(generateGeography({ seed: 7 }), { seed: 7, now: new Date(now - 60_000) }))
      await growToCounty(db, now - 60_000)
    })
    const counts = (await db.query<{ cases: string, events: string, retained: string }>(
      `select (select count(*) from cases)::text as cases, (select count(*) from case_events)::text as events, (select count(*) from cases where reported_at >= now() - interval '35 days')::text as retained`,
    )).rows[0]!
    record({ name: 'seed: the mock township grown by SQL to a county\'s year', value: seeding.ms / 1000, unit: 's', note: `${counts.cases} cases (${counts.retained} in the last 35 days), ${counts.events} status changes` })

    server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0' } })
    const base = server.url
    const get = async (path: string): Promise<number> => {
      const { ms, value } = await timed(() => fetch(`${base}${path}`))
      const body = await value.arrayBuffer()
      if (!value.ok)
        throw new Error(`${path}: ${value.status} ${new TextDecoder().decode(body).slice(0, 200)}`)
      return ms
    }
    const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString())

    // The live wall's snapshot: the baseline a screen pays to show the present.
    const liveTimes: number[] = []
    for (let i = 0; i < 8; i++)
      liveTimes.push(await get('/api/snapshot'))
    const liveMs = median(liveTimes)
    record({ name: 'the live wall\'s snapshot (GET /api/snapshot, all topics)', value: liveMs, unit: 'ms', note: 'median of 8; the baseline' })

    // The wall as of T, at a moment no replay is near: an engine built from the case history.
    const moments = [1, 7, 30].map(days => now - days * DAY_MS)
    const firstMs: number[] = []
    for (const at of moments)
      firstMs.push(await get(`/api/history/snapshot?at=${iso(at)}`))
    record({ name: 'show the wall as of T, a new moment (yesterday, a week, 30 days ago)', value: median(firstMs), unit: 'ms', note: `each: ${firstMs.map(m => round(m)).join(', ')} ms; ${round(median(firstMs) / liveMs)} × the live snapshot` })
    // The next moment of a replay (ten minutes on): the engine moved forward.
    const stepMs: number[] = []
    for (let i = 1; i <= 5; i++)
      stepMs.push(await get(`/api/history/snapshot?at=${iso(moments[0]! + i * 600_000)}`))
    record({ name: 'the next moment of a replay (10 min on, the engine moved forward)', value: median(stepMs), unit: 'ms', note: `median of 5; ${round(median(firstMs) / median(stepMs))} × faster than a new moment` })

    // 600×: one screen, then three at different moments (each its own engine). Each starts (its first
    // moment built, the next two), then the server's CPU is measured while they replay.
    const pid = server.process.pid!
    for (const screens of [1, 3]) {
      const replaying = Array.from({ length: screens }, (_, i) => new ReplayScreen(server!, now - (3 + 8 * i) * DAY_MS))
      const starts = await Promise.all(replaying.map(async r => r.warm(3)))
      const cpu0 = cpuSeconds(pid)
      const wall0 = Date.now()
      await Promise.all(replaying.map(async r => r.play(REPLAY_SECONDS)))
      const cpu = (cpuSeconds(pid) - cpu0) / ((Date.now() - wall0) / 1000)
      const steps = replaying.flatMap(r => r.ms)
      const label = screens > 1 ? `${screens} screens at different moments` : '1 screen'
      record({ name: `600× replay, ${label}: server CPU while replaying`, value: cpu * 100, unit: '% of a core', note: `${REPLAY_SECONDS} s, ${steps.length} moments of ${screens === 1 ? 'one screen' : 'all'}` })
      record({ name: `600× replay, ${label}: each step's answer p50 / max`, value: `${round(median(steps))} / ${round(Math.max(...steps))}`, unit: 'ms', note: `the start (first moment built, then two steps): ${starts.map(s => s.map(m => round(m)).join(' → ')).join('; ')} ms` })
    }
    const live = await timed(() => fetch(`${base}/api/snapshot?topics=overview`).then(async r => r.json() as Promise<{ data: { overview: { asOf: string } } }>))
    record({ name: 'the live wall during and after the replays', value: Math.abs(Date.now() - Date.parse(live.value.data.overview.asOf)) < 60_000 ? 'current' : 'stale', unit: '', note: 'its overview as of now: replays never touch the live engine' })

    // The baseline in the same run, in process: every step of a 600× replay built from scratch (the
    // first slice) against the engine moved forward; and that both give the same wall.
    const options = { retentionDays: 35, feedSize: 30 }
    const replays = new HistoryReplays(db, () => options)
    const t0 = now - 2 * DAY_MS
    const scratch: number[] = []
    const forward: number[] = []
    let same = true
    await replays.withEngineAt(t0, () => null)
    for (let i = 1; i <= 4; i++) {
      const at = t0 + i * 600_000
      const a = await timed(() => replays.withEngineAt(at, e => JSON.stringify(snapshotData(e))))
      const b = await timed(async () => JSON.stringify(snapshotData((await engineAsOf(db, at, options)).engine)))
      forward.push(a.ms)
      scratch.push(b.ms)
      same &&= a.value === b.value
    }
    replays.close()
    const spanRead = await timed(() => readSpan(db, t0, t0 + DEFAULT_REPLAY_LIMITS.spanMs))
    record({ name: `what happened in ${DEFAULT_REPLAY_LIMITS.spanMs / 3_600_000} h of history, read once per span (in the background)`, value: spanRead.ms, unit: 'ms', note: `${spanRead.value.cases.length} cases touched; a 600× replay reads one every ${DEFAULT_REPLAY_LIMITS.spanMs / 600_000} s` })
    record({ name: 'a replay step built from scratch (the first slice), in process', value: median(scratch), unit: 'ms', note: 'median of 4; read + build + views' })
    record({ name: 'a replay step moved forward, in process', value: median(forward), unit: 'ms', note: `median of 4; ${round(median(scratch) / median(forward))} × less; the same wall as from scratch: ${same ? 'yes' : 'NO'}` })
    if (!same)
      throw new Error('a replay moved forward differs from the wall built from scratch')
    await db.close()
  }
  finally {
    await server?.stop()
    await database.drop()
  }

  const report = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    minutes: Math.round((Date.now() - started) / 600) / 100,
    results,
  }
  mkdirSync('bench/results', { recursive: true })
  writeFileSync('bench/results/history.json', `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync('bench/results/history.md', [
    '# Time machine benchmark',
    '',
    `Run ${report.when} at county scale on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node} (${report.minutes} min). Medians; ratios from the same run.`,
    '',
    '| measure | value | note |',
    '|---|---|---|',
    ...results.map(r => `| ${r.name} | ${typeof r.value === 'number' ? round(r.value) : r.value} ${r.unit} | ${r.note ?? ''} |`),
    '',
  ].join('\n'))
  console.log('bench: wrote bench/results/history.{json,md}')
}

await main()
process.exit(0)
