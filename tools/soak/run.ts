import type { Browser, CDPSession, Page } from 'playwright-core'
import type { ClockAnchor } from './clock.ts'
import type { Sample } from './analyse.ts'
import type { SoakReport } from './report.ts'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { startSimulator } from '../../mock/simulate/simulator.ts'
import { ensureScreenBuilt } from '../../scripts/build-screen.mjs'
import { configureTimeZone, dayStart, localDay } from '../../server/src/domain/calendar.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { launchBrowser } from '../../tests/harness/browser.ts'
import { createTestDatabase } from '../../tests/harness/postgres.ts'
import { startServer } from '../../tests/harness/server.ts'
import { BOUNDS, judgeRollover, judgeSeries } from './analyse.ts'
import { simulatedAt } from './clock.ts'
import { markdown, plotSvg } from './report.ts'
import { countWebglContexts, sampleBrowser, sampleServer, wallLoaded } from './sample.ts'

const HOUR_MS = 3_600_000

export interface SoakOptions {
  hours: number
  speed: number
  /** Everyday activities per simulated minute (the simulator's `rate`). */
  rate: number
  sampleMinutes: number
  /** Share of the run (from its start) not judged: the wall and the server settle first. */
  warmupFraction: number
  /** Where in the run local midnight falls (share of the run). */
  midnightAt: number
  /** Size of the mock township (1: the realistic one). */
  scale: number
  viewport: { width: number, height: number }
  timeZone: string
  outDir: string
  name: string
  log: (line: string) => void
}

/**
 * One soak: a fresh PostgreSQL database with the mock township, the product's server on it (on the
 * simulated clock), the simulator writing at speed, the wall open in Chromium; samples until the
 * simulated hours are over, then judges and writes the report. Returns the report (its `passed`).
 */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  configureTimeZone(o.timeZone)
  o.log('soak: checking the screen build')
  await ensureScreenBuilt({ log: o.log })
  // Local midnight falls `midnightAt` into the run: the simulated clock starts that long before the next one.
  const midnight = dayStart(localDay(Date.now()) + 1)
  const simStart = Math.round((midnight - o.midnightAt * o.hours * HOUR_MS) / 60_000) * 60_000
  const work = mkdtempSync(join(tmpdir(), 'soak-'))
  const clockFile = join(work, 'clock.json')
  const database = await createTestDatabase('cc_soak')
  const db = await openDatabase({ url: database.url })
  const cleanup: (() => Promise<unknown>)[] = [async () => rmSync(work, { recursive: true, force: true }), () => database.drop(), () => db.close()]
  try {
    o.log(`soak: seeding the mock township (scale ${o.scale}) up to ${new Date(simStart).toISOString()} (simulated)`)
    const geo = generateGeography({ seed: 7, township: '430821103' })
    await seedDatabase(db, generateTownshipData(geo, { seed: 7, now: new Date(simStart), scale: o.scale }))
    let anchor: ClockAnchor = { simStart, realStart: Date.now(), speed: 1 }
    writeFileSync(clockFile, JSON.stringify(anchor))
    const server = await startServer({ entry: { script: 'tools/soak/server-entry.ts' }, env: { DATABASE_URL: database.url, SOAK_CLOCK_FILE: clockFile, TIME_ZONE: o.timeZone } })
    cleanup.unshift(() => server.stop())
    const pid = server.process.pid!
    const browser = await launchBrowser()
    cleanup.unshift(() => browser.close())
    o.log(`soak: server ${server.url} (pid ${pid}) on ${database.name}; opening the wall`)
    const { page, cdp, pageErrors } = await openWall(browser, server.url, o)

    // Time-lapse starts now, for the server (re-reads the anchor on SIGUSR2) and the simulator alike.
    const realGo = Date.now()
    anchor = { simStart: simulatedAt(anchor, realGo), realStart: realGo, speed: o.speed }
    writeFileSync(clockFile, JSON.stringify(anchor))
    process.kill(pid, 'SIGUSR2')
    const start = anchor.simStart
    const end = start + o.hours * HOUR_MS
    const simNow = (): number => simulatedAt(anchor, Date.now())
    const simulator = startSimulator(db, { rate: o.rate, speed: o.speed, clockSpeed: o.speed, seed: 7, clock: () => new Date(simNow()), onError: error => o.log(`soak: simulator step failed: ${(error as Error).message}`) })
    cleanup.unshift(() => simulator.stop())
    await simulator.ready
    o.log(`soak: ${o.hours} simulated hours at ${o.speed}× (≈${Math.round(o.hours * 60 / o.speed)} min), local midnight at ${new Date(midnight).toISOString()}`)

    const samples: Sample[] = []
    const stepMs = o.sampleMinutes * 60_000
    for (let at = start; at <= end; at += stepMs) {
      const wait = anchor.realStart + (at - anchor.simStart) / o.speed - Date.now()
      if (wait > 0)
        await new Promise(resolve => setTimeout(resolve, wait))
      if (server.process.exitCode !== null || server.process.signalCode !== null)
        throw new Error(`the server exited (${server.process.exitCode ?? server.process.signalCode}):\n${server.output().slice(-2000)}`)
      const [b, s] = await Promise.all([sampleBrowser(page, cdp), sampleServer(server.url, pid)])
      const { todayNew, asOf, ...browserValues } = b
      const sample: Sample = { sim: simNow(), real: Date.now(), values: { ...browserValues, ...s }, todayNew, asOf }
      samples.push(sample)
      if (samples.length % 10 === 1)
        o.log(`soak: ${((sample.sim - start) / HOUR_MS).toFixed(1)} h  heap ${b.browserHeapMB.toFixed(1)} MB  nodes ${b.browserNodes}  listeners ${b.listeners}  webgl ${b.webglContexts}  rss ${s.serverRssMB?.toFixed(0)} MB  fds ${s.serverFds}  今日新增 ${todayNew}`)
    }
    await simulator.stop()
    const report = judge(o, samples, { start, end, midnight, realGo }, { ...simulator.stats }, pageErrors)
    await writeReport(o, report, browser)
    return report
  }
  finally {
    for (const step of cleanup)
      await step().catch((error: unknown) => o.log(`soak: cleanup: ${(error as Error).message}`))
  }
}

