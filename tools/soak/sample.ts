import type { CDPSession, Page } from 'playwright-core'
import { readdirSync } from 'node:fs'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'

/*
 * Code that runs in the wall's page (an init script and a read-out). The root tsconfig has no DOM
 * library, so the little of the DOM used here is declared for this module alone.
 */
interface PageElement { dataset: Record<string, string | undefined>, isConnected: boolean }
interface GlContext { isContextLost: () => boolean, canvas: PageElement }
declare const document: { querySelector: (selector: string) => PageElement | null, getElementsByTagName: (tag: string) => { length: number } }
declare const window: { __soakWebgl?: () => { made: number, live: number } }
declare const HTMLCanvasElement: { prototype: { getContext: (this: PageElement, type: string, ...rest: unknown[]) => GlContext | null } }

/**
 * Counts the page's WebGL contexts as they are made (an init script, before the app's own code): live
 * ones are those not lost whose canvas is still in the document. Asking a canvas for its context
 * instead would create one.
 */
export function countWebglContexts(): void {
  const made: WeakRef<GlContext>[] = []
  const seen = new WeakSet<object>()
  const original = HTMLCanvasElement.prototype.getContext
  HTMLCanvasElement.prototype.getContext = function (this: PageElement, type: string, ...rest: unknown[]) {
    const context = original.call(this, type, ...rest)
    if (context && /webgl/.test(type) && !seen.has(context)) {
      seen.add(context)
      made.push(new WeakRef(context))
    }
    return context
  }
  window.__soakWebgl = () => {
    let live = 0
    for (const ref of made) {
      const context = ref.deref()
      if (context && !context.isContextLost() && context.canvas.isConnected)
        live++
    }
    return { made: made.length, live }
  }
}

export interface BrowserSample {
  browserHeapMB: number
  browserNodes: number | null
  documentElements: number
  listeners: number | null
  webglContexts: number | null
  todayNew: number | null
  asOf: string | null
}

/** Forces a garbage collection in the page, then reads heap, nodes, listeners, contexts and 今日新增. */
export async function sampleBrowser(page: Page, cdp: CDPSession): Promise<BrowserSample> {
  await cdp.send('HeapProfiler.collectGarbage')
  const heap = await cdp.send('Runtime.getHeapUsage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name: string): number | null => metrics.find(m => m.name === name)?.value ?? null
  const inPage = await page.evaluate(() => {
    const value = document.querySelector('[data-metric="overview.todayNew"]')?.dataset.value
    const webgl = window.__soakWebgl?.()
    return {
      documentElements: document.getElementsByTagName('*').length,
      webglContexts: webgl ? webgl.live : null,
      todayNew: value === undefined || value === '' ? null : Number(value),
      asOf: document.querySelector('[data-testid="wall"]')?.dataset.asOf ?? null,
    }
  })
  return { browserHeapMB: heap.usedSize / 2 ** 20, browserNodes: metric('Nodes'), listeners: metric('JSEventListeners'), ...inPage }
}

export interface ServerSample {
  serverRssMB: number | null
  serverHeapMB: number | null
  serverHandles: number | null
  serverFds: number | null
  eventLoopP99Ms: number | null
}

/** Scrapes `/metrics` (RSS, heap, handles, event-loop p99) and counts `/proc/<pid>/fd`. */
export async function sampleServer(url: string, pid: number): Promise<ServerSample> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const families = parsePrometheusTextFormat(text)
  const read = (name: string): number | null => {
    const value = families.find(f => f.name === name)?.metrics[0]?.value
    return value === undefined ? null : Number(value)
  }
  let fds: number | null = null
  try {
    fds = readdirSync(`/proc/${pid}/fd`).length
  }
  catch {}
  const mb = (n: number | null): number | null => (n === null ? null : n / 2 ** 20)
  const p99 = read('nodejs_eventloop_lag_p99_seconds')
  return {
    serverRssMB: mb(read('process_resident_memory_bytes')),
    serverHeapMB: mb(read('nodejs_heap_size_used_bytes')),
    serverHandles: read('nodejs_active_handles_total'),
    serverFds: fds ?? read('process_open_fds'),
    eventLoopP99Ms: p99 === null ? null : p99 * 1000,
  }
}

/** In the page: the wall shows 今日新增 and the map has its canvas. */
export function wallLoaded(): boolean {
  const value = document.querySelector('[data-metric="overview.todayNew"]')?.dataset.value
  return value !== undefined && value !== '' && document.querySelector('canvas') !== null
}
