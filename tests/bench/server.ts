/**
 * `npm run bench`: the aggregation server's figures, written to bench/results/server.{json,md}.
 * Medians of repeated runs; every comparison is a ratio measured in the same run (the machine is
 * shared and noisy). Needs the PostgreSQL and (for nothing else) Redis of this machine; `--scale
 * township` for a quick run, county (≈1M cases) by default.
 */
import type { Database } from '../../server/src/db/types.ts'
import type { Frame } from '#wire'
import type { Change, CaseRow } from '../../server/src/contract/rows.ts'
import type { RunningServer } from '../harness/server.ts'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { io } from 'socket.io-client'
import { runMockCli } from '../../mock/cli.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { buildEngine, MetricsEngine } from '../../server/src/metrics/engine.ts'
import { heatBins, overview } from '../../server/src/metrics/views.ts'
import { ContractSource } from '../../server/src/sources/source.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { startServer } from '../harness/server.ts'

const args = process.argv.slice(2)
const scale = args.includes('--scale') ? args[args.indexOf('--scale') + 1] : 'county'
const skipEmbedded = args.includes('--skip-embedded')
const logger = pino({ level: 'silent' })

interface Result { name: string, value: number | string, unit: string, target?: string, note?: string }
const results: Result[] = []
function record(result: Result): void {
  results.push(result)
  console.log(`bench: ${result.name}: ${typeof result.value === 'number' ? round(result.value) : result.value} ${result.unit}${result.target ? ` (target ${result.target})` : ''}`)
}

function round(n: number): number {
  return n >= 100 ? Math.round(n) : Math.round(n * 100) / 100
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}

async function seed(target: { url?: string, dataDir?: string }, scaleName: string): Promise<number> {
  const geodata = mkdtempSync(join(tmpdir(), 'bench-geo-'))
  const argv = ['--seed', '7', '--scale', scaleName, '--force', '--geodata-dir', geodata]
  if (target.url)
    argv.push('--database-url', target.url)
  else
    argv.push('--data-dir', target.dataDir!)
  const started = performance.now()
  const code = await runMockCli(argv)
  rmSync(geodata, { recursive: true, force: true })
  if (code !== 0)
    throw new Error(`seeding failed (${code})`)
  return performance.now() - started
}

/** The overview figures by per-request SQL, as a polling dashboard computes them. */
const OVERVIEW_SQL = `
with today as (select (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai') as t0)
select
  (select count(*) from cases, today where reported_at >= t0) as today_new,
  (select count(*) from cases where status in ('reported','accepted','dispatched','processing','fed_back')) as open,
  (select count(*) from cases where status in ('reported','accepted','dispatched','processing','fed_back') and sla_deadline <= now()) as overdue,
  (select count(*) filter (where closed_at <= sla_deadline) * 1.0 / nullif(count(*), 0) from cases, today where status = 'closed' and sla_deadline is not null and closed_at >= t0 - interval '29 days') as within_sla,
  (select count(*) filter (where resolved_level in ('grid','village')) * 1.0 / nullif(count(*), 0) from cases, today where status = 'closed' and resolved_level is not null and closed_at >= t0 - interval '29 days') as village_level,
  (select count(*) filter (where rating in ('satisfied','basically_satisfied')) * 1.0 / nullif(count(*), 0) from cases, today where rating is not null and rated_at >= t0 - interval '29 days') as satisfaction,
  (select count(*) filter (where status = 'online') from cameras where active) as cameras_online,
  (select count(*) from grid_workers where active and duty_status = 'on_duty') as on_duty,
  (select sum(households) from grid_population) as households,
  (select count(*) from party_members where active) as members,
  (select count(*) from iot_alarms where status in ('active','acknowledged')) as alarms`

