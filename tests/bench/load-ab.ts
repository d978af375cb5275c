/**
 * `npm run bench:load-ab -- <url A> <url B> [--rounds N]`: the wall's load time of two running
 * servers (e.g. an older commit's and this one's), in Debian's Chromium, taking turns — A, B, A, B … —
 * so that a slow spell of the shared machine hits both. Each load is a fresh context (empty cache) at
 * 1920×1080: navigation → DOMContentLoaded, → every wall panel filled, and the map's milestones where
 * the build marks them (`map:*` User Timing marks). Prints the medians and B/A, and writes
 * bench/results/load-ab.{json,md}. Absolute figures on a shared machine mean little; the ratio does.
 */
import type { Browser } from 'playwright-core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { launchBrowser } from '../harness/browser.ts'

declare const performance: {
  now: () => number
  getEntriesByType: (type: string) => { name: string, startTime: number }[]
  getEntriesByName: (name: string) => unknown[]
}

type Load = Record<string, number>

const { positionals, values } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '5' } } })
const rounds = Number(values.rounds)
if (positionals.length !== 2 || !positionals.every(url => /^https?:\/\//.test(url)) || !(Number.isInteger(rounds) && rounds >= 1)) {
  console.error('usage: npm run bench:load-ab -- <url A> <url B> [--rounds N]   (two running servers, e.g. http://localhost:8091/ http://localhost:8092/)')
  process.exit(2)
}
const [urlA, urlB] = positionals as [string, string]

/** One load in a fresh context: ms from navigation start to each point reached. */
async function load(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  try {
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'domcontentloaded' })
    await page.locator('[data-wall-ready="true"]').waitFor({ timeout: 120_000 })
    const panels = await page.evaluate(() => performance.now())
    // Builds that mark the map's milestones (the widget's creation comes before the panels): wait for the last one.
    if (await page.evaluate(() => performance.getEntriesByName('map:viewerCreated').length > 0))
      await page.waitForFunction(() => performance.getEntriesByName('map:ready').length > 0, null, { timeout: 60_000 }).catch(() => {})
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map(m => [m.name, m.startTime] as const))
    const dcl = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as unknown as { domContentLoadedEventEnd: number }).domContentLoadedEventEnd)
    return { 'DOMContentLoaded': dcl, 'every panel filled': panels, ...Object.fromEntries(marks.filter(([name]) => name.startsWith('map:'))) }
  }
  finally {
    await context.close()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const browser = await launchBrowser()
const a: Load[] = []
const b: Load[] = []
try {
  for (let i = 0; i < rounds; i++) {
    a.push(await load(browser, urlA))
    b.push(await load(browser, urlB))
    console.log(`round ${i + 1}/${rounds}: panels filled A ${Math.round(a.at(-1)!['every panel filled']!)} ms, B ${Math.round(b.at(-1)!['every panel filled']!)} ms`)
  }
}
finally {
  await browser.close()
}

const names = [...new Set([...a, ...b].flatMap(l => Object.keys(l)))]
const rows = names.map((name) => {
  const of = (loads: Load[]): number | undefined => {
    const values = loads.flatMap(l => l[name] === undefined ? [] : [l[name]!])
    return values.length === loads.length ? median(values) : undefined
  }
  const ma = of(a)
  const mb = of(b)
  return { name, a: ma, b: mb, ratio: ma !== undefined && mb !== undefined ? mb / ma : undefined }
})
const show = (n: number | undefined): string => n === undefined ? '—' : String(Math.round(n))
for (const row of rows)
  console.log(`${row.name.padEnd(22)} A ${show(row.a).padStart(6)} ms   B ${show(row.b).padStart(6)} ms   B/A ${row.ratio?.toFixed(2) ?? '—'}`)

const report = { when: new Date().toISOString(), machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version }, a: urlA, b: urlB, rounds, rows, loads: { a, b } }
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/load-ab.json', `${JSON.stringify(report, null, 2)}\n`)
writeFileSync('bench/results/load-ab.md', [
  '# Wall load, two builds taking turns',
  '',
  `Run ${report.when} on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, Debian Chromium (software WebGL), 1920×1080, empty cache. A = ${urlA}, B = ${urlB}; ${rounds} rounds, A then B in each. Medians, ms from navigation start.`,
  '',
  '| point | A | B | B / A |',
  '|---|---|---|---|',
  ...rows.map(r => `| ${r.name} | ${show(r.a)} | ${show(r.b)} | ${r.ratio?.toFixed(2) ?? '—'} |`),
  '',
].join('\n'))
console.log('bench: wrote bench/results/load-ab.{json,md}')
