import type { Page } from 'playwright-core'
import type { MapHooks } from '../../screen/src/map/bench/index.ts'
import type { WatchedPage } from '../harness/browser.ts'
import { describe, expect, it } from 'vitest'
import { changedPixels, decodePng, until } from '../harness/browser.ts'
import { postgresAvailable } from '../harness/postgres.ts'
import { useMapTownship } from './map-township.ts'

declare const window: { __map: MapHooks }

const pgReachable = await postgresAvailable()
/** Seconds: the orbit's turn, the idle time before it starts, the stay after a fly-to. */
const ORBIT = 40
const IDLE = 5
// Long enough for the pulse checks below to finish on a loaded machine (software WebGL) before it returns.
const RETURN = 40

const view = (page: Page): Promise<ReturnType<MapHooks['view']>> => page.evaluate(() => window.__map.view())
/** Signed difference of two headings, degrees in (-180, 180]. */
const turn = (from: number, to: number): number => ((to - from + 540) % 360) - 180

/** A square of the page around a client point, as pixels. */
async function around(page: Page, x: number, y: number, half = 40): Promise<Buffer> {
  return decodePng(await page.screenshot({ clip: { x: Math.round(x - half), y: Math.round(y - half), width: half * 2, height: half * 2 } })).data
}

/** Reddish pixels (the urgent dot: red over the dark land). */
function reds(data: Buffer): number {
  let n = 0
  for (let i = 0; i < data.length; i += 4) {
    if (data[i]! > 150 && data[i]! - data[i + 1]! > 80 && data[i]! - data[i + 2]! > 60)
      n++
  }
  return n
}