async function snapshotBench(db: Database, label: string, runs: number): Promise<ReturnType<typeof buildEngine>> {
  const times: number[] = []
  let engine: ReturnType<typeof buildEngine> | undefined
  let loaded = 0
  for (let i = 0; i < runs; i++) {
    const source = new ContractSource(db, logger)
    const { ms } = await time(async () => {
      const snapshot = await source.snapshot()
      loaded = snapshot.rows.cases.length
      engine = buildEngine(snapshot.rows, Date.now())
    })
    times.push(ms)
  }
  const total = await db.query<{ n: number }>('select count(*) as n from cases')
  record({ name: `snapshot build on ${label} (${total.rows[0]!.n} cases in the contract, ${loaded} loaded)`, value: median(times), unit: 'ms', target: label === 'PostgreSQL' ? '≤ 3000 ms' : undefined, note: `median of ${runs}` })
  return engine!
}

function applyBench(engine: ReturnType<typeof buildEngine>): void {
  const open = [...engine.cases.values()].map(e => e.row).filter(r => r.status !== 'closed' && r.status !== 'cancelled')
  const template = open[0] ?? [...engine.cases.values()][0]!.row
  const perRun = 100_000
  const times: number[] = []
  let nextId = 900_000_000
  for (let run = 0; run < 7; run++) {
    const changes: Change[] = []
    for (let i = 0; i < perRun; i++) {
      if (i % 2 === 0 && open.length > 0) {
        const row = open[i % open.length]!
        changes.push({ table: 'cases', op: 'upsert', row: { ...row, status: row.status === 'processing' ? 'fed_back' : 'processing' } })
      }
      else {
        const row: CaseRow = { ...template, id: nextId++, code: `B${nextId}`, status: 'reported', reported_at: Date.now() - (i % 1000) * 60_000, lat: template.lat + (i % 97) * 1e-4, lon: template.lon + (i % 89) * 1e-4 }
        changes.push({ table: 'cases', op: 'upsert', row })
      }
    }
    const started = performance.now()
    for (const change of changes)
      engine.apply(change)
    times.push(((performance.now() - started) * 1000) / perRun)
  }
  record({ name: 'apply one change to the in-memory state', value: median(times), unit: 'µs', target: '≤ 20 µs', note: `median of 7 runs × ${perRun} changes (half updates of open cases, half new cases)` })
}

async function baselineBench(db: Database, engine: ReturnType<typeof buildEngine>): Promise<void> {
  const sqlTimes: number[] = []
  for (let i = 0; i < 15; i++)
    sqlTimes.push((await time(() => db.query(OVERVIEW_SQL))).ms)
  const memoryTimes: number[] = []
  for (let i = 0; i < 200; i++) {
    const started = performance.now()
    overview(engine)
    memoryTimes.push(performance.now() - started)
  }
  const sqlMs = median(sqlTimes)
  const memMs = median(memoryTimes)
  record({ name: 'overview by per-request SQL (a polling dashboard)', value: sqlMs, unit: 'ms', note: 'median of 15' })
  record({ name: 'overview from memory', value: memMs, unit: 'ms', note: 'median of 200' })
  record({ name: 'latency ratio SQL / memory', value: sqlMs / memMs, unit: '×' })
  // A polling dashboard: 50 screens × 9 panels, each refreshed every 10 s, one query each.
  const pollingQps = (50 * 9) / 10
  record({ name: 'database queries/s, 50 screens, polling dashboard (9 panels every 10 s)', value: pollingQps, unit: 'q/s', note: `≈ ${round(pollingQps * sqlMs / 1000)} s of database time per second at the measured query cost` })
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function queriesBy(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const result = await client.query<{ n: string }>(`select sum(xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`)
  await client.end()
  return Number(result.rows[0]!.n)
}

async function latencyBench(url: string, mode: 'notify' | 'poll', batching: boolean, clients: number, perSecond: number, seconds: number): Promise<{ p50: number, p99: number, cpu: number, received: number }> {
  let server: RunningServer | undefined
  const sockets: ReturnType<typeof io>[] = []
  try {
    server = await startServer({ env: { DATABASE_URL: url, CHANGE_CAPTURE: mode, POLL_INTERVAL_MS: '1000' }, entry: batching ? 'product' : { script: 'tests/bench/unbatched-server.ts' } })
    const commits = new Map<string, number>()
    const latencies: number[] = []
    for (let i = 0; i < clients; i++) {
      const socket = io(server.url, { transports: ['websocket'], reconnection: false })
      const seen = new Set<string>()
      socket.on('frame', (frame: Frame) => {
        if (frame.topic !== 'cases')
          return
        const now = Date.now()
        for (const c of (frame as Frame<'cases'>).data.added) {
          const committed = commits.get(c.code)
          if (committed !== undefined && !seen.has(c.code)) {
            seen.add(c.code)
            latencies.push(now - committed)
          }
        }
      })
      await new Promise<void>(resolve => socket.once('connect', () => resolve()))
      socket.emit('subscribe', ['cases', 'overview'])
      sockets.push(socket)
    }
    const writer = new pg.Client({ connectionString: url })
    await writer.connect()
    const ids = await writer.query<{ village_id: number, id: number }>('select id, village_id from grids order by id limit 1')
    const grid = ids.rows[0]!
    const category = (await writer.query<{ id: number }>('select id from case_categories where parent_id is not null order by id limit 1')).rows[0]!.id
    const cpuBefore = cpuSeconds(server.process.pid!)
    const started = Date.now()
    let n = 0
    while (Date.now() - started < seconds * 1000) {
      const due = started + (n * 1000) / perSecond
      const wait = due - Date.now()
      if (wait > 0)
        await new Promise(resolve => setTimeout(resolve, wait))
      const code = `BENCH-${mode}-${batching ? 'f' : 'e'}-${n}`
      await writer.query(`insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, updated_at) values ($1, $2, 'general', 'app', 29.4, 111.1, $3, $4, 'reported', now(), now())`, [code, category, grid.id, grid.village_id])
      commits.set(code, Date.now())
      n++
    }
    await new Promise(resolve => setTimeout(resolve, mode === 'poll' ? 2500 : 1500))
    const cpu = cpuSeconds(server.process.pid!) - cpuBefore
    await writer.end()
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpu, received: latencies.length / (n * clients) }
  }
  finally {
    for (const socket of sockets)
      socket.close()
    await server?.stop()
  }
}

