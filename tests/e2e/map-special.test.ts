import type { Browser, Page } from 'playwright-core'
import type { Database } from '../../server/src/db/types.ts'
import type { WatchedPage } from '../harness/browser.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WALL_TOPICS } from '#wire'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { classify } from '../../screen/src/map/colour.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { launchBrowser, openPage, until } from '../harness/browser.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'
import { freePort, startServer } from '../harness/server.ts'
import { SPECIAL_MIN_COUNT, truthAt } from './wall-truth.ts'

const pgReachable = await postgresAvailable()

/** Every count under a `specialPopulation` key of a payload (township totals, grid records, the compact rows). */
function specialCounts(value: unknown, inside = false, out: (number | null)[] = []): (number | null)[] {
  if (Array.isArray(value)) {
    for (const item of value)
      specialCounts(item, inside, out)
  }
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (!(inside && (key === 'minCount' || key === 'kinds')))
        specialCounts(child, inside || key === 'specialPopulation', out)
    }
  }
  else if (inside && (typeof value === 'number' || value === null)) {
    out.push(value)
  }
  return out
}

async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
}

/** The township's special-population totals on the wall (`special.<kind>.total`): null where shown "<3". */
async function wallTotals(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-metric^="special."]')]
    .map(el => [el.dataset.metric!, el.dataset.value === '' ? null : Number(el.dataset.value)])))
}

