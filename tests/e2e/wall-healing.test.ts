import type { Server } from 'node:net'
import type { CDPSession, Page } from 'playwright-core'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { useMapTownship } from './map-township.ts'

declare const window: {
  __map: MapHooks
  __wall: { remount: () => void }
  __contexts: (WebGLRenderingContext | WebGL2RenderingContext)[]
  __states: string[]
}

/** How long the map waits for tiles here (`?settle=`; a wall waits a minute). */
const SETTLE_MS = 4000

/**
 * The self-healing wall (#16): tiles from a tile server that never answers do not keep the map
 * rendering (it settles after its limit and idles, also after re-mounts); re-mounting the wall (what it does after a captured error) leaves
 * nothing behind — no listener, node, canvas, WebGL context or render loop — and a lost WebGL
 * context (a GPU reset) rebuilds the map in place, its view, layers and data restored, no reload.
 * One township, one page, in the order a wall would live through them.
 */
describe.skipIf(!(await postgresAvailable()))('the self-healing wall', () => {
  // An intranet tile server that accepts connections and never answers.
  let blackHole: Server
  let blackHolePort = 0
  beforeAll(async () => {
    blackHole = createServer(() => {})
    await new Promise<void>(resolve => blackHole.listen(0, '127.0.0.1', resolve))
    blackHolePort = (blackHole.address() as { port: number }).port
  })
  afterAll(() => {
    blackHole?.close()
  })
  const town = useMapTownship('postgres', 'cc_wall_healing', () => ({
    MAP_ORBIT_SECONDS: '0',
    MAP_RETURN_HOME_SECONDS: '300',
    MAP_BASEMAP: 'xyz',
    MAP_TILE_URL: `http://127.0.0.1:${blackHolePort}/tiles/{z}/{x}/{y}.png`,
  }))

  /** Every WebGL context the page creates, and every state the map shows (recorded from the start). */
  function recordContextsAndStates(): void {
    const contexts: unknown[] = []
    const states: string[] = []
    Object.assign(globalThis, { __contexts: contexts, __states: states })
    const original = HTMLCanvasElement.prototype.getContext
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, ...args: Parameters<typeof original>) {
      const context = original.apply(this, args)
      if (context && /webgl/.test(String(args[0])) && !contexts.includes(context))
        contexts.push(context)
      return context
    } as typeof original
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="map"]')?.getAttribute('data-map-state')
      if (state && states[states.length - 1] !== state)
        states.push(state)
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-map-state'], childList: true })
  }

  async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
    await cdp.send('HeapProfiler.collectGarbage')
    const { metrics } = await cdp.send('Performance.getMetrics')
    return Object.fromEntries(metrics.map(m => [m.name, m.value]))
  }

  /** The detached DOM trees still held (their roots: tag.class × count), to say what a leak keeps. */
  async function detachedRoots(cdp: CDPSession): Promise<string> {
    try {
      await cdp.send('DOM.enable')
      const { detachedNodes } = await cdp.send('DOM.getDetachedDomNodes' as 'DOM.enable') as unknown as { detachedNodes: { treeNode: { nodeName: string, attributes?: string[] }, retainedNodeIds: number[] }[] }
      const counts = new Map<string, number>()
      for (const { treeNode, retainedNodeIds } of detachedNodes) {
        const attributes = treeNode.attributes ?? []
        const cls = attributes[attributes.indexOf('class') + 1] ?? ''
        const key = `${treeNode.nodeName}.${attributes.includes('class') ? cls : ''} (${retainedNodeIds.length})`
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k}×${n}`).join(', ')
    }
    catch (error) {
      return `(detached nodes not available: ${String(error).slice(0, 80)})`
    }
  }

  /** WebGL contexts alive now (created and not lost), and canvases in the page. */
  const gpu = (page: Page): Promise<{ contexts: number, canvases: number }> => page.evaluate(() => ({
    contexts: window.__contexts.filter(gl => !gl.isContextLost()).length,
    canvases: document.querySelectorAll('canvas').length,
  }))

  /**
   * Frames the map draws per second over a few seconds once idle (no orbit, nothing changing): first
   * a second without a frame (a re-mount's fresh snapshot redraws the cameras once), then the count.
   * A render loop (≈10 frames a second) never gives that quiet second.
   */
  async function idleFps(page: Page, seconds = 3): Promise<number> {
    let last = -1
    await until('a second without a frame', async () => {
      const frames = await page.evaluate(() => window.__map.frames)
      const quiet = frames === last
      last = frames
      return quiet
    }, quiet => quiet, 20_000, 1000)
    const before = await page.evaluate(() => window.__map.frames)
    await page.waitForTimeout(seconds * 1000)
    return (await page.evaluate(() => window.__map.frames) - before) / seconds
  }

  /** Waits for a map that was not there before `mark` and is ready. */
  async function whenMapReady(page: Page, timeoutMs: number): Promise<void> {
    await until('the map is ready again', () => page.evaluate(() => {
      const map = document.querySelector<HTMLElement>('[data-testid="map"]')
      return map !== null && map.dataset.old !== '1' && map.getAttribute('data-map-state') === 'ready'
    }), ready => ready, timeoutMs, 200)
  }

  it('re-mounts with nothing left behind, and rebuilds the map after a lost WebGL context', async () => {
    const watched = await openPage(town.browser, 'about:blank', { width: 1280, height: 720 })
    const { page } = watched
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error')
        errors.push(message.text())
    })
    await page.addInitScript(recordContextsAndStates)
    await page.goto(`${town.server.url}/?bench=1&settle=${SETTLE_MS}`, { waitUntil: 'domcontentloaded' })
    await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')

    // The tiles never come: after its limit the map calls itself settled and idles — (next to) no frames drawn.
    expect(await page.evaluate(() => window.__map.tilesLoaded())).toBe(false)
    expect(await idleFps(page)).toBeLessThan(1)
    const gpuBefore = await gpu(page)
    expect(gpuBefore.contexts).toBe(1)
    const drawnBefore = await page.evaluate(() => window.__map.drawn())
    expect(drawnBefore.cameras).toBeGreaterThan(0)
    expect(drawnBefore.grids).toBeGreaterThan(0)

    /** Re-mounts the wall as after a captured error, and waits for it whole again (map ready, panels filled). */
    const remount = async (): Promise<Record<string, number>> => {
      await page.evaluate(() => {
        document.querySelector<HTMLElement>('[data-testid="map"]')!.dataset.old = '1'
        window.__wall.remount()
      })
      await whenMapReady(page, 30_000)
      await page.locator('[data-testid="wall"][data-wall-ready="true"]').waitFor({ timeout: 15_000 })
      return metrics(cdp)
    }
    // One re-mount first: what the first one creates for good (caches, the socket's reconnection) is not a leak.
    const before = await remount()
    // Five more, as after five captured errors: what each left behind would show ×5.
    const series: Record<string, number>[] = []
    for (let i = 0; i < 5; i++)
      series.push(await remount())
    const trail = `listeners/nodes: ${before.JSEventListeners}/${before.Nodes} → ${series.map(m => `${m.JSEventListeners}/${m.Nodes}`).join(' → ')}`
    console.info(trail)
    expect(await gpu(page)).toEqual(gpuBefore)
    expect(await page.evaluate(() => window.__map.viewersCreated)).toBe(1)
    // The collector frees a replaced wall (≈1100 nodes) some seconds later, not at the first forced
    // collection: wait for it. What a re-mount leaves behind for good never goes.
    const freed = (m: Record<string, number>): boolean => m.JSEventListeners! <= before.JSEventListeners! + 10 && m.Nodes! <= before.Nodes! * 1.05 + 50
    const after = await until('the replaced walls collected', () => metrics(cdp), freed, 30_000, 1000).catch(() => null)
    if (!after)
      throw new Error(`re-mounts left something behind: ${trail}; detached trees held: ${await detachedRoots(cdp)}`)
    console.info(`after collection: ${after.JSEventListeners}/${after.Nodes}`)
    // No render loop added (one asks for ≈10 frames a second, Cesium's own for hanging tiles 60): the
    // re-mounted wall's fresh data may still redraw a frame now and then. (Seen before the camera
    // guard, in about one run in two: the camera nudged by rounding each frame — direction and up
    // 1.0–1.4e-15 off — and Cesium drawing every frame for ever: no quiet second at all.)
    const idleAfterRemounts = await idleFps(page)
    console.info(`idle frames a second after the re-mounts: ${idleAfterRemounts.toFixed(2)}`)
    expect(idleAfterRemounts).toBeLessThan(3)
    expect(await page.evaluate(() => window.__map.drawn())).toEqual(drawnBefore)

    // Away from home (as after a flight to a case), then the GPU resets: the context is lost.
    const home = (await page.evaluate(() => window.__map.home()))!
    await page.evaluate(({ lon, lat }) => window.__map.flyTo(lon, lat, 2500), { lon: home.target.lon + 0.01, lat: home.target.lat + 0.005 })
    await page.evaluate(() => window.__map.rendered())
    const view = await page.evaluate(() => window.__map.view())
    const lostAt = Date.now()
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('[data-testid="map"]')!.dataset.old = '1'
      document.querySelector<HTMLCanvasElement>('[data-testid="map"] canvas')!.getContext('webgl2')!.getExtension('WEBGL_lose_context')!.loseContext()
    })
    // The map says it is recovering (the wall around it stays), then is ready again, in the same document.
    await page.locator('[data-testid="map-status-recovering"]').waitFor({ timeout: 5000 }).then(() => watched.screenshot('wall-healing-recovering')).catch(() => {})
    await until('the map is ready again', () => page.evaluate(() => document.querySelector('[data-testid="map"]')?.getAttribute('data-map-state')), s => s === 'ready', 60_000, 200)
    const recoverySeconds = (Date.now() - lostAt) / 1000
    console.info(`map rebuilt ${recoverySeconds.toFixed(1)} s after the context was lost`)
    expect(await page.evaluate(() => window.__states)).toContain('recovering')
    expect(await page.locator('[data-testid="wall"]').isVisible()).toBe(true)
    expect(await page.evaluate(() => window.__map.viewersCreated)).toBe(2)

    // The same view, the same layers and data, one live context.
    const restored = await page.evaluate(() => window.__map.view())
    expect(Math.abs(restored.heading - view.heading)).toBeLessThan(0.5)
    expect(Math.abs(restored.pitch - view.pitch)).toBeLessThan(0.5)
    expect(Math.abs(restored.height - view.height) / view.height).toBeLessThan(0.01)
    await until('every layer drawn again', () => page.evaluate(() => window.__map.drawn()), drawn => drawn.cameras === drawnBefore.cameras && drawn.grids === drawnBefore.grids && drawn.incidents === drawnBefore.incidents && drawn.heatTotal === drawnBefore.heatTotal, 15_000)
    expect(await gpu(page)).toEqual(gpuBefore)
    const idleAfterRebuild = await idleFps(page)
    console.info(`idle frames a second after the rebuild: ${idleAfterRebuild.toFixed(2)}`)
    expect(idleAfterRebuild).toBeLessThan(3)
    await watched.screenshot('wall-healing-rebuilt')

    // Known and open (#16): a re-mount can leave Cesium's render loop drawing a canvas that is out of
    // the page for a frame, and Cesium reports it ("Expected width to be greater than 0"); the map
    // draws on after it. Reported here, not hidden; any other error fails.
    const known = /Expected width to be greater than 0/
    if (errors.some(e => known.test(e)))
      console.warn(`known Cesium error on a re-mount: ${errors.filter(e => known.test(e)).length}×`)
    expect(errors.filter(e => !known.test(e))).toEqual([])
    watched.assertClean()
  })
})
