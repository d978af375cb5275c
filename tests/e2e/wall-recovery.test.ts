import type { Browser } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { freePort, startServer } from '../harness/server.ts'
import { expectWallMatchesDatabase, insertCase, seedTownship, waitForWall } from './wall-truth.ts'

/**
 * The server dies and comes back (same port, same database) while the wall keeps running: the wall
 * says its data is stale, with its age, while the server is away, then recovers by itself — no
 * reload — and its figures are true again, including a case written while the server was down.
 * Needs PostgreSQL (the test writes and checks by SQL while the server is down); skipped without it.
 */
describe.skipIf(!(await postgresAvailable()))('the wall through a server restart', () => {
  let database: TestDatabase
  let server: RunningServer | undefined
  let browser: Browser
  let port: number

  beforeAll(async () => {
    database = await seedTownship('cc_wall_restart')
    port = await freePort()
    server = await startServer({ port, env: { DATABASE_URL: database.url, DEMO: '0' } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database?.drop()
  })

  it('shows stale data as stale while the server is down, then recovers without a reload', async () => {
    // Socket.IO's reconnection attempts fail while the server is down: those are expected.
    const watched = await openPage(browser, `${server!.url}/?map=off`, undefined, { allowFailedResponses: /\/(socket\.io|api)\// })
    const { page } = watched
    const wall = page.locator('[data-testid="wall"]')
    const indicator = page.getByTestId('live-indicator')
    await waitForWall(page)
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 10_000 })
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true
    })

    // Killed, as a crash or a power cut would.
    await server!.stop('SIGKILL')
    server = undefined
    await page.locator('[data-testid="live-indicator"][data-state="stale"]').waitFor({ timeout: 20_000 })
    expect(await wall.getAttribute('data-stale')).toBe('true')
    expect(await indicator.textContent()).toContain('数据延迟')
    const age = Number(await indicator.getAttribute('data-age-seconds'))
    await page.waitForTimeout(3000)
    // The age keeps counting: the wall never looks silently frozen.
    expect(Number(await indicator.getAttribute('data-age-seconds'))).toBeGreaterThanOrEqual(age + 2)
    expect(await indicator.textContent()).toMatch(/数据延迟 \d+ 秒/)
    const opacity = await page.locator('[data-panel="hourly"]').evaluate(el => Number(getComputedStyle(el.closest('.wall__dim')!).opacity))
    expect(opacity).toBeLessThan(1)
    await watched.screenshot('wall-stale-1920x1080')

    // Another system writes while the server is away.
    const written = await insertCase(database.url, { level: 'serious', code: `E2E-RESTART-${Date.now()}` })

    server = await startServer({ port, env: { DATABASE_URL: database.url, DEMO: '0' } })
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 60_000 })
    await page.locator(`[data-testid="ticker"] [data-case-id="${written.id}"]`).waitFor({ timeout: 15_000 })
    expect(await wall.getAttribute('data-stale')).toBe('false')
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    await expectWallMatchesDatabase(page, database.url)
    expect(watched.external).toEqual([])
    expect(watched.pageErrors).toEqual([])
    await page.context().close()
  })
})
