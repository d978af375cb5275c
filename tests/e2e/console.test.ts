import type { Browser } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'
import { insertCase, seedTownship } from './wall-truth.ts'

/**
 * The dispatch console against a real server on PostgreSQL with the mock township: a case written by
 * SQL joins the queue within 3 s, search finds it, its detail shows the reporter masked until 显示,
 * 投屏 makes a wall open its card within 2 s, and maplibre draws with no request leaving the machine
 * (`openPage` fails the test on any external request).
 */
describe.skipIf(!(await postgresAvailable()))('the dispatch console', () => {
  let database: TestDatabase
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    database = await seedTownship('cc_console')
    server = await startServer({ env: { DATABASE_URL: database.url, DEMO: '0' } })
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database?.drop()
  })

  it('queues a new case live, finds it, reveals its reporter and pushes it to the wall', async () => {
    const watched = await openPage(browser, `${server.url}/signin?next=/console`, undefined, { allowFailedResponses: /\/api\/auth\/me$/ })
    const { page } = watched
    await page.getByTestId('signin-username').fill('admin')
    await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.waitForURL(url => url.pathname === '/console')
    await page.locator('[data-testid="console"][data-ready="1"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="console-map"][data-state="ready"]').waitFor({ timeout: 30_000 })

    const phone = '13912345678'
    const started = Date.now()
    const inserted = await insertCase(database.url, { level: 'urgent', code: `E2E-C-${Date.now()}`, personal: { name: '欧阳测试', phone, address: '幸福路88号' } })
    const row = page.locator(`[data-testid="queue-row"][data-case-id="${inserted.id}"]`)
    await row.waitFor({ timeout: 3000 })
    expect(Date.now() - started).toBeLessThan(3000)
    // In its place: urgent cases first, and announced.
    const levels = await page.locator('[data-testid="queue-row"]').evaluateAll(rows => rows.map(r => r.className))
    const at = await page.locator('[data-testid="queue-row"]').evaluateAll((rows, id) => rows.findIndex(r => r.getAttribute('data-case-id') === String(id)), inserted.id)
    expect(levels.slice(0, at).every(c => c.includes('--urgent'))).toBe(true)
    expect(await row.getAttribute('class')).toContain('is-new')
    await watched.screenshot('console-queue')

    const code = await row.getAttribute('data-code')
    await page.keyboard.press('/')
    await page.keyboard.type(code!)
    await page.waitForFunction(id => [...document.querySelectorAll('[data-testid="queue-row"]')].every(r => r.getAttribute('data-case-id') === String(id)), inserted.id, { timeout: 3000 })
    expect(new URL(page.url()).searchParams.get('q')).toBe(code)

    await row.click()
    const detail = page.getByTestId('console-detail')
    await detail.getByTestId('detail-code').waitFor()
    expect(new URL(page.url()).searchParams.get('case')).toBe(String(inserted.id))
    const phoneField = detail.locator('[data-field="reporter_phone"]')
    expect(await phoneField.getByTestId('personal-value').textContent()).toBe('139****5678')
    await phoneField.getByTestId('reveal').click()
    await page.waitForFunction(p => document.querySelector('[data-field="reporter_phone"] [data-testid="personal-value"]')?.textContent === p, phone)
    await watched.screenshot('console-detail')

    const wall = await openPage(browser, `${server.url}/`, { width: 960, height: 540 })
    // The wall settled first (its map drawn): a wall on the wall is always so; a page still building
    // Cesium under software WebGL holds its main thread for seconds.
    await wall.page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    await page.getByTestId('push-to-wall').click()
    const pushed = Date.now()
    await wall.page.locator(`[data-testid="wall-push"][data-case-id="${inserted.id}"]`).waitFor({ timeout: 5000 })
    // ≈ 0.3–1 s measured on a quiet machine; the margin is for a loaded one.
    expect(Date.now() - pushed).toBeLessThan(4000)
    await wall.screenshot('console-pushed-wall')
    watched.assertClean()
    wall.assertClean()
  }, 300_000)
})
