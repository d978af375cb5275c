import type { Browser, Page } from 'playwright-core'
import type { CasePage, PolygonCollection, Tour, UnitRanking, VillageProperties } from '../../server/src/wire/index.ts'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, until } from '../harness/browser.ts'
import { startServer } from '../harness/server.ts'

declare const window: { __map: MapHooks }

/** The tour's state as the overlay shows it. */
async function tourState(page: Page): Promise<{ state: string | null, step: string | null, target: string | null, remaining: string | null, caption: string | null }> {
  const tour = page.getByTestId('tour')
  if (await tour.count() === 0)
    return { state: null, step: null, target: null, remaining: null, caption: null }
  return {
    state: await tour.getAttribute('data-tour-state'),
    step: await tour.getAttribute('data-tour-step'),
    target: await tour.getAttribute('data-tour-target'),
    remaining: await tour.getAttribute('data-tour-remaining'),
    caption: (await page.getByTestId('tour-caption').textContent().catch(() => null))?.trim() ?? null,
  }
}

/**
 * An element's opacity after the next frame: CSS transitions advance with frames, and a headless page
 * with nothing moving on it (no map) draws few of its own.
 */
async function opacity(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (s) => {
    await new Promise(resolve => requestAnimationFrame(resolve))
    return Number(getComputedStyle(document.querySelector(s)!).opacity)
  }, selector)
}

/** How far (CSS px) a place shows from the middle of the map, and the camera's height. */
async function landing(page: Page, lon: number, lat: number): Promise<{ off: number, height: number }> {
  return page.evaluate(([x, y]) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"] canvas')!
    const p = window.__map.project(x!, y!)
    const off = p ? Math.hypot(p.x - canvas.clientWidth / 2, p.y - canvas.clientHeight / 2) : Number.POSITIVE_INFINITY
    return { off, height: window.__map.view().height }
  }, [lon, lat])
}

