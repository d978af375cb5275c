import type { Page } from 'playwright-core'
import type { CameraPoint, CasePoint } from '#wire'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import polygonClipping from 'polygon-clipping'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { runGeodataCli } from '../../tools/geodata/cli.ts'
import { parseCrsOption } from '../../tools/geodata/crs.ts'
import { layerBytes } from '../../tools/geodata/export.ts'
import { readDatabaseLayers } from '../../tools/geodata/target/database.ts'
import { changedPixels, decodePng, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { useMapTownship } from './map-township.ts'

type Rgb = [number, number, number]

const ONLINE: Rgb = [46, 229, 157]
const OFFLINE: Rgb = [138, 150, 168]
const pgReachable = await postgresAvailable()

const near = (a: readonly number[], b: Rgb, tolerance: number): boolean => Math.abs(a[0]! - b[0]) + Math.abs(a[1]! - b[1]) + Math.abs(a[2]! - b[2]) <= tolerance

/** Pixels of a PNG classified by colour (RGB distance ≤ tolerance). */
function countColour(png: Buffer, colour: Rgb, tolerance = 60): number {
  const { data } = decodePng(png)
  let n = 0
  for (let i = 0; i < data.length; i += 4) {
    if (near([data[i]!, data[i + 1]!, data[i + 2]!], colour, tolerance))
      n++
  }
  return n
}

/** Warm heat (yellow → red): strongly red, clearly less blue. */
function countWarm(png: Buffer): number {
  const { data } = decodePng(png)
  let n = 0
  for (let i = 0; i < data.length; i += 4) {
    if (data[i]! > 190 && data[i + 2]! < 110 && data[i]! - data[i + 2]! > 120)
      n++
  }
  return n
}

async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
}

/** Turns a map layer on or off through its legend switch and waits for the frame that shows it. */
async function setLayer(page: Page, layer: string, on: boolean): Promise<void> {
  const box = page.getByTestId(`layer-${layer}`)
  if ((await box.isChecked()) !== on)
    await box.click()
  await page.evaluate(() => window.__map!.rendered())
}

interface Place { id: number, lon: number, lat: number }

/**
 * Places (of `targets`) that a click can only mean: on the canvas, not under the legend or a
 * card, with no other marker (`markers`) within 16 px. The client point is computed here from the
 * canvas's box (the wall's CSS scale and letterbox), not by the map's own picking code.
 */
async function clickable(page: Page, targets: Place[], markers: Place[]): Promise<{ id: number, clientX: number, clientY: number }[]> {
  return page.evaluate(({ targets, markers }) => {
    const map = window.__map!
    const canvas = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement
    const rect = canvas.getBoundingClientRect()
    const sx = rect.width / canvas.clientWidth
    const sy = rect.height / canvas.clientHeight
    const shown = markers.map(m => ({ id: m.id, p: map.project(m.lon, m.lat) })).filter(m => m.p)
    const found: { id: number, clientX: number, clientY: number }[] = []
    for (const t of targets) {
      const p = map.project(t.lon, t.lat)
      if (!p || p.x < 40 || p.y < 40 || p.x > canvas.clientWidth - 40 || p.y > canvas.clientHeight - 40)
        continue
      if (shown.some(o => o.id !== t.id && Math.hypot(o.p!.x - p.x, o.p!.y - p.y) < 16))
        continue
      const clientX = rect.left + p.x * sx
      const clientY = rect.top + p.y * sy
      if (document.elementFromPoint(clientX, clientY) === canvas)
        found.push({ id: t.id, clientX, clientY })
    }
    return found
  }, { targets, markers })
}

