import type { Browser } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import type { TruthFigure } from '../harness/briefing-truth.ts'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { briefingTruth, compareTruth } from '../harness/briefing-truth.ts'
import { launchBrowser, openPage, SCREENSHOT_DIR } from '../harness/browser.ts'
import { pdfPagesText } from '../harness/pdf-text.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'
import { seedTownship } from './wall-truth.ts'

/** The local (China Standard Time) date `days` days before today. */
function daysAgo(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)
}

/** The text of a PDF's streams (Flate-compressed ones inflated): fonts' names and their Unicode maps. */
function pdfStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1')
  const parts: string[] = [text]
  const stream = /stream\r?\n/g
  for (let match = stream.exec(text); match; match = stream.exec(text)) {
    const start = match.index + match[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0)
      break
    try {
      parts.push(inflateSync(pdf.subarray(start, end)).toString('latin1'))
    }
    catch {}
    stream.lastIndex = end + 'endstream'.length
  }
  return parts.join('\n')
}

/**
 * The printable briefing for last week, in Chromium: it renders behind the sign-in, every figure it
 * shows equals the test's own SQL, it prints to an A4 PDF of several pages in Chinese type (Noto Sans
 * CJK embedded; the text read back from the PDF, each page numbered), and nothing leaves localhost.
 */
describe.skipIf(!(await postgresAvailable()))('the printable briefing', () => {
  let database: TestDatabase
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    database = await seedTownship('cc_briefing')
    server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0' } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database?.drop()
  })

  it('renders a week behind the sign-in, equal to SQL figure by figure, and prints to an A4 PDF in Chinese', async () => {
    const [from, to] = [daysAgo(7), daysAgo(1)]
    const address = `/briefing?from=${from}&to=${to}`
    // Signed out, the page sends the visitor to sign in and back (its /api/auth/me answers 401).
    const watched = await openPage(browser, `${server.url}${address}`, { width: 1280, height: 1000 }, { allowFailedResponses: /\/api\/auth\/me$/ })
    const { page } = watched
    await page.waitForURL(url => url.pathname === '/signin')
    await page.getByTestId('signin-username').fill('admin')
    await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.waitForURL(url => url.pathname === '/briefing')
    await page.locator('[data-testid="briefing"][data-state="ready"]').waitFor({ timeout: 30_000 })
    await page.waitForFunction(() => [...document.querySelectorAll('.briefing-chart')].every(c => c.getAttribute('data-ready') === 'true'))
    expect(await page.getByTestId('briefing-title').textContent()).toContain('基层治理工作简报')
    expect(await page.getByTestId('briefing-period').getAttribute('data-from')).toBe(from)
    // Charts are vectors (SVG), not canvases: crisp on paper.
    expect(await page.locator('.briefing-chart svg').count()).toBe(3)
    expect(await page.locator('.briefing-chart canvas').count()).toBe(0)

    // Every figure on the page equals SQL "for that week" (and the week before).
    const shown = await page.evaluate(() => [...document.querySelectorAll<HTMLElement | SVGElement>('[data-metric]')].map((el) => {
      const d = el.dataset
      return { id: d.metric!, value: d.value === '' ? null : Number(d.value), numerator: d.numerator === undefined ? undefined : Number(d.numerator), denominator: d.denominator === undefined ? undefined : Number(d.denominator) }
    }))
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    let truth: Map<string, TruthFigure>
    let personal: string[]
    try {
      const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => (await client.query<T>(text, params)).rows
      truth = await briefingTruth(sql, from, to, new Date((await sql<{ t: Date }>(`select (($1::date + 1)::timestamp at time zone 'Asia/Shanghai') as t`, [to]))[0]!.t))
      personal = (await sql<{ v: string }>(
        `select unnest(array[reporter_name, reporter_phone, address]) as v from cases
         where sla_deadline < now() and status in ('reported', 'accepted', 'dispatched', 'processing', 'fed_back') limit 300`,
      )).map(r => r.v).filter(v => v && v.length >= 3)
    }
    finally {
      await client.end()
    }
    expect(compareTruth(shown, truth)).toEqual([])
    const ids = new Set(shown.map(s => s.id))
    for (const id of ['period.reported', 'previous.reported', 'period.closedWithinSla', 'period.overdue', 'overdue.total', `daily.${from}`, `daily.${daysAgo(14)}`, 'hourly.period.9', 'sla.urgent.closedWithinSla'])
      expect(ids).toContain(id)
    // The map: every grid drawn with its week's cases.
    expect(shown.filter(s => s.id.startsWith('grid.')).length).toBe([...truth.keys()].filter(k => k.startsWith('grid.')).length)
    expect(shown.find(s => s.id === 'period.reported')!.value).toBeGreaterThan(100)
    // Overdue cases by code, never by who reported them.
    const text = await page.locator('main').innerText()
    expect(personal.length).toBeGreaterThan(0)
    expect(personal.filter(p => text.includes(p))).toEqual([])
    await watched.screenshot('briefing-screen')

    // Print: the tools hidden, then the browser's print to PDF on A4.
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByTestId('briefing-print').isVisible()).toBe(false)
    await page.setViewportSize({ width: 794, height: 1123 })
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'briefing-print-look.png'), fullPage: true })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    writeFileSync(join(SCREENSHOT_DIR, 'briefing.pdf'), pdf)
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(pages).toBeLessThanOrEqual(8)
    const streams = pdfStreams(pdf)
    expect(streams).toMatch(/\/(?:BaseFont|FontName)\s*\/[A-Z]{6}\+NotoSansCJK/)
    // Read back as text (the fonts' Unicode maps): real Chinese text, not pictures of it; each page
    // numbered "n / N" in its footer; the period, and the overdue cases by code; no personal value.
    const texts = pdfPagesText(pdf)
    expect(texts).toHaveLength(pages)
    texts.forEach((text, i) => expect(text).toContain(`${i + 1} / ${pages}`))
    expect(texts[0]).toContain('基层治理')
    // (Some characters come back as their Kangxi radical twins, 至 as ⾄: Noto's glyphs are shared, Skia maps them to one.)
    expect(texts[0]).toContain(from)
    expect(texts[0]).toContain(to)
    const printed = texts.join(' ')
    const codes = await page.locator('[data-testid="briefing-overdue-row"]').evaluateAll(rows => rows.map(r => r.getAttribute('data-code')!))
    expect(codes.length).toBeGreaterThan(0)
    expect(codes.filter(code => !printed.includes(code))).toEqual([])
    expect(personal.filter(p => printed.includes(p))).toEqual([])
    await page.emulateMedia({ media: 'screen' })

    // English through the app's language switch; the figures stay.
    await page.setViewportSize({ width: 1280, height: 1000 })
    await page.getByTestId('briefing-language').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="briefing-title"]')?.textContent?.includes('Governance briefing'))
    await page.waitForURL(url => url.searchParams.get('lang') === 'en')
    // The same briefing, not fetched again: every figure still there.
    expect(await page.getByTestId('briefing').getAttribute('data-state')).toBe('ready')
    expect(await page.locator('[data-metric]').count()).toBe(shown.length)
    await watched.screenshot('briefing-screen-en')
    watched.assertClean()
  })
})