describe.each([{ kind: pgReachable ? 'postgres' as const : 'pglite' as const }])('the map\'s camera: idle orbit, fly-to on an urgent case, home again ($kind)', ({ kind }) => {
  const town = useMapTownship(kind, 'cc_map_camera', () => ({ MAP_ORBIT_SECONDS: String(ORBIT), MAP_IDLE_SECONDS: String(IDLE), MAP_RETURN_HOME_SECONDS: String(RETURN) }))

  async function open(): Promise<WatchedPage> {
    const watched = await town.open()
    await watched.page.locator('[data-testid="map"][data-map-state="ready"]').waitFor({ timeout: 170_000 })
    return watched
  }

  it('turns slowly about the township when nobody touches it, and stops at a touch', async () => {
    const watched = await open()
    const { page } = watched
    const start = await view(page)
    expect(start.orbiting).toBe(false)
    const orbiting = await until('the orbit starts after the idle time', () => view(page), v => v.orbiting, (IDLE + 15) * 1000)
    const t0 = Date.now()
    // One turn per ORBIT seconds, about the vertical: the heading moves (as soon as frames come: a
    // loaded machine draws few), never faster than that; the tilt and height stay.
    const later = await until('the heading turns', () => view(page), v => Math.abs(turn(orbiting.heading, v.heading)) > 360 / ORBIT * 2.5 * 0.3, 20_000, 250)
    const seconds = (Date.now() - t0) / 1000
    const degrees = Math.abs(turn(orbiting.heading, later.heading))
    expect(degrees).toBeLessThan(360 / ORBIT * (seconds + 0.5) * 1.7)
    expect(Math.abs(later.pitch - orbiting.pitch)).toBeLessThan(1)
    expect(Math.abs(later.height - orbiting.height) / orbiting.height).toBeLessThan(0.02)
    await watched.screenshot('map-orbiting')

    // A hand on the map (a wheel turn over it) stops the turning at once.
    const canvas = page.locator('[data-testid="map"] canvas').first()
    await canvas.hover()
    await page.mouse.wheel(0, 40)
    const stopped = await until('the orbit stops', () => view(page), v => !v.orbiting, 2000)
    await page.waitForTimeout(1000)
    expect(Math.abs(turn(stopped.heading, (await view(page)).heading))).toBeLessThan(0.5)
    watched.assertClean()
    await page.context().close()
  })

  it.skipIf(kind !== 'postgres')('flies to an urgent case inserted by plain SQL, pulses it, and returns home by itself', async () => {
    const watched = await open()
    const { page } = watched
    const home = (await page.evaluate(() => window.__map.home()))!
    // A grid near the township's edge, so that the flight is a real move away from home.
    const grids = (await (await fetch(`${town.server.url}/api/grids`)).json() as { features: { geometry: { coordinates: number[][][] }, properties: { id: number, labelPoint: [number, number] } }[] }).features
    const distance = (p: [number, number]): number => Math.hypot(p[0] - home.target.lon, p[1] - home.target.lat)
    const farGrid = grids.sort((a, b) => distance(b.properties.labelPoint) - distance(a.properties.labelPoint))[0]!
    const far = farGrid.properties
    // Inside the grid, away from its name (drawn at the label point).
    const corner = farGrid.geometry.coordinates[0]![0]!
    const lon = far.labelPoint[0] + (corner[0]! - far.labelPoint[0]) * 0.4
    const lat = far.labelPoint[1] + (corner[1]! - far.labelPoint[1]) * 0.4
    const villageId = (await town.db!.query<{ village_id: number }>('select village_id from grids where id = $1', [far.id])).rows[0]!.village_id
    const category = (await town.db!.query<{ id: number, name: string }>(`select id, name from case_categories where parent_id is not null order by id limit 1`)).rows[0]!
    await town.db!.query(
      `insert into cases (id, code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, updated_at)
       values (990001, 'SJ-E2E-URGENT', $1, 'urgent', 'hotline', $2, $3, $4, $5, 'reported', now(), now())`,
      [category.id, lat, lon, far.id, villageId],
    )

    // The alert, and the camera on its way to the case: low over it, the case in the middle of the map.
    await page.getByTestId('alert').waitFor({ timeout: 10_000 })
    await expect(page.getByTestId('alert').textContent()).resolves.toContain(category.name)
    await until('the map flies to the case', () => view(page), v => v.height < home.position.height * 0.5, 10_000)
    const flewAt = Date.now()
    // (The flight takes 2 s, more on a slow machine; the camera stays RETURN seconds from its start.)
    let previous = await view(page)
    await until('the flight ends', async () => {
      const now = await view(page)
      const still = Math.abs(now.height - previous.height) / previous.height < 0.002 && Math.abs(now.pitch - previous.pitch) < 0.1
      previous = now
      return still
    }, still => still, 15_000, 400)
    const there = await page.evaluate(([lon, lat]) => window.__map.project(lon!, lat!), [lon, lat])
    const box = (await page.locator('[data-testid="map"] canvas').first().boundingBox())!
    expect(there, 'the case is on screen').not.toBeNull()
    expect(Math.abs(there!.clientX - (box.x + box.width / 2))).toBeLessThan(box.width * 0.2)
    expect(Math.abs(there!.clientY - (box.y + box.height / 2))).toBeLessThan(box.height * 0.25)

    // It pulses: a ring that grows from the dot and fades, so the picture around the case keeps changing.
    await watched.screenshot('map-urgent-case')
    expect(await page.evaluate(() => window.__map.pulsing())).toBeGreaterThan(0)
    // An animation keeps frames coming (the map otherwise draws only on change). How many depends on
    // the machine (software WebGL here, 2–10 a second): that frames keep coming is what is checked.
    const frames0 = await page.evaluate(() => window.__map.frames)
    await until('frames keep coming while the case pulses', () => page.evaluate(() => window.__map.frames), n => n - frames0 >= 3, 10_000)
    const first = await around(page, there!.clientX, there!.clientY)
    const changes: number[] = []
    // Red in the pictures (not necessarily in each: the fading ring and the white selection ring pass over the dot).
    const red = [reds(first)]
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(110 + 37 * i)
      const next = await around(page, there!.clientX, there!.clientY)
      changes.push(changedPixels(first, next))
      red.push(reds(next))
    }
    expect(Math.max(...red), `the case is drawn in red (red pixels: ${red.join(', ')})`).toBeGreaterThan(20)
    expect(Math.max(...changes), `pixels around the case that change (${changes.join(', ')})`).toBeGreaterThan(80)

    // Nobody touches the map: after RETURN seconds it flies back to the township's home view.
    // Still there while the pulse was watched; then home by itself: the home view's height and tilt
    // (the idle orbit may already be turning it about the township), RETURN seconds after the flight.
    // (Only while RETURN seconds have not passed: a loaded machine may take that long to watch the pulse.)
    const still = await view(page)
    if ((Date.now() - flewAt) / 1000 < RETURN - 3)
      expect(still.height).toBeLessThan(home.position.height * 0.5)
    await until('back home', () => view(page), v => Math.abs(v.height - home.position.height) / home.position.height < 0.03 && Math.abs(v.pitch - home.pitch) < 2, (RETURN + 15) * 1000)
    expect((Date.now() - flewAt) / 1000).toBeGreaterThan(RETURN - 4)
    watched.assertClean()
    await page.context().close()
  })
})
