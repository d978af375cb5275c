import type { Browser, Page } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'
import { insertCase, seedTownship } from './wall-truth.ts'

const OPEN = ['reported', 'accepted', 'dispatched', 'processing', 'fed_back']

/**
 * The dispatch console against a real server on PostgreSQL with the mock township and write-back on:
 * a case written by SQL joins the queue within 3 s, search and the category filter equal SQL, its
 * detail shows the reporter masked until 显示, a move is written back (a refused one, the case having
 * changed meanwhile, says so and refreshes it), 投屏 makes a wall fly to the case and open its card
 * within 2 s, maplibre draws with village names and no request leaving the machine (`openPage` fails
 * the test on any external request), and the desk layout holds at 1366×768.
 */
describe.skipIf(!(await postgresAvailable()))('the dispatch console', () => {
  let database: TestDatabase
  let server: RunningServer
  let browser: Browser
  const sql = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      return (await client.query<T>(text, values)).rows
    }
    finally {
      await client.end()
    }
  }
  const queueIds = (page: Page): Promise<number[]> => page.locator('[data-testid="queue-row"]').evaluateAll(rows => rows.map(r => Number(r.getAttribute('data-case-id'))))

  beforeAll(async () => {
    database = await seedTownship('cc_console')
    server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0', CASE_WRITEBACK: '1' } })
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database?.drop()
  })

  it('queues a new case live, filters, reveals, moves it (a stale move refused), pushes it to the wall', async () => {
    // The refused move answers 409 on purpose.
    const watched = await openPage(browser, `${server.url}/signin?next=/console`, undefined, { allowFailedResponses: /\/api\/auth\/me$|\/api\/console\/cases\/\d+\/actions$/ })
    const { page } = watched
    await page.getByTestId('signin-username').fill('admin')
    await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.waitForURL(url => url.pathname === '/console')
    await page.locator('[data-testid="console"][data-ready="1"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="console-map"][data-state="ready"]').waitFor({ timeout: 30_000 })

    // The default renderer, and never mapbox-gl's chunk; every village with a label point named.
    expect(await page.getByTestId('console-map').getAttribute('data-renderer')).toBe('maplibre')
    const named = (await sql<{ name: string }>('select name from villages where active and boundary is not null and center_lon is not null')).map(v => v.name)
    const labels = await until('village names drawn', () => page.getByTestId('village-label').allTextContents(), l => l.length >= named.length)
    expect(labels.sort()).toEqual(named.sort())

    const phone = '13912345678'
    const newCode = `E2E-C-${Date.now()}`
    // The row's arrival seen from inside the page (a MutationObserver), not at the test's next poll.
    await page.evaluate(code => void ((window as unknown as { rowSeen: Promise<number> }).rowSeen = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(`[data-testid="queue-row"][data-code="${code}"]`)) {
          observer.disconnect()
          resolve(Date.now())
        }
      })
      observer.observe(document.body, { childList: true, subtree: true })
    })), newCode)
    const started = Date.now()
    const inserted = await insertCase(database.url, { level: 'urgent', code: newCode, personal: { name: '欧阳测试', phone, address: '幸福路88号' } })
    const row = page.locator(`[data-testid="queue-row"][data-case-id="${inserted.id}"]`)
    // Waited for longer than the promise, so that a late row fails with how late it was.
    await row.waitFor({ timeout: 15_000 })
    expect(await page.evaluate(() => (window as unknown as { rowSeen: Promise<number> }).rowSeen) - started).toBeLessThan(3000)
    // In its place: urgent cases first, and announced.
    const levels = await page.locator('[data-testid="queue-row"]').evaluateAll(rows => rows.map(r => r.className))
    const at = (await queueIds(page)).indexOf(inserted.id)
    expect(levels.slice(0, at).every(c => c.includes('--urgent'))).toBe(true)
    expect(await row.getAttribute('class')).toContain('is-new')
    await watched.screenshot('console-queue')

    const code = await row.getAttribute('data-code')
    await page.keyboard.press('/')
    await page.keyboard.type(code!)
    await page.waitForFunction(id => [...document.querySelectorAll('[data-testid="queue-row"]')].every(r => r.getAttribute('data-case-id') === String(id)), inserted.id, { timeout: 3000 })
    // (The rows may match before the last keys are typed: the link holds the whole code once typed.)
    await page.waitForURL(url => url.searchParams.get('q') === code, { timeout: 3000 })
    await page.getByTestId('console-search').fill('')

    // The category filter (the inserted case's class, from the dropdown) equals the same query in SQL.
    const [{ parent } = { parent: 0 }] = await sql<{ parent: number }>('select k.parent_id as parent from cases c join case_categories k on k.id = c.category_id where c.id = $1', [inserted.id])
    await page.getByTestId('filter-category').selectOption(String(parent))
    const expected = (await sql<{ id: number }>(
      'select c.id from cases c join case_categories k on k.id = c.category_id where c.status = any($1::text[]) and (k.id = $2 or k.parent_id = $2)',
      [OPEN, parent],
    )).map(r => Number(r.id)).sort((a, b) => a - b)
    expect(expected).toContain(inserted.id)
    await until('the queue filtered by category', async () => (await queueIds(page)).sort((a, b) => a - b), ids => JSON.stringify(ids) === JSON.stringify(expected), 5000)
    expect(new URL(page.url()).searchParams.get('category')).toBe(String(parent))

    await row.click()
    const detail = page.getByTestId('console-detail')
    await detail.getByTestId('detail-code').waitFor()
    expect(new URL(page.url()).searchParams.get('case')).toBe(String(inserted.id))
    const phoneField = detail.locator('[data-field="reporter_phone"]')
    expect(await phoneField.getByTestId('personal-value').textContent()).toBe('139****5678')
    await phoneField.getByTestId('reveal').click()
    await page.waitForFunction(p => document.querySelector('[data-field="reporter_phone"] [data-testid="personal-value"]')?.textContent === p, phone)
    await watched.screenshot('console-detail')

    // A legal move (受理): written back, and the queue's row follows through the change capture.
    const status = async (): Promise<string | undefined> => (await sql<{ status: string }>('select status from cases where id = $1', [inserted.id]))[0]?.status
    const events = async (): Promise<number> => Number((await sql<{ n: string }>('select count(*) as n from case_events where case_id = $1', [inserted.id]))[0]!.n)
    await detail.locator('[data-testid="case-action"][data-action="accepted"]').click()
    await until('accepted in the database', status, s => s === 'accepted', 5000)
    await row.and(page.locator('[data-status="accepted"]')).waitFor({ timeout: 3000 })
    await page.locator('[data-testid="console-detail"][data-status="accepted"]').waitFor({ timeout: 3000 })

    // Meanwhile the township's own system moves it on (dispatched, then processing): the panel still
    // offers 派遣, which the server refuses (409) — the console says why, shows the case as it is now,
    // and nothing is written.
    await sql(`with moved as (update cases set status = 'processing', dispatched_at = now(), updated_at = now() where id = $1 returning id)
      insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at)
      values ($1, 'accepted', 'dispatched', now(), 'township', now()), ($1, 'dispatched', 'processing', now(), 'grid_worker', now())`, [inserted.id])
    const before = await events()
    await detail.locator('[data-testid="case-action"][data-action="dispatched"]').click()
    const conflict = detail.getByTestId('action-conflict')
    await conflict.waitFor({ timeout: 5000 })
    expect(await conflict.textContent()).toMatch(/未能改为「已派遣」.*现为「处理中」/)
    await page.locator('[data-testid="console-detail"][data-status="processing"]').waitFor({ timeout: 3000 })
    expect(await detail.getByTestId('detail-status').textContent()).toContain('处理中')
    expect(await detail.locator('[data-testid="case-action"]').evaluateAll(b => b.map(x => x.getAttribute('data-action')))).toEqual(['fed_back'])
    expect([await status(), await events()]).toEqual(['processing', before])
    await row.and(page.locator('[data-status="processing"]')).waitFor({ timeout: 3000 })
    await watched.screenshot('console-conflict')

    // 派遣 goes to a person: the grid's own staff first (its 网格员, on duty, before its 网格长), then the
    // workers on duty nearest to the case; the one chosen is written with the move and named (masked)
    // in the detail afterwards.
    const second = await insertCase(database.url, { level: 'general', code: `E2E-D-${Date.now()}` })
    const secondRow = page.locator(`[data-testid="queue-row"][data-case-id="${second.id}"]`)
    await secondRow.waitFor({ timeout: 15_000 })
    await secondRow.click()
    const secondDetail = (status: string) => page.locator(`[data-testid="console-detail"][data-case-id="${second.id}"][data-status="${status}"]`)
    await secondDetail('reported').waitFor({ timeout: 5000 })
    await detail.locator('[data-testid="case-action"][data-action="accepted"]').click()
    await secondDetail('accepted').waitFor({ timeout: 5000 })
    const picker = detail.getByTestId('dispatch-worker')
    const offered = await picker.locator('option').evaluateAll(options => options.map(o => Number((o as HTMLOptionElement).value)))
    const staff = (await sql<{ id: number }>(
      `select id from grid_workers where active and grid_id = (select grid_id from cases where id = $1) order by duty_status <> 'on_duty', role <> 'grid_worker', id`,
      [second.id],
    )).map(w => Number(w.id))
    const onDuty = new Set((await sql<{ id: number }>(`select id from grid_workers where active and duty_status = 'on_duty'`)).map(w => Number(w.id)))
    expect(staff.length).toBeGreaterThan(0)
    expect(offered.slice(0, staff.length)).toEqual(staff)
    expect(offered.slice(staff.length).every(id => onDuty.has(id))).toBe(true)
    expect(await picker.inputValue()).toBe(String(staff[0]))
    const chosen = offered.at(-1)!
    await picker.selectOption(String(chosen))
    await detail.locator('[data-testid="case-action"][data-action="dispatched"]').click()
    await secondDetail('dispatched').waitFor({ timeout: 5000 })
    expect(await sql<{ status: string }>('select status from cases where id = $1', [second.id])).toEqual([{ status: 'dispatched' }])
    expect(await sql<{ note: string }>(`select note from case_events where case_id = $1 and to_status = 'dispatched'`, [second.id])).toEqual([{ note: `派遣至网格员#${chosen}` }])
    await detail.locator(`[data-testid="dispatched-to"] [data-worker-id="${chosen}"]`).waitFor({ timeout: 3000 })
    await watched.screenshot('console-dispatched')
    // Back to the first case, for the wall.
    await row.click()
    await page.locator(`[data-testid="console-detail"][data-case-id="${inserted.id}"][data-status="processing"]`).waitFor({ timeout: 5000 })

    // 投屏: a wall flies to the case and opens its card within 2 s of the click.
    const wall = await openPage(browser, `${server.url}/?bench=1`, { width: 960, height: 540 })
    // The wall settled first (its map drawn): a wall on the wall is always so; a page still building
    // Cesium under software WebGL holds its main thread for seconds.
    await wall.page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    // …and its first minutes behind it: a page just loaded keeps a software renderer busy for seconds
    // more (panels, charts, textures), its frames 1–4 s apart. Settled: frames again within 300 ms
    // for a whole second.
    await until('the wall settled', () => wall.page.evaluate(() => new Promise<number>((resolve) => {
      let last = performance.now()
      let worst = 0
      const end = last + 1000
      const tick = (now: number): void => {
        worst = Math.max(worst, now - last)
        last = now
        if (now < end)
          requestAnimationFrame(tick)
        else
          resolve(worst)
      }
      requestAnimationFrame(tick)
    })), worst => worst < 300, 60_000, 0)
    const [place] = await sql<{ lon: number, lat: number, category: string }>('select c.lon, c.lat, k.name as category from cases c join case_categories k on k.id = c.category_id where c.id = $1', [inserted.id])
    // Watched from inside the wall, every frame: when the card names the case, when the camera left
    // home for it, when the case sits in the middle of the map seen from close by.
    await wall.page.evaluate(({ lon, lat, category }) => {
      const hooks = window.__map!
      const start = hooks.view()
      const home = start.height
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"] canvas')!
      const seen = { card: 0, leaving: 0, arrived: 0 }
      const w = window as unknown as { pushSeen: Promise<typeof seen> }
      // The card when it enters the page (not at the next frame, which software WebGL makes late).
      const cardShown = (): boolean => document.querySelector('[data-testid="card-incident"]')?.textContent?.includes(category) ?? false
      const cards = new MutationObserver(() => {
        if (!seen.card && cardShown()) {
          seen.card = Date.now()
          cards.disconnect()
        }
      })
      cards.observe(document.body, { childList: true, subtree: true, characterData: true })
      w.pushSeen = new Promise((resolve) => {
        const until = Date.now() + 20_000
        const tick = (): void => {
          const now = Date.now()
          if (!seen.card && cardShown())
            seen.card = now
          const height = hooks.view().height
          // Moving: (a long flight may climb before it descends) the height or the tilt no longer the home view's.
          const view = hooks.view()
          if (!seen.leaving && (Math.abs(height - home) > home * 0.02 || Math.abs(view.pitch - start.pitch) > 1))
            seen.leaving = now
          const p = hooks.project(lon, lat)
          const off = p ? Math.hypot(p.x - canvas.clientWidth / 2, p.y - canvas.clientHeight / 2) : Infinity
          if (!seen.arrived && height < home * 0.5 && off < Math.min(canvas.clientWidth, canvas.clientHeight) * 0.15)
            seen.arrived = now
          if ((seen.card && seen.arrived) || now > until)
            resolve(seen)
          else
            requestAnimationFrame(tick)
        }
        requestAnimationFrame(tick)
      })
    }, place!)
    // Clicked as a hand would, at once (playwright's own click first waits for the button to keep still
    // over two frames, which a browser busy drawing two maps in software makes seconds late); timed from
    // when the console page received the click.
    const button = page.getByTestId('push-to-wall')
    await button.evaluate(b => b.addEventListener('click', () => ((window as unknown as { clicked: number }).clicked = Date.now()), { capture: true, once: true }))
    const box = (await button.boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    const pushed = (await until('the click received', () => page.evaluate(() => (window as unknown as { clicked?: number }).clicked), t => t !== undefined))!
    await wall.page.locator(`[data-testid="wall-push"][data-case-id="${inserted.id}"]`).waitFor({ timeout: 5000 })
    const seen = await wall.page.evaluate(() => (window as unknown as { pushSeen: Promise<{ card: number, leaving: number, arrived: number }> }).pushSeen)
    const after = { card: seen.card - pushed, leaving: seen.leaving - pushed, arrived: seen.arrived - pushed }
    console.info(`push to wall: card ${after.card} ms, camera away ${after.leaving} ms, over the case ${after.arrived} ms after the click`)
    // The card and the camera on its way within the 2 s where the test has the machine to
    // itself (CI), three times that on a developer's machine shared with other suites. The camera is
    // timed by the frames the wall draws, in a software renderer it shares with the console's map.
    const slack = process.env.CI ? 1 : 3
    expect([seen.card > 0, seen.leaving > 0, seen.arrived > 0]).toEqual([true, true, true])
    expect(after.card).toBeLessThan(2000 * slack)
    expect(after.leaving).toBeLessThan(2000 * slack)
    expect(after.arrived).toBeLessThan(15_000)
    await wall.screenshot('console-pushed-wall')

    // At a 1366×768 desk: every column inside the window and side by side, nothing scrolled away.
    await page.setViewportSize({ width: 1366, height: 768 })
    await until('laid out again', () => page.evaluate(() => document.documentElement.clientWidth), w => w === 1366)
    const layout = await page.evaluate(() => {
      const box = (selector: string) => {
        const r = document.querySelector(selector)!.getBoundingClientRect()
        return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top), bottom: Math.round(r.bottom) }
      }
      return {
        scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
        queue: box('.console__queue'),
        map: box('[data-testid="console-map"]'),
        detail: box('[data-testid="console-detail"]'),
        actions: box('[data-testid="console-actions"]'),
        filters: box('[data-testid="console-filters"]'),
      }
    })
    expect(layout.scroll).toEqual([1366, 768])
    expect(layout.queue.right).toBeLessThanOrEqual(layout.map.left)
    expect(layout.map.right).toBeLessThanOrEqual(layout.detail.left)
    expect(layout.map.right - layout.map.left).toBeGreaterThan(400)
    for (const part of [layout.queue, layout.detail, layout.actions, layout.filters])
      expect([part.left >= 0, part.right <= 1366, part.bottom <= 768]).toEqual([true, true, true])
    await watched.screenshot('console-1366')
    watched.assertClean()
    wall.assertClean()
    expect(watched.requests.filter(u => /\/assets\/mapbox[-.]/.test(u))).toEqual([])
  }, 300_000)
})