/** Cameras drawn as themselves (not in a cluster) that a click can only mean. */
async function findClickableCameras(page: Page, cameras: CameraPoint[], incidents: Place[] = [], status = 'online'): Promise<{ camera: CameraPoint, clientX: number, clientY: number }[]> {
  const singles = await page.evaluate(ids => ids.filter(id => window.__map!.cameraIsSingle(id)), cameras.map(c => c.id))
  const shown = new Set(singles)
  const drawn = cameras.filter(c => shown.has(c.id))
  const found = await clickable(page, drawn.filter(c => c.status === status), [...drawn, ...incidents.map(i => ({ ...i, id: -i.id }))])
  expect(found.length, 'cameras that can be clicked alone').toBeGreaterThan(0)
  return found.map(f => ({ camera: cameras.find(c => c.id === f.id)!, clientX: f.clientX, clientY: f.clientY }))
}

/** Share of pixels that differ clearly between two screenshots of the same size. */
function changedShare(a: Buffer, b: Buffer): number {
  const x = decodePng(a).data
  return changedPixels(x, decodePng(b).data) / (x.length / 4)
}

/** The colour at a client point, from a small screenshot around it (what the viewer sees). */
async function colourAt(page: Page, clientX: number, clientY: number): Promise<number[]> {
  const png = await page.screenshot({ clip: { x: Math.round(clientX) - 1, y: Math.round(clientY) - 1, width: 3, height: 3 } })
  const { data } = decodePng(png)
  return [data[16]!, data[17]!, data[18]!]
}

