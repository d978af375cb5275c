import type { Browser } from 'playwright-core'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng, launchBrowser, openPage, pixelStats, until } from '../harness/browser.ts'
import { startServer, TEST_ADMIN_PASSWORD } from '../harness/server.ts'

/** A token of the public kind's shape; Mapbox's hosts are answered by the test, so it is never checked. */
const TOKEN = `pk.${Buffer.from(JSON.stringify({ u: 'township-test', a: 'e2e' })).toString('base64url')}.${'x'.repeat(22)}`

/**
 * The console on mapbox-gl, as a deployment with a Mapbox account runs it (`MAP2D_RENDERER=mapbox`
 * and its token): the renderer loads as its own chunk, draws the same township (village names, cases),
 * the page's security policy lets it work, and the only outside hosts it contacts are Mapbox's, as the
 * README says (answered here, so nothing leaves the machine).
 */
describe('the console on mapbox-gl', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ env: { MAP2D_RENDERER: 'mapbox', MAPBOX_ACCESS_TOKEN: TOKEN } })
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('draws the township with mapbox-gl, under the page\'s security policy, contacting only Mapbox', async () => {
    const watched = await openPage(browser, `${server.url}/signin?next=/console`, undefined, { allowFailedResponses: /\/api\/auth\/me$/, stubHosts: /(^|\.)mapbox\.com$/ })
    const { page } = watched
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text())
    })
    await page.getByTestId('signin-username').fill('admin')
    await page.getByTestId('signin-password').fill(TEST_ADMIN_PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.waitForURL(url => url.pathname === '/console')
    const map = page.getByTestId('console-map')
    await page.locator('[data-testid="console-map"][data-state="ready"]').waitFor({ timeout: 60_000 })
    expect(await map.getAttribute('data-renderer')).toBe('mapbox')
    // mapbox-gl's own chunk was loaded (and maplibre's was not).
    const scripts = watched.requests.filter(u => u.endsWith('.js')).map(u => new URL(u).pathname)
    expect(scripts.some(p => /mapbox/i.test(p))).toBe(true)
    expect(scripts.some(p => /maplibre/i.test(p))).toBe(false)

    // The same township as with maplibre: every village named, the open cases in the queue drawn.
    const villages = await (await fetch(`${server.url}/api/geodata/villages`)).json() as { features: { properties: { name: string, center: unknown } }[] }
    const named = villages.features.filter(f => f.properties.center !== null).map(f => f.properties.name).sort()
    const labels = await until('village names drawn', () => page.getByTestId('village-label').allTextContents(), l => l.length >= named.length, 20_000)
    expect(labels.sort()).toEqual(named)
    const box = (await map.boundingBox())!
    const picture = decodePng(await page.screenshot({ clip: { x: box.x, y: box.y, width: box.width, height: box.height } }))
    // Not a blank canvas: the grids' colours, the cases' dots.
    expect(pixelStats(picture, [picture.data[0]!, picture.data[1]!, picture.data[2]!]).colours).toBeGreaterThan(20)
    await watched.screenshot('console-mapbox')

    expect(violations, 'no Content-Security-Policy violation').toEqual([])
    // What leaves for Mapbox is Mapbox's own (usage events, map sessions): nothing else leaves at all.
    expect(watched.stubbed.every(u => /^https:\/\/(api|events)\.mapbox\.com\//.test(u)), watched.stubbed.join('\n')).toBe(true)
    watched.assertClean()
  })
})
