import type { Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { startServer } from '../harness/server.ts'
import { insertCase, seedTownship, waitForWall } from './wall-truth.ts'

/** A KPI's raw value as the wall shows it (`data-value` of its figure). */
async function kpi(page: Page, metric: string): Promise<number> {
  return Number(await page.locator(`[data-metric="${metric}"]`).first().getAttribute('data-value'))
}

/** Cases reported on the local (UTC+8) day of `at`, up to `at`: "today's new cases" as of that moment, by SQL. */
async function todayNewAt(url: string, at: Date): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from cases
       where reported_at >= (($1::timestamptz at time zone 'Asia/Shanghai')::date)::timestamp at time zone 'Asia/Shanghai' and reported_at <= $1`,
      [at],
    )
    return rows[0]!.n
  }
  finally {
    await client.end()
  }
}

/**
 * The time machine on the wall: a page opened on `/?at=` a moment before a case was written shows the
 * township as it was then — the KPI without that case, an amber frame, the moment large — while a
 * wall on `/` stays live; L returns the past page to live.
 */
describe.skipIf(!(await postgresAvailable()))('the time machine', () => {
  let database: TestDatabase
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    database = await seedTownship('cc_time_machine')
    server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0' } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database?.drop()
  })

  it('shows the wall as of a past moment, framed as the past, beside a live wall, and returns to live', async () => {
    const live = await openPage(browser, `${server.url}/?map=off`)
    await waitForWall(live.page)
    const before = await kpi(live.page, 'overview.todayNew')

    // The moment: just before a case arrives (the database's clock, as the case's own reported_at).
    const moment = new Date(Date.now() - 1000)
    const inserted = await insertCase(database.url, { level: 'general', code: 'TM-0001' })
    await until('the live wall counts the case', () => kpi(live.page, 'overview.todayNew'), n => n === before + 1)
    const expected = await todayNewAt(database.url, moment)
    expect(expected).toBe(before)

    const past = await openPage(browser, `${server.url}/?map=off&at=${encodeURIComponent(moment.toISOString())}`)
    await waitForWall(past.page)
    const frame = past.page.getByTestId('history-frame')
    await until('the past moment is shown', () => frame.getAttribute('data-history-at'), at => at === moment.toISOString())
    expect(await kpi(past.page, 'overview.todayNew')).toBe(expected)
    // The frame says "the past" to the room: amber, the moment in the township's time, large.
    const look = await frame.evaluate(el => ({ border: getComputedStyle(el).borderTopColor, width: getComputedStyle(el).borderTopWidth }))
    expect(look.border).toBe('rgb(255, 176, 32)')
    expect(Number.parseFloat(look.width)).toBeGreaterThanOrEqual(6)
    const when = past.page.getByTestId('history-at')
    const local = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(moment)
    expect(await when.textContent()).toContain(local)
    expect(await past.page.getByTestId('history-banner').textContent()).toContain('回放')
    // Never 实时 over the past; the ticker holds the cases of then, without the one written after.
    expect(await past.page.getByTestId('live-indicator').getAttribute('data-state')).toBe('past')
    await past.page.locator('[data-testid="ticker"] [data-case-id]').first().waitFor()
    expect(await past.page.locator(`[data-testid="ticker"] [data-case-id="${inserted.id}"]`).count()).toBe(0)
    expect(Number.parseFloat(await when.evaluate(el => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40)
    await past.screenshot('time-machine-past-1920x1080')

    // The live wall beside it is untouched: no frame, the case still counted.
    expect(await live.page.getByTestId('history-frame').count()).toBe(0)
    expect(await kpi(live.page, 'overview.todayNew')).toBe(before + 1)

    // L: back to live, the case counted, the address without ?at.
    await past.page.keyboard.press('l')
    await frame.waitFor({ state: 'detached' })
    await until('the returned wall is live', () => kpi(past.page, 'overview.todayNew'), n => n === before + 1)
    expect(new URL(past.page.url()).searchParams.has('at')).toBe(false)
    await past.page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 10_000 })
    live.assertClean()
    past.assertClean()
  })
})
