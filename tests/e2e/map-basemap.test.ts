import type { Server } from 'node:http'
import type { Browser } from 'playwright-core'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import type { RunningServer } from '../harness/server.ts'
import { createServer } from 'node:http'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng, launchBrowser, openPage } from '../harness/browser.ts'
import { freePort, startServer } from '../harness/server.ts'

/**
 * Intranet base imagery: a tile server on this machine (as a county's 天地图 node or GIS server
 * would be), in XYZ and in 天地图-style WMTS (key-value requests, geographic CGCS2000 tiles whose
 * matrix labels start at 1). The map must ask it for the tiles over the township and draw them.
 */

declare const window: { __map: MapHooks }

/** A tile of one colour (magenta: nothing else on the map is). */
function tile(): Buffer {
  const png = new PNG({ width: 256, height: 256 })
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 200
    png.data[i + 1] = 40
    png.data[i + 2] = 210
    png.data[i + 3] = 255
  }
  return PNG.sync.write(png)
}

interface TileRequest { z: number, x: number, y: number }

const CASES = [
  {
    kind: 'xyz',
    env: (base: string) => ({ MAP_BASEMAP: 'xyz', MAP_TILE_URL: `${base}/xyz/{z}/{x}/{y}.png` }),
    parse: (url: URL): TileRequest | null => {
      const m = /^\/xyz\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(url.pathname)
      return m ? { z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) } : null
    },
    /** The Web Mercator tile holding a place. */
    tileOf: (lon: number, lat: number, z: number): { x: number, y: number } => {
      const n = 2 ** z
      const phi = lat * Math.PI / 180
      return { x: Math.floor((lon + 180) / 360 * n), y: Math.floor((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2 * n) }
    },
  },
  {
    kind: 'wmts',
    env: (base: string) => ({ MAP_BASEMAP: 'wmts', MAP_TILE_URL: `${base}/img_c/wmts`, MAP_WMTS_LAYER: 'img', MAP_WMTS_FORMAT: 'tiles', MAP_TILE_CRS: 'geographic' }),
    parse: (url: URL): TileRequest | null => {
      const p = new URLSearchParams([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]))
      if (url.pathname !== '/img_c/wmts' || p.get('request') !== 'GetTile' || p.get('layer') !== 'img' || p.get('tilematrixset') !== 'c')
        return null
      return { z: Number(p.get('tilematrix')), x: Number(p.get('tilecol')), y: Number(p.get('tilerow')) }
    },
    /** 天地图's "c" set: geographic, two tiles across at its level 1. */
    tileOf: (lon: number, lat: number, z: number): { x: number, y: number } => {
      const n = 2 ** (z - 1)
      return { x: Math.floor((lon + 180) / 360 * 2 * n), y: Math.floor((90 - lat) / 180 * n) }
    },
  },
] as const

describe.each(CASES)('intranet base imagery: $kind', ({ kind, env, parse, tileOf }) => {
  let tiles: Server
  let server: RunningServer
  let browser: Browser
  const requested: TileRequest[] = []
  const malformed: string[] = []

  beforeAll(async () => {
    const png = tile()
    const port = await freePort()
    tiles = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
      const parsed = parse(url)
      if (!parsed || !Number.isInteger(parsed.z) || !Number.isInteger(parsed.x) || !Number.isInteger(parsed.y)) {
        malformed.push(url.href)
        response.writeHead(404).end()
        return
      }
      requested.push(parsed)
      response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(png)
    })
    await new Promise<void>(resolve => tiles.listen(port, '127.0.0.1', resolve))
    server = await startServer({ env: { ...env(`http://127.0.0.1:${port}`), MAP_ORBIT_SECONDS: '0', MAP_ATTRIBUTION: '县自然资源局 影像', MAP_REVIEW_NUMBER: '湘S(2025)001号' } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await new Promise(resolve => tiles?.close(resolve))
  })

  it('asks the intranet server for the tiles over the township and draws them, credited', async () => {
    const watched = await openPage(browser, `${server.url}/?bench=1`, { width: 1280, height: 720 })
    const { page } = watched
    await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    const home = (await page.evaluate(() => window.__map.home()))!

    // Well-formed requests only, and down to street-level tiles of the township's centre.
    expect(malformed).toEqual([])
    const deepest = Math.max(...requested.map(r => r.z))
    expect(deepest, 'zoom level of the finest tiles asked for').toBeGreaterThanOrEqual(11)
    const centre = tileOf(home.target.lon, home.target.lat, deepest)
    expect(requested.some(r => r.z === deepest && Math.abs(r.x - centre.x) <= 2 && Math.abs(r.y - centre.y) <= 2), `a level-${deepest} tile near ${JSON.stringify(centre)}`).toBe(true)

    // The imagery shows, darkened and desaturated for the wall (dimmer still around the township): a
    // purple cast where the ground would otherwise be the dark blue background (red below green).
    await watched.screenshot(`map-basemap-${kind}`)
    const { data } = decodePng(await page.locator('[data-testid="map"] canvas').first().screenshot())
    let imagery = 0
    for (let i = 0; i < data.length; i += 4) {
      if (data[i]! - data[i + 1]! > 6 && data[i + 2]! - data[i + 1]! > 6)
        imagery++
    }
    expect(imagery / (data.length / 4), 'share of the map showing the tiles').toBeGreaterThan(0.1)
    await expect(page.getByTestId('map-credits').textContent()).resolves.toMatch(/县自然资源局 影像.*湘S\(2025\)001号/)
    watched.assertClean()
    await page.context().close()
  })
})