describe('a guided tour on the wall', () => {
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

  it('plays the default tour: captions in both languages, keys move it and the map flies, a touch or space pauses, it loops in kiosk mode, Esc leaves', async () => {
    const get = async <T>(path: string): Promise<T> => (await fetch(`${server.url}${path}`)).json() as Promise<T>
    const tour = await get<Tour>('/api/tours/default')
    const count = tour.steps.length
    const stepOf = (id: string): number => tour.steps.findIndex(s => s.id === id) + 1

    // Where the village and case steps should fly (the simulator is off: the figures hold still).
    const villages = await get<PolygonCollection<VillageProperties>>('/api/geodata/villages')
    const figures = new Map((await get<{ villages: UnitRanking[] }>('/api/villages')).villages.map(v => [v.code, v.open]))
    const busiest = villages.features.map((f, i) => ({ id: f.id ?? i, center: f.properties.center, open: figures.get(f.properties.code) ?? -1 }))
      .filter(v => v.center).sort((a, b) => b.open - a.open || a.id - b.id)[0]!
    const open = 'reported,accepted,dispatched,processing,fed_back'
    const urgent = (await Promise.all(['urgent', 'major'].map(level => get<CasePage>(`/api/cases?status=${open}&level=${level}&pageSize=1`))))
      .flatMap(p => p.cases).sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))[0]
    expect(urgent, 'the mock township has an open urgent case').toBeDefined()

    const watched = await openPage(browser, `${server.url}/?tour=default&kiosk=1&bench=1`)
    const { page } = watched
    await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    // The tour starts once the map is drawn (its first step's time is not spent while it loads).
    const first = await until('the tour plays its first step', () => tourState(page), s => s.state === 'playing' && s.step === '1' && s.target === 'home')
    expect(Number(first.remaining)).toBeGreaterThan(tour.steps[0]!.seconds * 1000 - 10_000)
    // zh-CN by default: the first step's Chinese caption, the map lit and the panels dimmed.
    expect((await tourState(page)).caption).toBe(tour.steps[0]!.caption.zh)
    await expect(page.getByTestId('tour-step').textContent()).resolves.toBe(`第 1 / ${count} 步`)
    expect(await page.locator('[data-testid="map"][data-tour-lit]').count()).toBe(1)
    await until('the panels dim', () => opacity(page, '[data-panel="party"]'), o => o < 0.5)
    expect(await opacity(page, '[data-testid="map"]')).toBe(1)
    const home = await page.evaluate(() => window.__map.view().height)
    await watched.screenshot('tour-zh-township')

    // PageDown: the busiest village (most open cases), where the map flies and lands.
    await page.keyboard.press('PageDown')
    const atVillage = await until('the second step flies to the busiest village', () => tourState(page), s => s.step === '2' && s.target !== '')
    expect(atVillage.caption).toBe(tour.steps[1]!.caption.zh)
    expect(atVillage.target).toBe(busiest.center!.join(','))
    await until('the map lands on the village', () => landing(page, ...busiest.center!), l => l.off < 30 && l.height < home * 0.8, 30_000)

    // Space pauses (the step's clock stands still) and goes on; a touch on the map pauses too.
    await page.keyboard.press('Space')
    const paused = await until('space pauses', () => tourState(page), s => s.state === 'paused')
    await expect(page.getByTestId('tour-status').textContent()).resolves.toContain('已暂停')
    await page.waitForTimeout(1200)
    expect((await tourState(page)).remaining).toBe(paused.remaining)
    await page.keyboard.press('Space')
    await until('space goes on', () => tourState(page), s => s.state === 'playing')
    await page.locator('[data-testid="map"] canvas').first().click({ position: { x: 40, y: 300 } })
    await until('a touch pauses', () => tourState(page), s => s.state === 'paused' && s.step === '2')

    // Kiosk mode loops: back from the first step is the last one, and on from the last is the first.
    await page.keyboard.press('PageUp')
    await until('PageUp goes back', () => tourState(page), s => s.step === '1')
    await page.keyboard.press('ArrowLeft')
    await until('back from the first step is the last', () => tourState(page), s => s.step === String(count))
    // The last step offers the printable briefing of the last 7 days (today counted, the township's dates).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
    const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10)
    expect(await page.getByTestId('tour-briefing').getAttribute('href')).toBe(`/briefing?from=${weekAgo}&to=${today}`)
    expect(await page.getByTestId('tour-briefing').textContent()).toContain('工作简报')
    await watched.screenshot('tour-zh-last-briefing')
    await page.keyboard.press('ArrowRight')
    await until('on from the last step is the first', () => tourState(page), s => s.step === '1')

    // The live case: the latest open urgent (紧急 or 重大) case, its card with the SLA clock.
    for (let i = 1; i < stepOf('case'); i++)
      await page.keyboard.press('PageDown')
    const atCase = await until('the case step flies to the case', () => tourState(page), s => s.step === String(stepOf('case')) && s.target !== '')
    expect(atCase.target).toBe(`${urgent!.lon},${urgent!.lat}`)
    await page.getByTestId('incident-sla').waitFor()
    await until('the map lands on the case', () => landing(page, urgent!.lon, urgent!.lat), l => l.off < 30, 30_000)
    await watched.screenshot('tour-zh-case')

    // Esc leaves: no overlay, nothing dimmed, the address without the tour.
    await page.keyboard.press('Escape')
    await until('Esc leaves the tour', () => tourState(page), s => s.state === null)
    expect(await page.locator('[data-tour-lit], [data-tour-highlight]').count()).toBe(0)
    expect(new URL(page.url()).searchParams.has('tour')).toBe(false)
    watched.assertClean()
    await page.context().close()

    // English, as the wall's language says: the captions and the words around them.
    const english = await openPage(browser, `${server.url}/?tour=default&lang=en&map=off`)
    await until('the tour plays in English', () => tourState(english.page), s => s.state === 'playing' && s.caption === tour.steps[0]!.caption.en)
    for (let i = 1; i < stepOf('today'); i++)
      await english.page.keyboard.press('PageDown')
    await until('the figures of today, lit', () => english.page.locator('[data-panel="kpis"][data-tour-lit]').count(), n => n === 1)
    await until('the figures of today bright, the rest dimmed', async () => [await opacity(english.page, '[data-panel="kpis"]'), await opacity(english.page, '[data-panel="party"]')], ([kpis, party]) => kpis === 1 && party! < 0.3)
    await expect(english.page.getByTestId('tour-step').textContent()).resolves.toBe(`Step ${stepOf('today')} of ${count}`)
    await english.screenshot('tour-en-kpis')
    // Left alone, a step gives way to the next when its time is up.
    await english.page.keyboard.press('PageDown')
    await until('the hours\' step', () => tourState(english.page), s => s.step === String(stepOf('hours')))
    const seconds = tour.steps[stepOf('hours') - 1]!.seconds
    const moved = await until('the step moves on by itself', () => tourState(english.page), s => s.step === String(stepOf('hours') + 1), (seconds + 10) * 1000, 500)
    expect(moved.caption).toBe(tour.steps[stepOf('hours')]!.caption.en)
    english.assertClean()
    await english.page.context().close()
  })
})