describe.each([{ kind: pgReachable ? 'postgres' as const : 'pglite' as const }])('the 3D township map ($kind)', ({ kind }) => {
  // Camera streams from an HLS gateway on this machine (here: the server itself, which has none).
  const town = useMapTownship(kind, 'cc_map', port => ({ MAP_ORBIT_SECONDS: '0', MAP_REVIEW_NUMBER: 'GS(2024)0650号', CAMERA_HLS_URL: `http://127.0.0.1:${port}/hls/{code}.m3u8` }))
  let cameras: CameraPoint[]
  beforeAll(async () => {
    cameras = (await (await fetch(`${town.server.url}/api/cameras`)).json() as { cameras: CameraPoint[] }).cameras
  })

  it('shows the township, its grids, cameras and case heat, with nothing leaving localhost', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    expect(await page.evaluate(() => window.__map!.viewersCreated)).toBe(1)
    const map = page.getByTestId('map')
    const full = await map.screenshot()
    await watched.screenshot('map-township')

    // The township's luminous edge, the online cameras and the warm heat are all on screen.
    const glow = countColour(full, [47, 210, 255], 90) + countColour(full, [216, 247, 255], 40)
    const online = countColour(full, ONLINE, 50)
    const warm = countWarm(full)
    expect(glow, 'township boundary').toBeGreaterThan(300)
    expect(online, 'online cameras').toBeGreaterThan(150)
    expect(warm, 'heat').toBeGreaterThan(300)
    await expect(page.getByTestId('map-credits').textContent()).resolves.toContain('GS(2024)0650号')

    // Each layer is its own: switching it off takes its pixels away.
    await setLayer(page, 'heat', false)
    const noHeat = await map.screenshot()
    // Most warm pixels were heat; what stays warm is other layers' (alarm cameras, urgent cases, busy
    // grids), whose share varies with the hour the mock data was generated at.
    expect(warm - countWarm(noHeat)).toBeGreaterThan(warm * 0.6)
    await setLayer(page, 'cameras', false)
    expect(countColour(await map.screenshot(), ONLINE, 50)).toBeLessThan(online * 0.1)
    await setLayer(page, 'cameras', true)
    // The grids are filled by open cases: without them the township is darker.
    const withGrids = await map.screenshot()
    await setLayer(page, 'grids', false)
    expect(changedShare(withGrids, await map.screenshot()), 'share of pixels the grids change').toBeGreaterThan(0.05)
    await setLayer(page, 'grids', true)
    await setLayer(page, 'heat', true)

    // Grid names: none over the whole township (each would be wider than its grid); close up, they show.
    const hooks = (): Promise<ReturnType<MapHooks['grids']>> => page.evaluate(() => window.__map!.grids())
    expect((await hooks()).namesShown).toBe(false)
    const grid = (await (await fetch(`${town.server.url}/api/grids`)).json() as { features: { properties: { labelPoint: [number, number] } }[] }).features[0]!.properties.labelPoint
    await page.evaluate(([lon, lat]) => window.__map!.flyTo(lon!, lat!, 1800), grid)
    await until('grid names shown close up', hooks, g => g.namesShown)
    await page.evaluate(() => window.__map!.rendered())
    await watched.screenshot('map-close-up')
    await page.evaluate(() => window.__map!.goHome())
    await until('grid names hidden at home', hooks, g => !g.namesShown)
    watched.assertClean()
    // (Closed: a wall left open turns about the township after its idle time and takes the CPU.)
    await watched.page.context().close()
  })

  it('colours the grids by the chosen metric and raises them as columns', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    const hooks = (): Promise<ReturnType<MapHooks['grids']>> => page.evaluate(() => window.__map!.grids())
    const canvas = page.locator('[data-testid="map"] canvas').first()
    const grids = (await (await fetch(`${town.server.url}/api/grids`)).json() as { features: { properties: { overdue: number } }[] }).features

    // Overdue cases: the legend's classes are the metric's, and reach the worst grid's figure.
    await page.getByTestId('grid-metric-overdue').click()
    const overdue = await until('metric applied', hooks, g => g.metric === 'overdue')
    const worst = Math.max(...grids.map(g => g.properties.overdue))
    expect(overdue.breaks.at(-1)!).toBeGreaterThanOrEqual(worst)
    await page.evaluate(() => window.__map!.rendered())
    const flat = await canvas.screenshot()

    // Raised: columns stand up from the township (they hide much of what lay behind them).
    await page.getByTestId('grid-extrude').click()
    await until('columns drawn', hooks, g => g.extrudedDrawn, 60_000)
    await page.evaluate(() => window.__map!.rendered())
    const raised = await canvas.screenshot()
    await watched.screenshot('map-grids-extruded')
    expect(changedShare(flat, raised), 'share of pixels the columns change').toBeGreaterThan(0.08)

    // Flat again: the picture is the flat one.
    await page.getByTestId('grid-extrude').click()
    await until('columns gone', hooks, g => !g.extruded && !g.extrudedDrawn)
    await page.evaluate(() => window.__map!.rendered())
    expect(changedShare(flat, await canvas.screenshot())).toBeLessThan(0.01)
    await page.getByTestId('grid-metric-open').click()
    watched.assertClean()
    await page.context().close()
  })

  it('draws the heat of one category or all, for today, 7 or 30 days, as the server counts them', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    const drawnTotal = (): Promise<number | undefined> => page.evaluate(() => window.__map!.heat()?.total)
    const serverTotal = async (query: string): Promise<number> => (await (await fetch(`${town.server.url}/api/heat?${query}`)).json() as { total: number }).total
    const canvas = page.locator('[data-testid="map"] canvas').first()

    // All categories (the default, 7 days): drawn from the live cells, the same count as the server's.
    const all7 = await serverTotal('window=7d')
    expect(all7).toBeGreaterThan(0)
    await until('all categories drawn', drawnTotal, n => n === all7)
    await page.evaluate(() => window.__map!.rendered())
    const allHeat = await canvas.screenshot()

    // One category: the busiest offered, fetched from the server and drawn.
    const options = await page.getByTestId('heat-category').locator('option').evaluateAll(list => list.map(o => (o as HTMLOptionElement).value).filter(Boolean))
    const totals = await Promise.all(options.map(async id => ({ id, total: await serverTotal(`window=7d&category=${id}`) })))
    const busiest = totals.sort((a, b) => b.total - a.total)[0]!
    expect(busiest.total).toBeGreaterThan(0)
    expect(busiest.total).toBeLessThan(all7)
    await page.getByTestId('heat-category').selectOption(busiest.id)
    await until('one category drawn', drawnTotal, n => n === busiest.total)
    await page.evaluate(() => window.__map!.rendered())
    expect(watched.requests.some(url => url.includes(`/api/heat?window=7d&category=${busiest.id}`))).toBe(true)
    // (The ramp is relative to the busiest cell: the picture changes, not necessarily its amount of red.)
    expect(changedShare(allHeat, await canvas.screenshot()), 'the heat of one category looks different').toBeGreaterThan(0.01)
    await watched.screenshot('map-heat-category')

    // Other windows, for that category and then for all.
    await page.getByTestId('heat-30d').click()
    const cat30 = await serverTotal(`window=30d&category=${busiest.id}`)
    await until('30 days of the category', drawnTotal, n => n === cat30)
    expect(cat30).toBeGreaterThanOrEqual(busiest.total)
    await page.getByTestId('heat-category').selectOption('')
    const all30 = await serverTotal('window=30d')
    await until('30 days of all', drawnTotal, n => n === all30)
    await page.getByTestId('heat-today').click()
    const allToday = await serverTotal('window=today')
    await until('today of all', drawnTotal, n => n === allToday)
    await page.getByTestId('heat-7d').click()
    watched.assertClean()
    await page.context().close()
  })

  it('opens a camera\'s card when its point is clicked, on the wall scaled to the window and letterboxed; grids and incidents too', async () => {
    const feed = (await (await fetch(`${town.server.url}/api/snapshot?topics=cases`)).json() as { data: { cases: { cases: CasePoint[] } } }).data.cases.cases
    const incidents = feed.filter(c => c.status !== 'closed' && c.status !== 'cancelled')
    // 1280×720: the 1920×1080 wall at two thirds; 1400×900: scaled and letterboxed (bands above and below).
    for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
      const watched = await town.open(viewport, { allowFailedResponses: /\/hls\// })
      const { page } = watched
      await waitReady(page)
      const { camera, clientX, clientY } = (await findClickableCameras(page, cameras, incidents))[0]!
      await page.mouse.click(clientX, clientY)
      const card = page.getByTestId('card-camera')
      await card.waitFor({ timeout: 10_000 })
      await expect(card.textContent()).resolves.toContain(camera.name)
      await expect(page.getByTestId('camera-status').textContent()).resolves.toContain('在线')
      // hls.js asks the configured (local) gateway for the stream; it has none, so a still says so.
      await page.getByTestId('camera-still').waitFor({ timeout: 15_000 })
      expect(watched.requests.some(url => url.endsWith(`/hls/${encodeURIComponent(camera.code)}.m3u8`))).toBe(true)
      await expect(page.getByTestId('camera-still').textContent()).resolves.toContain('视频流无法播放')
      await watched.screenshot(`map-camera-card-${viewport.width}x${viewport.height}`)

      if (viewport.width === 1280) {
        // A cluster: clicked, the map flies in until its cameras are drawn as themselves.
        await page.locator('.map-card__close').click()
        await page.getByTestId('card-camera').waitFor({ state: 'detached' })
        const clusters = await page.evaluate(() => window.__map!.clusters())
        expect(clusters.length, 'clusters over the whole township').toBeGreaterThan(0)
        const singles = new Set(await page.evaluate(ids => ids.filter(id => window.__map!.cameraIsSingle(id)), cameras.map(c => c.id)))
        const marks = clusters.map((c, i) => ({ id: -1 - i, lon: c.lon, lat: c.lat }))
        const candidates = await clickable(page, marks, [...marks, ...cameras.filter(c => singles.has(c.id)), ...incidents.map(i => ({ ...i, id: -100_000 - i.id }))])
        // (Incidents are drawn over clusters: the map's own pick confirms the click means this cluster.)
        const confirmed = await page.evaluate(list => list.filter((p) => {
          const picked = window.__map!.pickClient(p.clientX, p.clientY)
          return picked?.kind === 'cluster' && picked.index === -1 - p.id
        }), candidates)
        const [target] = confirmed
        expect(target, 'a cluster that can be clicked alone').toBeDefined()
        const heightBefore = (await page.evaluate(() => window.__map!.view())).height
        await page.mouse.click(target!.clientX, target!.clientY)
        const members = clusters[-1 - target!.id]!.ids
        await until('its cameras drawn alone', () => page.evaluate(ids => ids.filter(id => window.__map!.cameraIsSingle(id)).length, members), n => n >= 2, 15_000)
        // Zoomed in (how far depends on how close its cameras lie: seen between a third and 0.55 of the height).
        expect((await page.evaluate(() => window.__map!.view())).height).toBeLessThan(heightBefore * 0.7)
        await page.getByTestId('map-home').click()
        await until('home again', () => page.evaluate(() => window.__map!.view().height), h => Math.abs(h - heightBefore) / heightBefore < 0.03, 15_000)

        // An incident (drawn over everything else): its card has the SLA clock and the nearest online cameras with distances.
        const incidentPlaces = incidents.map(i => ({ ...i, id: -i.id }))
        const [incident] = await clickable(page, incidentPlaces, incidentPlaces)
        expect(incident, 'an incident marker that can be clicked alone').toBeDefined()
        await page.mouse.click(incident!.clientX, incident!.clientY)
        const incidentCard = page.getByTestId('card-incident')
        await incidentCard.waitFor({ timeout: 10_000 })
        const picked = incidents.find(i => i.id === -incident!.id)!
        await expect(incidentCard.textContent()).resolves.toContain(picked.category)
        await page.getByTestId('incident-cameras').waitFor({ timeout: 10_000 })
        expect(await page.getByTestId('incident-cameras').locator('li').count()).toBeGreaterThan(0)
        await expect(page.getByTestId('incident-cameras').textContent()).resolves.toMatch(/\d+ m|\d\.\d km/)
        await watched.screenshot('map-incident-card')

        // A grid, clicked where no marker is: its code, village and figures.
        const grids = (await (await fetch(`${town.server.url}/api/grids`)).json() as { features: { properties: { id: number, code: string, village: string, labelPoint: [number, number] } }[] }).features
        // (Where no camera, cluster or incident is near: the map's own pick says so before the real click.)
        const places = await clickable(page, grids.map(g => ({ id: g.properties.id, lon: g.properties.labelPoint[0], lat: g.properties.labelPoint[1] })), incidentPlaces)
        const free = await page.evaluate(places => places.filter(p => window.__map!.pickClient(p.clientX, p.clientY)?.kind === 'grid'), places)
        const grid = free[0]
        expect(grid, 'a grid with room to click').toBeDefined()
        await page.mouse.click(grid!.clientX, grid!.clientY)
        const gridCard = page.getByTestId('card-grid')
        await gridCard.waitFor({ timeout: 10_000 })
        const props = grids.find(g => g.properties.id === grid!.id)!.properties
        await expect(gridCard.textContent()).resolves.toContain(props.code)
        await expect(gridCard.textContent()).resolves.toContain(props.village)
        // Its staff: every grid of the mock township has a grid worker (role and duty, no name).
        await page.getByTestId('grid-staff').locator('li').first().waitFor({ timeout: 10_000 })
        await expect(page.getByTestId('grid-staff').textContent()).resolves.toMatch(/网格员(在岗|离岗|请假)/)
        await watched.screenshot('map-grid-card')
      }
      watched.assertClean()
      await page.context().close()
    }
  })

  it.skipIf(kind !== 'postgres')('draws an IoT alarm raised by plain SQL as a warning triangle that opens its card', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    // A household's gas alarm is drawn at its grid's label point, never at the home: find a grid whose
    // label point is free (of cases and single cameras), and raise the alarm at a home inside it.
    const feed = (await (await fetch(`${town.server.url}/api/snapshot?topics=cases`)).json() as { data: { cases: { cases: CasePoint[] } } }).data.cases.cases
    const grids = (await (await fetch(`${town.server.url}/api/grids`)).json() as { features: { id: number, geometry: { coordinates: number[][][] }, properties: { labelPoint: [number, number] } }[] }).features
    const labels = grids.map(g => ({ id: g.id, lon: g.properties.labelPoint[0], lat: g.properties.labelPoint[1] }))
    const [spot] = await clickable(page, labels, [...cameras, ...feed.map(c => ({ ...c, id: -c.id }))])
    expect(spot, 'a free grid label point').toBeDefined()
    const grid = grids.find(g => g.id === spot!.id)!
    const [x, y] = grid.properties.labelPoint
    const corner = grid.geometry.coordinates[0]![0]!
    const place = { id: grid.id, lon: x + (corner[0]! - x) * 0.35, lat: y + (corner[1]! - y) * 0.35 }
    const village = (await town.db!.query<{ village_id: number }>('select village_id from grids where id = $1', [place.id])).rows[0]!.village_id
    await town.db!.query(
      `insert into iot_alarms (device_code, kind, status, raised_at, lat, lon, grid_id, village_id, address, updated_at)
       values ('E2E-GAS-1', 'gas', 'active', now(), $1, $2, $3, $4, '测试路1号', now())`,
      [place.lat, place.lon, place.id, village],
    )
    // The triangle stands on its point: click its middle, a little above.
    const at = { x: spot!.clientX, y: spot!.clientY - 10 }
    await until('the alarm is drawn', () => page.evaluate(p => window.__map!.pickClient(p.x, p.y), at), picked => picked?.kind === 'alarm', 20_000)
    await page.mouse.click(at.x, at.y)
    const card = page.getByTestId('card-alarm')
    await card.waitFor({ timeout: 10_000 })
    await expect(card.textContent()).resolves.toMatch(/燃气泄漏[\s\S]*未处置/)
    // Not on the wall: the address (personal data, by the contract).
    await expect(card.textContent()).resolves.not.toContain('测试路')
    await watched.screenshot('map-alarm-card')
    // The open card is live (issue #14, defect 1): acknowledged, then cleared, as the IoT platform writes it.
    const status = page.getByTestId('alarm-status')
    await town.db!.query(`update iot_alarms set status = 'acknowledged', acknowledged_at = now(), updated_at = now() where device_code = 'E2E-GAS-1'`)
    await until('acknowledged on the card', () => status.textContent(), text => text?.trim() === '已确认', 10_000)
    await town.db!.query(`update iot_alarms set status = 'cleared', cleared_at = now(), updated_at = now() where device_code = 'E2E-GAS-1'`)
    await until('cleared on the card', () => status.textContent(), text => text?.trim() === '已消除', 10_000)
    watched.assertClean()
    await watched.page.context().close()
  })

  it.skipIf(kind !== 'postgres')('shows a camera set offline by plain SQL in its new colour within 3 s', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    // One whose dot is not under a village or grid name: its centre pixel is the online green.
    let visible: Awaited<ReturnType<typeof findClickableCameras>>[number] | undefined
    for (const candidate of (await findClickableCameras(page, cameras)).slice(0, 20)) {
      if (near(await colourAt(page, candidate.clientX, candidate.clientY), ONLINE, 60)) {
        visible = candidate
        break
      }
    }
    expect(visible, 'an online camera drawn in green').toBeDefined()
    const { camera, clientX, clientY } = visible!

    // The page notes when it has drawn the first frame with the camera grey (same clock as this process).
    await page.evaluate(id => void ((window as unknown as { drawn: Promise<number | null> }).drawn = window.__map!.cameraDrawnAs(id, '#8a96a8')), camera.id)
    const started = Date.now()
    await town.db!.query(`update cameras set status = 'offline', updated_at = now() where id = $1`, [camera.id])
    const drawnAt = await page.evaluate(() => (window as unknown as { drawn: Promise<number | null> }).drawn)
    expect(drawnAt, 'a frame drew the camera grey').not.toBeNull()
    const ms = drawnAt! - started
    console.info(`camera ${camera.id} set offline by SQL: drawn grey ${ms} ms later`)
    expect(ms).toBeLessThan(3000)
    // …and what the screen shows is that frame.
    const colour = await colourAt(page, clientX, clientY)
    expect(near(colour, OFFLINE, 60), `grey on screen (got ${colour.join(',')})`).toBe(true)
    expect(await page.evaluate(id => window.__map!.cameraColour(id), camera.id)).toBe('#8a96a8')
    await watched.screenshot('map-camera-offline')
    watched.assertClean()
    await watched.page.context().close()
  })

  it.skipIf(kind !== 'postgres')('redraws the grids within 5 s when new boundaries are imported into its running database', async () => {
    const watched = await town.open()
    const { page } = watched
    await waitReady(page)
    const before = await page.evaluate(() => window.__map!.gridIds())
    // Two neighbouring grids of one village merged into one (as a re-drawn 网格 plan would), imported
    // by the command line into the database the server is running on, retiring the one that is gone.
    const stored = await readDatabaseLayers(town.db!, undefined)
    let merged: { keep: typeof stored.grid[number], gone: typeof stored.grid[number], parts: polygonClipping.MultiPolygon } | undefined
    for (const keep of stored.grid) {
      for (const gone of stored.grid) {
        if (merged || keep === gone || keep.parent !== gone.parent)
          continue
        const union = polygonClipping.union(keep.parts as polygonClipping.MultiPolygon, gone.parts as polygonClipping.MultiPolygon)
        if (union.length === 1 && union[0]!.length === 1)
          merged = { keep, gone, parts: union }
      }
    }
    expect(merged, 'two neighbouring grids').toBeDefined()
    const grids = stored.grid.filter(f => f !== merged!.gone).map(f => (f === merged!.keep ? { ...f, parts: merged!.parts } : f))
    const ids = await town.db!.query<{ id: number, code: string }>('select id, code from grids where code = any($1)', [[merged!.keep.code, merged!.gone.code]])
    const goneId = ids.rows.find(r => r.code === merged!.gone.code)!.id
    expect(before).toContain(goneId)
    const work = await mkdtemp(join(tmpdir(), 'wall-import-'))
    try {
      const file = join(work, 'grids.geojson')
      await writeFile(file, await layerBytes('grid', grids, 'geojson', parseCrsOption('wgs84')))
      const printed: string[] = []
      const capture = (chunk: string | Uint8Array): boolean => printed.push(String(chunk)) > 0
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture)
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture)
      let code: number
      try {
        code = await runGeodataCli(['import', file, '--level', 'grid', '--repair', '--retire-missing', '--database-url', town.dbUrl!, '--report-dir', join(work, 'report')])
      }
      finally {
        out.mockRestore()
        err.mockRestore()
      }
      expect(code, printed.join('')).toBe(0)
      expect(printed.join('')).toMatch(/1 retired/)
      const imported = Date.now()
      // The wall draws the new plan by itself: the retired grid is gone, the merged one stays.
      const after = await until('the grids drawn again', () => page.evaluate(() => window.__map!.gridIds()), now => !now.includes(goneId), 5000, 100)
      console.info(`boundaries imported: the wall redrew its grids ${Date.now() - imported} ms later`)
      expect(after).toHaveLength(before.length - 1)
      await watched.screenshot('map-grids-imported')
    }
    finally {
      await rm(work, { recursive: true, force: true })
    }
    watched.assertClean()
    await watched.page.context().close()
  })
})
