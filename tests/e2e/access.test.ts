import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../harness/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/src/db/index.ts'
import { seedMiniTownship } from '../harness/contract.ts'
import { launchBrowser, SCREENSHOT_DIR } from '../harness/browser.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'

const pgReachable = await postgresAvailable()

interface Watched {
  page: Page
  context: BrowserContext
  problems: () => string[]
  /** CSP violations the page reported (`securitypolicyviolation`). */
  violations: () => Promise<string[]>
  shot: (name: string) => Promise<void>
}

/**
 * A page in a context of our own (the harness's `openPage` fixes the zone at Asia/Shanghai and
 * navigates before an init script could listen): the same policing — nothing leaves localhost,
 * no page error, no failed local answer except the expected ones — plus CSP violations.
 */
async function open(browser: Browser, url: string, options: { timezoneId?: string, allowFailed?: RegExp } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: options.timezoneId ?? 'Asia/Shanghai' })
  await context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', e => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  const problems: string[] = []
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname
    if (route.request().url().startsWith('data:') || route.request().url().startsWith('blob:') || host === '127.0.0.1' || host === 'localhost')
      return route.continue()
    problems.push(`request left localhost: ${route.request().url()}`)
    return route.abort('blockedbyclient')
  })
  const page = await context.newPage()
  page.on('pageerror', error => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && !options.allowFailed?.test(response.url()))
      problems.push(`failed response: ${response.status()} ${response.url()}`)
  })
  await page.goto(url, { waitUntil: 'domcontentloaded' })
  return {
    page,
    context,
    problems: () => problems,
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    async shot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true })
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
    },
  }
}

describe('signing in, the clock\'s zone and the edge (open wall, embedded database)', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`signs in (${lang}): a wrong password says so, the right one reaches /console`, async () => {
      const w = await open(browser, `${server.url}/console${lang === 'en' ? '?lang=en' : ''}`, { allowFailed: /\/api\/auth\/(me|sign-in)$/ })
      const { page } = w
      // Not signed in: the console sends the browser to the sign-in page, to come back after.
      await page.getByTestId('signin').waitFor()
      expect(new URL(page.url()).pathname).toBe('/signin')
      expect(new URL(page.url()).searchParams.get('next')).toBe(`/console${lang === 'en' ? '?lang=en' : ''}`)
      await page.getByTestId('signin-username').fill('admin')
      await page.getByTestId('signin-password').fill('Not-The-Passw0rd')
      await page.getByTestId('signin-submit').click()
      const error = page.getByTestId('signin-error')
      await error.waitFor()
      expect(await error.getAttribute('data-kind')).toBe('wrong')
      expect((await error.textContent())?.trim()).toBe(lang === 'en' ? 'The account or the password is not right.' : '账号或密码不正确。')
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
      await w.shot(`access-signin-wrong-${lang}`)

      await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
      await page.getByTestId('signin-submit').click()
      await page.waitForURL(url => url.pathname === '/console')
      await page.getByTestId('signin').waitFor({ state: 'detached' })
      const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json() as Promise<{ username: string }>)
      expect(me.username).toBe('admin')
      await w.shot(`access-console-${lang}`)
      expect(w.problems().filter(p => !p.includes('/api/auth/'))).toEqual([])
      await w.context.close()
    }, 60_000)
  }

  it('shows Beijing time in the title on a browser set to New York', async () => {
    const w = await open(browser, `${server.url}/?map=off`, { timezoneId: 'America/New_York' })
    const clock = w.page.getByTestId('clock')
    await w.page.locator('[data-wall-ready="true"]').waitFor({ timeout: 60_000 })
    // The configuration is known: the clock is in its zone.
    await w.page.locator('[data-testid="clock"][data-time-zone="Asia/Shanghai"]').waitFor()
    const browserZone = await w.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(browserZone).toBe('America/New_York')
    const text = (await clock.textContent())!
    const serverNow = new Date((await fetch(`${server.url}/api/health`)).headers.get('date')!)
    const beijing = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('zh-CN', { ...options, timeZone: 'Asia/Shanghai' }).format(serverNow)
    expect(text).toContain(beijing({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }))
    const [h, m, s] = /(\d{2}):(\d{2}):(\d{2})/.exec(text)!.slice(1).map(Number) as [number, number, number]
    const [eh, em, es] = beijing({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).split(':').map(Number) as [number, number, number]
    const diff = Math.abs(((h * 3600 + m * 60 + s) - (eh * 3600 + em * 60 + es) + 86_400 + 43_200) % 86_400 - 43_200)
    expect(diff, `clock ${text}, server ${serverNow.toISOString()}`).toBeLessThan(5)
    await w.shot('access-clock-new-york')
    expect(w.problems()).toEqual([])
    await w.context.close()
  }, 90_000)

  it('runs the wall and its 3D map with no CSP violation, behind the security headers', async () => {
    const index = await fetch(`${server.url}/`)
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
    expect(index.headers.get('content-security-policy')).not.toContain('\'unsafe-eval\'')
    expect(index.headers.get('x-content-type-options')).toBe('nosniff')
    expect(index.headers.get('x-frame-options')).toBe('DENY')
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const w = await open(browser, `${server.url}/`)
    await w.page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 150_000 })
    await w.page.locator('[data-wall-ready="true"]').waitFor({ timeout: 60_000 })
    await w.page.waitForTimeout(2000)
    await w.shot('access-wall-csp')
    expect(await w.violations()).toEqual([])
    expect(w.problems()).toEqual([])
    await w.context.close()
  }, 200_000)
})

describe.skipIf(!pgReachable)('a wall in device mode (PostgreSQL)', () => {
  let testDb: TestDatabase
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    testDb = await createTestDatabase()
    const db = await openDatabase({ url: testDb.url })
    await seedMiniTownship(db)
    await db.close()
    server = await startServer({ env: { DATABASE_URL: testDb.url, WALL_ACCESS: 'device' }, entry: 'product' })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await testDb?.drop()
  })

  it('shows how to register a wall without a display session, and the wall once its token is presented', async () => {
    const w = await open(browser, `${server.url}/?map=off`, { allowFailed: /\/api\/(status|auth\/display)/ })
    const notice = w.page.getByTestId('display-not-registered')
    await notice.waitFor()
    const text = (await notice.textContent())!
    expect(text).toContain('此显示屏未登记')
    expect(text).toContain('npm run users -- add-display')
    expect(text).toContain('/?display=')
    await w.shot('access-display-not-registered')

    // Registered with the server's own command line, as an administrator would.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/users.ts', 'add-display', 'hall-left'], { env: { ...process.env, DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' }, encoding: 'utf8' })
    expect(cli.status, cli.stderr).toBe(0)
    const token = /token \(shown once\): (\S+)/.exec(cli.stdout)![1]!

    await w.page.goto(`${server.url}/?map=off&display=${token}`)
    await w.page.locator('[data-wall-ready="true"]').waitFor({ timeout: 60_000 })
    expect(w.page.url()).not.toContain(token)
    expect(new URL(w.page.url()).searchParams.get('map')).toBe('off')
    // The browser keeps its display session: a reload needs no token.
    await w.page.reload()
    await w.page.locator('[data-wall-ready="true"]').waitFor({ timeout: 60_000 })
    await w.shot('access-display-wall')
    expect(w.problems()).toEqual([])
    await w.context.close()
  }, 150_000)
})
