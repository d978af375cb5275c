import type { Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { startServer } from '../harness/server.ts'
import { compareFigures, expectWallMatchesDatabase, historyViews, insertCase, readWall, seedTownship, truthAt, waitForWall } from './wall-truth.ts'

const DAY_MS = 86_400_000

/** A wall-clock time in Asia/Shanghai `days` before today: as typed in `?at=` and as the instant. */
function shanghai(days: number, hhmm: string): { typed: string, at: Date } {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() - days * DAY_MS)
  return { typed: `${day}T${hhmm}`, at: new Date(`${day}T${hhmm}:00+08:00`) }
}

/** The moment the past page shows and every figure on it, read in one go (nothing renders between). */
async function pastWall(page: Page): Promise<{ at: string, figures: Awaited<ReturnType<typeof readWall>>['figures'] }> {
  const [at, wall] = await Promise.all([page.getByTestId('history-frame').getAttribute('data-history-at'), readWall(page)])
  const again = await page.getByTestId('history-frame').getAttribute('data-history-at')
  if (again !== at)
    return pastWall(page)
  return { at: at ?? '', figures: wall.figures }
}

/** Problems of the past page's figures against the test's SQL as of the moment it shows. */
async function pastProblems(page: Page, url: string): Promise<{ at: string, problems: string[], figures: Map<string, number | null> }> {
  const { at, figures } = await pastWall(page)
  const truth = await truthAt(url, new Date(at), true)
  return { at, problems: compareFigures(figures, truth), figures: new Map(figures.map(f => [f.id, f.figure.value])) }
}

/** SQL: cases reported in each hour of [from, to). */
async function hoursBySql(url: string, from: string, to: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ h: Date, n: number }>(
      `select date_trunc('hour', reported_at) as h, count(*)::int as n from cases where reported_at >= $1 and reported_at < $2 group by 1`,
      [from, to],
    )
    return new Map(rows.map(r => [r.h.toISOString(), r.n]))
  }
  finally {
    await client.end()
  }
}