/**
 * Heat for 1M cases on the server: binning each case into its cell and day as the engine does
 * when a case arrives, then the 30-day bins a screen asks for (summed over the days, sorted).
 * The client's share (raster, blur, colour) is in the screen benchmark.
 */
export function heatBench(cases = 1_000_000): { binMs: number, binsMs: number, cells: number, bytes: number } {
  const engine = new MetricsEngine(Date.now())
  // A county of ≈ 40 × 30 km, cases around 40 towns and villages, over the last 30 days.
  let seed = 11
  const r = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return seed / 2 ** 31
  }
  const spots = Array.from({ length: 40 }, () => [110.9 + r() * 0.4, 29.3 + r() * 0.27] as const)
  const lon = new Float64Array(cases)
  const lat = new Float64Array(cases)
  const day = new Int32Array(cases)
  for (let i = 0; i < cases; i++) {
    const [x, y] = spots[i % spots.length]!
    const spread = r() * 0.05
    lon[i] = x + (r() - 0.5) * spread
    lat[i] = y + (r() - 0.5) * spread
    day[i] = engine.today - Math.floor(r() * 30)
  }
  const started = performance.now()
  for (let i = 0; i < cases; i++)
    engine.heat.add(day[i]!, engine.heatCell(lon[i]!, lat[i]!), 1)
  const binMs = performance.now() - started
  const times: number[] = []
  let bins = heatBins(engine, '30d', null)
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    bins = heatBins(engine, '30d', null)
    times.push(performance.now() - t0)
  }
  return { binMs, binsMs: median(times), cells: bins.cells.length, bytes: JSON.stringify(bins).length }
}

