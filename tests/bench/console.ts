/**
 * `npx tsx tests/bench/console.ts [--short]`: the dispatch console's figures in the real browser
 * (Debian's Chromium, software WebGL) against a server on PostgreSQL with the mock township, written to
 * bench/results/console.{json,md}: console load to interactive, queue latency from a database commit
 * to the row on screen, and the 2D map's frame time with 10k cameras and 5k open cases. `--short`
 * (one load, three inserts, 2 s of frames) is for a shared machine; frame times only compare as
 * ratios within a run (software WebGL).
 */
import type { Page } from 'playwright-core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import pg from 'pg'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { launchBrowser } from '../harness/browser.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'

// What the page's code below touches (this file is type-checked without the DOM's types; the hooks
// are screen/src/console/map/bench.ts's).
interface FrameStats { frames: number, meanMs: number, p50Ms: number, p95Ms: number }
declare const window: {
  __consoleMap: { load: (cameras: number, cases: number, box: [number, number, number, number]) => void, measureFrames: (from: [number, number], to: [number, number], ms: number) => Promise<FrameStats> }
  __seen: Promise<number>
}
declare const document: { querySelector: (selector: string) => unknown, body: unknown }
declare class MutationObserver {
  constructor(callback: () => void)
  observe(target: unknown, options: { childList: boolean, subtree: boolean }): void
  disconnect(): void
}

const short = process.argv.includes('--short')
interface Result { name: string, value: number, unit: string, note?: string }
const results: Result[] = []
const round = (n: number): number => (n >= 100 ? Math.round(n) : Math.round(n * 100) / 100)
function record(result: Result): void {
  results.push(result)
  console.log(`bench: ${result.name}: ${round(result.value)} ${result.unit}${result.note ? ` (${result.note})` : ''}`)
}
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A PostgreSQL database with the mock township (seed 7), as the console's e2e test uses. */
async function seedTownship(prefix: string) {
  const database = await createTestDatabase(prefix)
  const db = await openDatabase({ url: database.url })
  try {
    await seedDatabase(db, generateTownshipData(generateGeography({ seed: 7 }), { seed: 7, now: new Date(Date.now() - 60_000) }))
  }
  finally {
    await db.close()
  }
  return database
}

/** An urgent case reported now at the first grid's label point, written as the township's system would (one transaction). */
async function insertCase(url: string, code: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('begin')
    const inserted = await client.query<{ id: string }>(
      `insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, description, updated_at)
       select $1, (select id from case_categories where parent_id is not null and active order by id limit 1), 'urgent', 'hotline',
              g.label_lat, g.label_lon, g.id, g.village_id, 'reported', clock_timestamp(), 'bench', clock_timestamp()
       from grids g where g.active and g.label_lat is not null order by g.id limit 1 returning id`,
      [code],
    )
    await client.query(`insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at) values ($1, null, 'reported', clock_timestamp(), 'resident', clock_timestamp())`, [inserted.rows[0]!.id])
    await client.query('commit')
  }
  finally {
    await client.end()
  }
}

/** Navigation → the queue drawn and usable, and → the map ready (ms since navigation start). */
async function consoleLoad(page: Page, url: string): Promise<{ queueMs: number, mapMs: number }> {
  await page.goto(url, { waitUntil: 'domcontentloaded' })
  await page.locator('[data-testid="console"][data-ready="1"] [data-testid="queue-row"]').first().waitFor({ timeout: 60_000 })
  const queueMs = await page.evaluate(() => performance.now())
  await page.locator('[data-testid="console-map"][data-state="ready"]').waitFor({ timeout: 120_000 })
  return { queueMs, mapMs: await page.evaluate(() => performance.now()) }
}

/** A case inserted by SQL: ms from the commit returning to its row in the queue (seen by a MutationObserver). */
async function queueLatency(page: Page, url: string, n: number): Promise<number> {
  const code = `BENCH-${Date.now()}-${n}`
  await page.evaluate(c => void (window.__seen = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector(`[data-testid="queue-row"][data-code="${c}"]`)) {
        observer.disconnect()
        resolve(Date.now())
      }
    })
    observer.observe(document.body, { childList: true, subtree: true })
  })), code)
  await insertCase(url, code)
  const committed = Date.now()
  return (await page.evaluate(() => window.__seen)) - committed
}