/** SQL: what the wall's map shows as of T — the open cases among the latest 30 reported by T (the ticker's feed), and the cases of the 7-day heat. */
async function mapCasesBySql(url: string, at: Date): Promise<{ open: number, heat7d: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(historyViews(at))
    const { rows } = await client.query<{ open: number, heat: number }>(
      `select (select count(*)::int from (select status from cases order by reported_at desc, id desc limit 30) l where status not in ('closed', 'cancelled')) as open,
              (select count(*)::int from cases where reported_at >= (($1::timestamptz at time zone 'Asia/Shanghai')::date - 6)::timestamp at time zone 'Asia/Shanghai') as heat`,
      [at],
    )
    return { open: rows[0]!.open, heat7d: rows[0]!.heat }
  }
  finally {
    await client.end()
  }
}

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
    // One time on the screen: the title's clock shows the moment too (not the present beside the past).
    const clock = past.page.getByTestId('clock')
    expect(await clock.getAttribute('datetime')).toBe(moment.toISOString())
    expect(await clock.getAttribute('data-past')).toBe('true')
    expect(await clock.textContent()).toContain(new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(moment))
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
    expect(await clock.getAttribute('data-past')).toBeNull()
    expect(Math.abs(Date.parse((await clock.getAttribute('datetime'))!) - Date.now())).toBeLessThan(5000)
    live.assertClean()
    past.assertClean()
  })
  it('at yesterday 10:00, a week ago and 30 days ago shows every figure as SQL has it then, and draws the hours\' counts on its scrubber', async () => {
    const watched = await openPage(browser, `${server.url}/?map=off`)
    for (const moment of [shanghai(1, '10:00'), shanghai(7, '14:30'), shanghai(30, '09:15')]) {
      await watched.page.goto(`${server.url}/?map=off&at=${moment.typed}`)
      await until(`the wall shows ${moment.typed}`, () => watched.page.getByTestId('history-frame').getAttribute('data-history-at'), at => at === moment.at.toISOString(), 30_000)
      await waitForWall(watched.page)
      const { problems, figures } = await pastProblems(watched.page, database.url)
      expect(problems, moment.typed).toEqual([])
      expect(figures.size).toBeGreaterThan(60)
    }
    // The scrubber (still on 30 days ago): every hour of the retained history, each bar's count as SQL has it.
    const scrubber = watched.page.getByTestId('history-scrubber')
    await watched.page.locator('[data-testid="history-scrubber"] rect[data-count]').first().waitFor({ state: 'attached' })
    const drawn = await scrubber.evaluate(el => ({
      from: el.getAttribute('data-from')!,
      to: el.getAttribute('data-to')!,
      bars: [...el.querySelectorAll('rect[data-hour]')].map(r => [r.getAttribute('data-hour')!, Number(r.getAttribute('data-count'))] as const),
      cursor: el.querySelector('[data-testid="history-cursor"]')?.getAttribute('data-at'),
      smallest: Math.min(...[...el.querySelectorAll<HTMLElement>('button, span')].filter(e => e.textContent?.trim()).map(e => Number.parseFloat(getComputedStyle(e).fontSize))),
    }))
    const sql = await hoursBySql(database.url, drawn.from, drawn.to)
    // From the first retained day's midnight (35 days, today included) to the end of the current hour.
    expect(drawn.from).toBe(shanghai(34, '00:00').at.toISOString())
    expect(Date.parse(drawn.to)).toBeGreaterThan(Date.now())
    expect(drawn.bars.length).toBe((Date.parse(drawn.to) - Date.parse(drawn.from)) / 3_600_000)
    expect(drawn.bars.filter(([hour, count]) => count !== (sql.get(hour) ?? 0))).toEqual([])
    expect(drawn.bars.reduce((n, [, count]) => n + count, 0)).toBeGreaterThan(100)
    expect(drawn.cursor).toBe(shanghai(30, '09:15').at.toISOString())
    expect(drawn.smallest).toBeGreaterThanOrEqual(14)
    // A click on the scrubber's middle seeks there (about 17 days ago), and the figures follow.
    const box = (await watched.page.getByTestId('history-track').boundingBox())!
    await watched.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    const sought = await until('the wall seeks where clicked', () => watched.page.getByTestId('history-frame').getAttribute('data-history-at'), at => at !== null && Math.abs(Date.parse(at) - (Date.parse(drawn.from) + Date.parse(drawn.to)) / 2) < 3_600_000, 30_000)
    await waitForWall(watched.page)
    const after = await pastProblems(watched.page, database.url)
    expect(after.at).toBe(sought)
    expect(after.problems).toEqual([])
    await watched.screenshot('time-machine-scrubber-1920x1080')
    watched.assertClean()
    await watched.page.context().close()
  })

  it('replays at 600× with the figures moving and equal to SQL at each moment read, beside a live wall, keys pausing and speeding it', async () => {
    const live = await openPage(browser, `${server.url}/?map=off`)
    await waitForWall(live.page)
    // From 07:40: within the first samples the replay crosses 08:00 (a new hour on the trend).
    const start = shanghai(1, '07:40')
    const replay = await openPage(browser, `${server.url}/?map=off&at=${start.typed}&speed=600`)
    await waitForWall(replay.page)
    const samples: { at: string, figures: Map<string, number | null> }[] = []
    for (let i = 0; i < 3; i++) {
      await replay.page.waitForTimeout(2500)
      const sample = await pastProblems(replay.page, database.url)
      expect(sample.problems, sample.at).toEqual([])
      samples.push(sample)
    }
    // It moved forward (about ten minutes of the past a second), and so did the figures.
    const times = samples.map(s => Date.parse(s.at))
    expect(times[1]! - times[0]!).toBeGreaterThan(10 * 60_000)
    expect(times[2]! - times[1]!).toBeGreaterThan(10 * 60_000)
    const changed = [...samples[2]!.figures].filter(([id, value]) => samples[0]!.figures.get(id) !== value)
    expect(changed.map(([id]) => id)).toContain('trend.hourly.today.8')
    expect(await replay.page.getByTestId('history-banner').textContent()).toContain('600倍速')
    // Space pauses where it is; ] speeds it up again from there.
    await replay.page.keyboard.press(' ')
    await until('paused', () => replay.page.getByTestId('history-banner').textContent(), text => text?.includes('暂停') === true)
    await replay.page.waitForTimeout(1500)
    const pausedAt = await replay.page.getByTestId('history-frame').getAttribute('data-history-at')
    await replay.page.waitForTimeout(2000)
    expect(await replay.page.getByTestId('history-frame').getAttribute('data-history-at')).toBe(pausedAt)
    await replay.page.keyboard.press('ArrowRight')
    await until('an hour on', () => replay.page.getByTestId('history-frame').getAttribute('data-history-at'), at => at !== null && Date.parse(at) === Date.parse(pausedAt!) + 3_600_000)
    await replay.screenshot('time-machine-replay-600x-1920x1080')

    // The live wall beside it stayed live and true to the database now.
    expect(await live.page.getByTestId('history-frame').count()).toBe(0)
    expect(await live.page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live')
    await expectWallMatchesDatabase(live.page, database.url)
    // L: the replaying wall is live again, its figures the database's now.
    await replay.page.keyboard.press('l')
    await replay.page.getByTestId('history-frame').waitFor({ state: 'detached' })
    await replay.page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 10_000 })
    expect(await replay.page.getByTestId('history-scrubber').count()).toBe(0)
    await expectWallMatchesDatabase(replay.page, database.url)
    live.assertClean()
    replay.assertClean()
    await live.page.context().close()
    await replay.page.context().close()
  })

  it('draws the map as of T: the open cases and the heat of then', async () => {
    const moment = shanghai(7, '16:00')
    const watched = await openPage(browser, `${server.url}/?bench=1&settle=4000&at=${moment.typed}`, { width: 1280, height: 720 })
    await watched.page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 120_000 })
    const expected = await mapCasesBySql(database.url, moment.at)
    const drawn = await until('the map draws the cases of then', () => watched.page.evaluate(() => window.__map!.drawn()), d => d.incidents === expected.open && d.heatTotal === expected.heat7d, 20_000).catch(async () => watched.page.evaluate(() => window.__map!.drawn()))
    expect({ incidents: drawn.incidents, heat: drawn.heatTotal }).toEqual({ incidents: expected.open, heat: expected.heat7d })
    expect(expected.heat7d).toBeGreaterThan(0)
    await watched.screenshot('time-machine-map-1280x720')
    // Back to live: the map's layers are the present's again.
    await watched.page.keyboard.press('l')
    await watched.page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 10_000 })
    const now = await mapCasesBySql(database.url, new Date())
    await until('the map draws the cases of now', () => watched.page.evaluate(() => window.__map!.drawn()), d => d.incidents === now.open && d.heatTotal === now.heat7d, 20_000)
    watched.assertClean()
    await watched.page.context().close()
  })
})
