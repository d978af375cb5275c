import type { Browser } from 'playwright-core'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage } from '../harness/browser.ts'
import { startServer } from '../harness/server.ts'

declare const window: Window & { __map: MapHooks, __sameDocument?: boolean }

/**
 * The wall's memory watchdog (#16), in Chromium: over `WALL_MEMORY_LIMIT_MB` (here 1 MB, so that any
 * wall is far over it and reloads at once rather than at the quiet hours) the wall reloads by itself
 * at its next heap sample (every minute; run here when the test says) and comes back in the same
 * language and screen profile, the map where it was.
 */
describe('the wall\'s memory watchdog', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ env: { WALL_MEMORY_LIMIT_MB: '1', MAP_ORBIT_SECONDS: '0', MAP_RETURN_HOME_SECONDS: '600', MAP_IDLE_SECONDS: '600' } })
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('reloads a wall over its heap limit by itself, in the same language and profile, the map where it was', async () => {
    const watched = await openPage(browser, `${server.url}/?bench=1&lang=en`, { width: 1280, height: 720 }, {
      // The watchdog's sample, due every minute, is run by the test when it wants (a page clock cannot
      // be used: Playwright's fake \`performance\` has no heap figures).
      beforeLoad: page => page.addInitScript(() => {
        const minutely: (() => void)[] = []
        const every = window.setInterval.bind(window)
        window.setInterval = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) => {
          if (ms === 60_000 && typeof handler === 'function')
            minutely.push(handler as () => void)
          return every(handler, ms, ...rest)
        }) as typeof window.setInterval
        ;(window as unknown as { __minute: () => void }).__minute = () => minutely.forEach(run => run())
      }),
    })
    const { page } = watched
    const ready = () => page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    await ready()
    await page.locator('[data-testid="wall"][data-wall-ready="true"]').waitFor({ timeout: 30_000 })
    const profile = await page.locator('.screen-stage').getAttribute('data-profile')

    // Away from home, as after a flight to a case.
    const home = (await page.evaluate(() => window.__map.home()))!
    await page.evaluate(({ lon, lat }) => window.__map.flyTo(lon, lat, 2500), { lon: home.target.lon + 0.01, lat: home.target.lat + 0.005 })
    await page.evaluate(() => window.__map.rendered())
    const view = await page.evaluate(() => window.__map.view())
    await page.evaluate(() => (window.__sameDocument = true))

    expect(view.height).toBeLessThan(home.position.height * 0.5)
    // At its next sample, the page reloads by itself.
    const reloaded = page.waitForEvent('load', { timeout: 30_000 })
    await page.evaluate(() => (window as unknown as { __minute: () => void }).__minute())
    await reloaded
    await ready()
    expect(await page.evaluate(() => window.__sameDocument)).toBeUndefined()

    // The same language and profile (in the URL), the map where it was (handed over).
    const url = new URL(page.url())
    expect([url.searchParams.get('lang'), url.searchParams.get('profile')]).toEqual(['en', profile])
    expect(await page.locator('html').getAttribute('lang')).toMatch(/^en/)
    const restored = await page.evaluate(() => window.__map.view())
    expect(Math.abs(restored.height - view.height) / view.height).toBeLessThan(0.02)
    expect(Math.abs(restored.heading - view.heading)).toBeLessThan(0.5)
    await watched.screenshot('wall-watchdog-reloaded')
    watched.assertClean()
  })
})
