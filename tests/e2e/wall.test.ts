import type { Browser } from 'playwright-core'
import type { Provenance } from '#wire'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng, launchBrowser, openPage, pixelStats } from '../harness/browser.ts'
import { startServer } from '../harness/server.ts'

/** The wall's dark background (#020b1a), what an undrawn map would show. */
const BACKGROUND: [number, number, number] = [2, 11, 26]

describe('the wall at 1920×1080', () => {
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

  it('serves its scripts and Cesium\'s files precompressed (Brotli or gzip) to browsers that take them', async () => {
    const index = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'identity' } })
    expect(index.headers.get('content-encoding')).toBeNull()
    const scripts = [...(await index.text()).matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map(m => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const [path, encoding] of [[scripts[0]!, 'br'], [scripts[0]!, 'gzip'], ...scripts.slice(1).map(script => [script, 'br'] as const), ['/cesium/Assets/approximateTerrainHeights.json', 'br'], ['/cesium/Workers/createGeometry.js', 'gzip']] as const) {
      const plain = await (await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } })).text()
      // (fetch decodes the body; the header says what travelled.)
      const packed = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } })
      expect(packed.headers.get('content-encoding'), `${path} as ${encoding}`).toBe(encoding)
      expect(await packed.text()).toBe(plain)
    }
  })

  it('draws the offline 3D map under a legible Chinese title, with nothing leaving localhost', async () => {
    const watched = await openPage(browser, `${server.url}/`)
    const { page } = watched
    await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 150_000 })

    // The title, in Chinese by default: the township's own (东岳观镇基层治理指挥中心) from /api/config.
    const title = page.getByTestId('title')
    const config = await (await fetch(`${server.url}/api/config`)).json() as { title: string }
    await expect(title.textContent()).resolves.toContain('基层治理指挥中心')
    expect((await title.textContent())?.trim()).toBe(config.title)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')

    // The glyphs come from a font that has them (not the fallback's boxes): ask the renderer which
    // platform fonts drew the title…
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid="title"]' })
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
    const cjkGlyphs = fonts.filter(font => /CJK|Han|Hei|Song|Ming|Kai|YaHei|PingFang|WenQuanYi/i.test(font.familyName))
      .reduce((sum, font) => sum + font.glyphCount, 0)
    expect(cjkGlyphs, `fonts used: ${JSON.stringify(fonts)}`).toBeGreaterThanOrEqual('乡镇基层治理指挥中心'.length)

    // …and check that each character draws differently from a glyph no font has (the "tofu" box).
    const tofuLike = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="title"]')!
      const font = getComputedStyle(el).font
      const canvas = document.createElement('canvas')
      canvas.width = 96
      canvas.height = 96
      const ctx = canvas.getContext('2d')!
      const draw = (ch: string): string => {
        ctx.clearRect(0, 0, 96, 96)
        ctx.font = font
        ctx.fillStyle = '#fff'
        ctx.textBaseline = 'top'
        ctx.fillText(ch, 4, 4)
        return Array.from(ctx.getImageData(0, 0, 96, 96).data).join(',')
      }
      const tofu = draw('\u{10FFFD}')
      return [...(el.textContent ?? '').trim()].filter(ch => draw(ch) === tofu)
    })
    expect(tofuLike).toEqual([])

    // The Cesium canvas has drawn the globe: many pixels that are not background, in many colours.
    const canvas = page.locator('[data-testid="map"] canvas').first()
    const stats = pixelStats(decodePng(await canvas.screenshot()), BACKGROUND)
    expect(stats.foreground).toBeGreaterThan(0.1)
    expect(stats.colours).toBeGreaterThan(50)

    await watched.screenshot('wall-1920x1080')

    // "Is this real?": the I key frames each part of the wall with the tables its figures come from,
    // the rows the server holds and their last change; I again closes it.
    await page.keyboard.press('i')
    await page.getByTestId('inspect-head').waitFor({ timeout: 10_000 })
    const provenance = await (await fetch(`${server.url}/api/provenance`)).json() as Provenance
    const cases = provenance.tables.find(t => t.table === 'cases')!.rows
    expect(cases).toBeGreaterThan(0)
    for (const part of ['kpis', 'map', 'ticker', 'villages', 'party']) {
      const box = page.locator(`[data-inspect="${part}"]`)
      await expect(box.count(), part).resolves.toBe(1)
    }
    await expect(page.locator('[data-inspect="kpis"] [data-table="cases"]').textContent()).resolves.toContain(`${cases.toLocaleString('zh-CN')} 条`)
    await expect(page.locator('[data-inspect="party"]').textContent()).resolves.toMatch(/党员 party_members[\s\S]*条/)
    await expect(page.getByTestId('inspect-head').textContent()).resolves.toMatch(/数据溯源[\s\S]*业务库在线/)
    await watched.screenshot('wall-inspect-1920x1080')
    await page.keyboard.press('i')
    await page.getByTestId('inspect').waitFor({ state: 'detached', timeout: 5000 })
    watched.assertClean()
  })
})
