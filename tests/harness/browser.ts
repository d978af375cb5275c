import type { Browser, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { PNG } from 'pngjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** Where browser tests save screenshots (git-ignored): look at them. */
export const SCREENSHOT_DIR = join(root, 'test-results', 'screenshots')

/**
 * Debian's Chromium, never a downloaded browser. WebGL is software-rendered (SwiftShader); the
 * background-networking flags stop Chromium's own calls home, which this offline machine refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-default-apps',
      '--disable-features=Translate,MediaRouter,OptimizationHints',
    ],
  })
}

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:'))
    return true
  try {
    const { hostname } = new URL(url)
    return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1'
  }
  catch {
    return false
  }
}

export interface WatchedPage {
  page: Page
  /** Every request the page made, in order. */
  requests: string[]
  /** Requests that would have left localhost (they are aborted, and fail the test). */
  external: string[]
  /** Requests to hosts the test expects the page to contact (`stubHosts`): answered here, never sent. */
  stubbed: string[]
  /** Uncaught exceptions in the page. */
  pageErrors: string[]
  /** Local requests answered with an HTTP error (a missing asset, a broken endpoint). */
  failedResponses: string[]
  /** Fails unless nothing left localhost, nothing threw and no local request failed. */
  assertClean: () => void
  screenshot: (name: string) => Promise<Buffer>
}

/**
 * Opens a page at a viewport, recording and policing every request. `stubHosts`: outside hosts the
 * page is expected to contact (an opted-in vendor's API): answered here with an empty 204 and listed
 * in `stubbed`, so nothing leaves the machine even then. `beforeLoad`: set-up before the first load
 * (e.g. a controllable clock). `timezoneId`: the browser's own zone (default Asia/Shanghai), e.g. a
 * wall PC not set to Beijing time.
 */
export async function openPage(browser: Browser, url: string, viewport = { width: 1920, height: 1080 }, options: { allowFailedResponses?: RegExp, stubHosts?: RegExp, beforeLoad?: (page: Page) => Promise<unknown>, timezoneId?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: options.timezoneId ?? 'Asia/Shanghai', deviceScaleFactor: 1 })
  const page = await context.newPage()
  const requests: string[] = []
  const external: string[] = []
  const stubbed: string[] = []
  const pageErrors: string[] = []
  const failedResponses: string[] = []
  await context.route('**/*', (route) => {
    const requestUrl = route.request().url()
    requests.push(requestUrl)
    if (!isLocal(requestUrl) && options.stubHosts?.test(new URL(requestUrl).hostname)) {
      stubbed.push(requestUrl)
      return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } })
    }
    if (!isLocal(requestUrl)) {
      external.push(requestUrl)
      return route.abort('blockedbyclient')
    }
    return route.continue()
  })
  page.on('pageerror', error => pageErrors.push(`${error.name}: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && isLocal(response.url()) && !options.allowFailedResponses?.test(response.url()))
      failedResponses.push(`${response.status()} ${response.url()}`)
  })
  await options.beforeLoad?.(page)
  await page.goto(url, { waitUntil: 'domcontentloaded' })
  return {
    page,
    requests,
    external,
    stubbed,
    pageErrors,
    failedResponses,
    assertClean() {
      const problems = [
        ...external.map(u => `request left localhost: ${u}`),
        ...pageErrors.map(e => `page error: ${e}`),
        ...failedResponses.map(r => `failed response: ${r}`),
      ]
      if (problems.length > 0)
        throw new Error(problems.join('\n'))
    },
    async screenshot(name: string) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true })
      // Generous: a 4K or 5760-wide map under software WebGL on a loaded 2-core machine may take over 30 s a frame.
      return page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), timeout: 120_000 })
    },
  }
}

/** Decodes a PNG into RGBA pixels. */
export function decodePng(buffer: Buffer): { width: number, height: number, data: Buffer } {
  const png = PNG.sync.read(buffer)
  return { width: png.width, height: png.height, data: png.data }
}

/**
 * How much of an image is not its background: the share of pixels farther than `tolerance` (per
 * channel sum) from `background`, and the number of distinct colours (quantised to 5 bits a channel).
 */
export function pixelStats(image: { data: Buffer }, background: [number, number, number], tolerance = 24): { foreground: number, colours: number } {
  let differing = 0
  const colours = new Set<number>()
  const pixels = image.data.length / 4
  for (let i = 0; i < image.data.length; i += 4) {
    const r = image.data[i]!
    const g = image.data[i + 1]!
    const b = image.data[i + 2]!
    if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > tolerance)
      differing++
    colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3))
  }
  return { foreground: differing / pixels, colours: colours.size }
}

/** Pixels that differ clearly (summed RGB difference over `threshold`) between two RGBA pictures of one size. */
export function changedPixels(a: Uint8Array, b: Uint8Array, threshold = 30): number {
  let n = 0
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > threshold)
      n++
  }
  return n
}

/** Polls `probe` until `ok` holds; throws with the last value seen when `timeoutMs` passes. */
export async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (ok(value))
      return value
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}