/** The wall (`/`) in a new context, counting its WebGL contexts, loaded; with a CDP session for the metrics. */
async function openWall(browser: Browser, url: string, o: SoakOptions): Promise<{ page: Page, cdp: CDPSession, pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: o.viewport, locale: 'zh-CN', timezoneId: o.timeZone, deviceScaleFactor: 1 })
  await context.addInitScript(countWebglContexts)
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', error => pageErrors.push(`${error.name}: ${error.message}`))
  await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' })
  await page.waitForFunction(wallLoaded, undefined, { timeout: 180_000 })
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  return { page, cdp, pageErrors }
}

/** The verdict: every series against its bound after warm-up, the rollover, the page's errors. */
function judge(o: SoakOptions, samples: Sample[], t: { start: number, end: number, midnight: number, realGo: number }, simulator: Record<string, number>, pageErrors: string[]): SoakReport {
  const warmupEnd = t.start + o.warmupFraction * (t.end - t.start)
  const series = BOUNDS.map(bound => judgeSeries(samples, bound, warmupEnd))
  // The server's clock ticks every real second and a frame follows: allow 3 real seconds.
  const rollover = judgeRollover(samples, t.midnight, 3000 * o.speed)
  const failures = [
    ...series.filter(v => !v.pass).map(v => `${v.bound.series} (${v.bound.label}): ${v.reason}`),
    ...(rollover.pass ? [] : [`rollover: ${rollover.reason}`]),
    ...(pageErrors.length ? [`the wall threw ${pageErrors.length} error(s): ${pageErrors.slice(0, 3).join('; ')}`] : []),
  ]
  const iso = (ms: number): string => new Date(ms).toISOString()
  return {
    name: o.name,
    passed: failures.length === 0,
    failures,
    options: { hours: o.hours, speed: o.speed, rate: o.rate, timeZone: o.timeZone, viewport: o.viewport, sampleMinutes: o.sampleMinutes, warmupFraction: o.warmupFraction },
    clock: { start: iso(t.start), warmupEnd: iso(warmupEnd), midnight: iso(t.midnight), end: iso(t.end), realSeconds: Math.round((Date.now() - t.realGo) / 1000) },
    simulator,
    series,
    rollover,
    pageErrors,
    samples,
  }
}

/** Writes `<name>.json`, `.md`, `.svg` and a `.png` of the plot (drawn by the same Chromium). */
async function writeReport(o: SoakOptions, report: SoakReport, browser: Browser): Promise<void> {
  mkdirSync(o.outDir, { recursive: true })
  const svg = plotSvg(report)
  writeFileSync(join(o.outDir, `${o.name}.json`), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(join(o.outDir, `${o.name}.svg`), svg)
  writeFileSync(join(o.outDir, `${o.name}.md`), markdown(report, `${o.name}.png`))
  const plotPage = await browser.newPage({ viewport: { width: 1400, height: 800 } })
  await plotPage.setContent(`<body style="margin:0">${svg}</body>`)
  await plotPage.locator('svg').first().screenshot({ path: join(o.outDir, `${o.name}.png`) })
  await plotPage.close()
}