async function main(): Promise<void> {
  if (!(await postgresAvailable()))
    throw new Error('the console benchmark needs PostgreSQL on 127.0.0.1:5432 (TEST_POSTGRES_URL)')
  const database = await seedTownship('cc_bench_console')
  const server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0' } })
  const browser = await launchBrowser()
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${server.url}/signin?next=/console`)
    await page.getByTestId('signin-username').fill('admin')
    await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.waitForURL(u => u.pathname === '/console')

    const loads = []
    for (let i = 0; i < (short ? 1 : 3); i++)
      loads.push(await consoleLoad(page, `${server.url}/console?bench=1`))
    const runs = `median of ${loads.length}, signed in, cached`
    record({ name: 'console: navigation → queue interactive (rows drawn, 1920×1080)', value: median(loads.map(l => l.queueMs)), unit: 'ms', note: runs })
    record({ name: 'console: navigation → 2D map ready (maplibre-gl)', value: median(loads.map(l => l.mapMs)), unit: 'ms', note: runs })

    const latencies = []
    for (let i = 0; i < (short ? 3 : 10); i++)
      latencies.push(await queueLatency(page, database.url, i))
    record({ name: 'queue: database commit → the row on screen', value: median(latencies), unit: 'ms', note: `median of ${latencies.length} (max ${Math.max(...latencies)} ms), PostgreSQL NOTIFY capture` })

    const box = await page.evaluate(async () => {
      const township = await (await fetch('/api/geodata/township')).json() as { features: { geometry: { coordinates: number[][][] | number[][][][] } }[] }
      const flat = JSON.stringify(township.features.map(f => f.geometry.coordinates)).match(/-?\d+\.?\d*,-?\d+\.?\d*/g)!.map(p => p.split(',').map(Number) as [number, number])
      return [Math.min(...flat.map(p => p[0])), Math.min(...flat.map(p => p[1])), Math.max(...flat.map(p => p[0])), Math.max(...flat.map(p => p[1]))] as [number, number, number, number]
    })
    const from: [number, number] = [box[0] + (box[2] - box[0]) * 0.3, box[1] + (box[3] - box[1]) * 0.3]
    const to: [number, number] = [box[0] + (box[2] - box[0]) * 0.7, box[1] + (box[3] - box[1]) * 0.7]
    const ms = short ? 2000 : 6000
    const shipped = await page.evaluate(([a, b, t]) => window.__consoleMap.measureFrames(a, b, t), [from, to, ms] as const)
    record({ name: 'map frame while flying, the township as shipped', value: shipped.p50Ms, unit: 'ms', note: `p50 of ${shipped.frames}; p95 ${round(shipped.p95Ms)} ms; software WebGL` })
    await page.evaluate(b => window.__consoleMap.load(10_000, 5_000, b), box)
    const loaded = await page.evaluate(([a, b, t]) => window.__consoleMap.measureFrames(a, b, t), [from, to, ms] as const)
    record({ name: 'map frame while flying, 10k cameras (clustered) + 5k open cases', value: loaded.p50Ms, unit: 'ms', note: `p50 of ${loaded.frames}; p95 ${round(loaded.p95Ms)} ms; software WebGL` })
    await context.close()
  }
  finally {
    await browser.close()
    await server.stop()
    await database.drop()
  }
  const report = { when: new Date().toISOString(), short, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version }, results }
  mkdirSync('bench/results', { recursive: true })
  writeFileSync('bench/results/console.json', `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync('bench/results/console.md', [
    '# Console benchmark',
    '',
    `Run ${report.when}${short ? ' (short mode)' : ''} on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, Debian Chromium with software WebGL (SwiftShader). Frame times only compare within this run.`,
    '',
    '| measure | value | note |',
    '|---|---|---|',
    ...results.map(r => `| ${r.name} | ${round(r.value)} ${r.unit} | ${r.note ?? ''} |`),
    '',
  ].join('\n'))
  console.log('bench: wrote bench/results/console.{json,md}')
}

await main()
process.exit(0)