describe.skipIf(!pgReachable)('the special-population (重点人群) map layer', () => {
  let testDb: TestDatabase
  let db: Database
  let server: RunningServer
  let browser: Browser
  const pages: WatchedPage[] = []

  beforeAll(async () => {
    testDb = await createTestDatabase('cc_special')
    db = await openDatabase({ url: testDb.url })
    await seedDatabase(db, generateTownshipData(generateGeography({ seed: 7, township: '430821103' }), { seed: 7, now: new Date(), scale: 0.3 }))
    const port = await freePort()
    server = await startServer({ env: { DATABASE_URL: testDb.url, MAP_ORBIT_SECONDS: '0' }, port })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const watched of pages)
      await watched.page.context().close().catch(() => {})
    await browser?.close()
    await server?.stop()
    await db?.close()
    await testDb?.drop()
  })

  it('colours the grids by one kind or all, totals equal to SQL, the grid card in zh and en, live, no count under the threshold in any payload', async () => {
    // Live frames, as any wall receives them, for the whole test.
    const socket = io(server.url, { transports: ['websocket'] })
    const frames: unknown[] = []
    socket.on('frame', frame => frames.push(frame))
    await socket.emitWithAck('subscribe', [...WALL_TOPICS])

    const watched = await openPage(browser, `${server.url}/?bench=1`, { width: 1920, height: 1080 })
    pages.push(watched)
    const { page } = watched
    await waitReady(page)
    // The choropleth alone: the other layers off.
    for (const layer of ['cameras', 'heat', 'incidents'])
      await page.getByTestId(`layer-${layer}`).click()

    const grids = (): Promise<{ metric: string, breaks: number[] }> => page.evaluate(() => window.__map!.grids())
    const classes = (): Promise<Record<number, number>> => page.evaluate(() => window.__map!.gridClasses())
    /** Each active grid's count of a kind, by SQL (absent: 0). */
    const sqlCounts = async (kind: string): Promise<Map<number, number>> => new Map((await db.query<{ id: number, n: number }>(
      `select g.id, coalesce(s.count, 0)::int as n from grids g left join grid_special_population s on s.grid_id = g.id and s.kind = $1 where g.active`,
      [kind],
    )).rows.map(r => [r.id, r.n]))
    /** The wall's totals against SQL's (suppression applied), until they agree. */
    const totalsMatchSql = async (): Promise<Record<string, number | null>> => {
      let expected: Record<string, number | null> = {}
      return until('totals equal to SQL', async () => {
        const truth = await truthAt(testDb.url, new Date())
        expected = Object.fromEntries([...truth].filter(([id]) => id.startsWith('special.')).map(([id, f]) => [id, f.value]))
        return wallTotals(page)
      }, shown => JSON.stringify(shown) === JSON.stringify(expected) && Object.keys(shown).length >= 8)
    }

    // The layer: 重点人群, all kinds; the township's totals by kind shown and equal to SQL.
    await page.getByTestId('grid-metric-special').click()
    await until('coloured by special population', grids, g => g.metric === 'special')
    const totals = await totalsMatchSql()
    expect(Object.keys(totals)).toHaveLength(8)
    expect(Object.values(totals).some(n => n !== null && n > 0)).toBe(true)
    // A total that would give away the grids shown "<3" by subtraction is withheld and shown "—" (the
    // mock's 重点信访: 4 in all, in four grids shown "<3" — one in each), with a note saying why.
    const overview = (await (await fetch(`${server.url}/api/snapshot?topics=overview`)).json() as { data: { overview: { specialPopulationWithheld: string[] } } }).data.overview
    expect(overview.specialPopulationWithheld).toContain('key_petitioner')
    for (const withheldKind of overview.specialPopulationWithheld) {
      expect(totals[`special.${withheldKind}.total`]).toBeNull()
      expect((await page.locator(`[data-metric="special.${withheldKind}.total"]`).textContent())?.trim()).toBe('—')
    }
    await expect(page.getByTestId('special-withheld-note').isVisible()).resolves.toBe(true)
    await page.evaluate(() => window.__map!.rendered())
    await watched.screenshot('map-special-all')

    // One kind, chosen by its total: every grid in the class of its SQL count, a "<3" in the lowest.
    const kind = 'community_correction'
    await page.getByTestId(`special-kind-${kind}`).click()
    const { breaks } = await until('coloured by one kind', grids, g => g.metric === `special:${kind}`)
    expect(breaks[1]).toBe(SPECIAL_MIN_COUNT)
    const counts = await sqlCounts(kind)
    const drawn = await classes()
    const suppressed = [...counts].filter(([, n]) => n > 0 && n < SPECIAL_MIN_COUNT)
    expect(suppressed.length, 'grids with 1 or 2 persons of the kind').toBeGreaterThan(0)
    expect(Object.keys(drawn)).toHaveLength(counts.size)
    for (const [id, n] of counts)
      expect(drawn[id], `grid ${id} (${n})`).toBe(n > 0 && n < SPECIAL_MIN_COUNT ? 0 : classify(n, breaks))

    // A grid's card: its counts by kind, "<3" where small. Found where a click picks that grid.
    const features = (await (await fetch(`${server.url}/api/grids`)).json() as { features: { properties: { id: number, labelPoint: [number, number] | null } }[] }).features
    const [gridId] = suppressed.map(([id]) => id)
    const target = features.find(f => f.properties.id === gridId)!.properties.labelPoint!
    const point = await page.evaluate(([lon, lat]) => window.__map!.project(lon!, lat!), target)
    expect(point).not.toBeNull()
    expect(await page.evaluate(([x, y]) => window.__map!.pickClient(x!, y!), [point!.clientX, point!.clientY])).toEqual({ kind: 'grid', id: gridId })
    await page.mouse.click(point!.clientX, point!.clientY)
    const cell = (k: string) => page.locator(`[data-testid="grid-special"] [data-kind="${k}"]`)
    await expect(cell(kind).textContent()).resolves.toContain(`<${SPECIAL_MIN_COUNT}`)
    await page.evaluate(() => window.__map!.rendered())
    await watched.screenshot('map-special-card')

    // The registry changes (plain SQL, as the township's system would write): the card, the grid's
    // class and the township's total follow, with no reload.
    const big = breaks.at(-2)! + 1
    await db.query(`update grid_special_population set count = $1, updated_at = now() where grid_id = $2 and kind = $3`, [big, gridId, kind])
    await until('the card shows the new count', () => cell(kind).textContent(), text => text?.trim() === String(big))
    await until('the grid in the top class', classes, c => c[gridId!] === breaks.length - 2)
    await totalsMatchSql()

    // English: the same layer and card.
    await page.goto(`${server.url}/?bench=1&lang=en`)
    await waitReady(page)
    for (const layer of ['cameras', 'heat', 'incidents'])
      await page.getByTestId(`layer-${layer}`).click()
    await page.getByTestId('grid-metric-special').click()
    await page.getByTestId('special-kind-elderly_alone').click()
    await until('coloured by one kind', grids, g => g.metric === 'special:elderly_alone')
    await expect(page.getByTestId('special-totals').textContent()).resolves.toContain('Elderly alone')
    // (The English legend is taller: the home view, and so the grid's place, may differ.)
    const pointEn = await page.evaluate(([lon, lat]) => window.__map!.project(lon!, lat!), target)
    await page.mouse.click(pointEn!.clientX, pointEn!.clientY)
    await expect(page.getByTestId('grid-special').textContent()).resolves.toContain('Correction')
    await page.evaluate(() => window.__map!.rendered())
    await watched.screenshot('map-special-en')

    // No payload carries a count of 1 or 2: the REST answers, the snapshot, and every frame received.
    socket.close()
    const payloads = [
      await (await fetch(`${server.url}/api/grids`)).json(),
      await (await fetch(`${server.url}/api/snapshot`)).json(),
      ...frames,
    ]
    const all = payloads.flatMap(p => specialCounts(p))
    expect(all.filter(n => n === null).length, 'suppressed counts sent as null').toBeGreaterThan(0)
    expect(all.filter(n => n !== null && n > 0 && n < SPECIAL_MIN_COUNT)).toEqual([])
    expect(frames.some(f => JSON.stringify(f).includes('"specialPopulation"'))).toBe(true)
    watched.assertClean()
  })
})