async function main(): Promise<void> {
  if (!(await postgresAvailable()))
    throw new Error('the benchmark needs the PostgreSQL server at 127.0.0.1:5432')
  const started = Date.now()

  const heat = heatBench()
  record({ name: 'heat: bin 1M cases into cells × days (server, as cases arrive)', value: heat.binMs, unit: 'ms', note: 'one-off at snapshot; then O(1) per case' })
  record({ name: 'heat: 30-day bins of those 1M cases for a screen (sum + sort)', value: heat.binsMs, unit: 'ms', note: `${heat.cells} cells, ${round(heat.bytes / 1024)} KiB of JSON; the client renders them in the screen benchmark` })

  // 1. Snapshot build at scale, on PostgreSQL, and the baseline a polling dashboard would use.
  const big = await createTestDatabase('cc_bench')
  try {
    const loadMs = await seed({ url: big.url }, scale!)
    record({ name: `generate + load the ${scale} into PostgreSQL (COPY)`, value: loadMs / 1000, unit: 's' })
    const db = await openDatabase({ url: big.url })
    const engine = await snapshotBench(db, 'PostgreSQL', 3)
    await baselineBench(db, engine)
    applyBench(engine)
    // Our server's own database load with 50 screens: measured below in the latency run (queries per second).
    await db.close()
  }
  finally {
    await big.drop()
  }

  // 2. The same on the embedded database.
  if (!skipEmbedded) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'))
    try {
      const loadMs = await seed({ dataDir: dir }, scale!)
      record({ name: `generate + load the ${scale} into the embedded database`, value: loadMs / 1000, unit: 's' })
      const db = await openDatabase({ dataDir: dir })
      await snapshotBench(db, 'the embedded database', 2)
      await db.close()
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  // 3. Commit → screen latency, 200 screens, 100 changes/s; framed vs one emit per change.
  const live = await createTestDatabase('cc_bench_live')
  try {
    await seed({ url: live.url }, 'township')
    const q0 = await queriesBy(live.url)
    const notify = await latencyBench(live.url, 'notify', true, 200, 100, 10)
    const q1 = await queriesBy(live.url)
    record({ name: 'commit → screen, NOTIFY, 200 screens, 100 changes/s: p50', value: notify.p50, unit: 'ms' })
    record({ name: 'commit → screen, NOTIFY, 200 screens, 100 changes/s: p99', value: notify.p99, unit: 'ms', target: '≤ 250 ms', note: `${round(notify.received * 100)} % of (screen, case) pairs received` })
    record({ name: 'database transactions/s during that run (the 100 writes included)', value: (q1 - q0) / 12, unit: 'tx/s', note: 'one change feed per server: screens add no database work' })
    const poll = await latencyBench(live.url, 'poll', true, 200, 100, 10)
    record({ name: 'commit → screen, polling every 1000 ms, 200 screens, 100 changes/s: p50', value: poll.p50, unit: 'ms' })
    record({ name: 'commit → screen, polling every 1000 ms, 200 screens, 100 changes/s: p99', value: poll.p99, unit: 'ms', target: '≤ 1250 ms (poll interval + 250)' })
    const perEvent = await latencyBench(live.url, 'notify', false, 200, 100, 10)
    record({ name: 'server CPU, framed (10 s at 100 changes/s, 200 screens)', value: notify.cpu, unit: 'CPU s' })
    record({ name: 'server CPU, one emit per change (same load)', value: perEvent.cpu, unit: 'CPU s' })
    record({ name: 'CPU ratio one-emit-per-change / framed', value: perEvent.cpu / notify.cpu, unit: '×' })
  }
  finally {
    await live.drop()
  }

  const report = {
    when: new Date().toISOString(),
    scale,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    minutes: Math.round((Date.now() - started) / 600) / 100,
    results,
  }
  mkdirSync('bench/results', { recursive: true })
  writeFileSync('bench/results/server.json', `${JSON.stringify(report, null, 2)}\n`)
  const md = [
    '# Aggregation server benchmark',
    '',
    `Run ${report.when} at ${scale} scale on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node} (${report.minutes} min). Medians; ratios from the same run.`,
    '',
    '| measure | value | target | note |',
    '|---|---|---|---|',
    ...results.map(r => `| ${r.name} | ${typeof r.value === 'number' ? round(r.value) : r.value} ${r.unit} | ${r.target ?? ''} | ${r.note ?? ''} |`),
    '',
  ].join('\n')
  writeFileSync('bench/results/server.md', md)
  console.log('bench: wrote bench/results/server.{json,md}')
}

await main()
process.exit(0)
