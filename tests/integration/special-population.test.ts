import type { Socket } from 'socket.io-client'
import type { Database } from '../../server/src/db/types.ts'
import type { ClientToServerEvents, Frame, GridProperties, Overview, PolygonCollection, Rankings, ServerToClientEvents, Snapshot } from '#wire'
import type { RunningProduct } from '../../server/src/server.ts'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { seedMiniTownship } from '../harness/contract.ts'

const logger = pino({ level: 'silent' })

/** Every count under a `specialPopulation` key of a payload (township totals, grids' records or rows). */
function specialCounts(value: unknown, inside = false, out: (number | null)[] = []): (number | null)[] {
  if (Array.isArray(value)) {
    for (const item of value)
      specialCounts(item, inside, out)
  }
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (inside && (key === 'minCount' || key === 'kinds'))
        continue
      specialCounts(child, inside || key === 'specialPopulation', out)
    }
  }
  else if (inside && (typeof value === 'number' || value === null)) {
    out.push(value)
  }
  return out
}

describe('special populations by grid reach the wall live, small counts suppressed in every payload', () => {
  let db: Database
  let product: RunningProduct
  let url: string

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    // Grid 1: 5 elderly living alone, 2 left-behind children (a count that could single out a household), no disabled.
    await db.exec(`insert into grid_special_population (grid_id, kind, count, updated_at) values
      (1, 'elderly_alone', 5, now()), (1, 'left_behind_child', 2, now()), (1, 'disabled', 0, now()), (2, 'elderly_alone', 1, now())`)
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', CHANGE_CAPTURE: 'poll', POLL_INTERVAL_MS: '100', ADMIN_PASSWORD: 'Correct-Horse-9' })
    product = await startProduct(config, db, logger)
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
  })

  it('per grid in /api/grids, the snapshot and rankings frames; township totals in overview frames', async () => {
    const grids = await (await fetch(`${url}/api/grids`)).json() as PolygonCollection<GridProperties>
    const byId = new Map(grids.features.map(f => [f.properties.id, f.properties.specialPopulation]))
    expect(byId.get(1)).toEqual({ elderly_alone: 5, left_behind_child: null, disabled: 0 })
    expect(byId.get(2)).toEqual({ elderly_alone: null })
    expect(byId.get(3)).toEqual({})

    const snapshot = await (await fetch(`${url}/api/snapshot?topics=rankings,overview`)).json() as Snapshot
    expect(snapshot.data.rankings!.specialPopulation).toEqual({
      minCount: 3,
      kinds: ['disabled', 'elderly_alone', 'left_behind_child'],
      grids: { 1: [0, 5, null], 2: [0, null, 0] },
    })
    // Township: 2 left-behind children (suppressed), the disabled row's 0 left out — and the 6 elderly
    // living alone withheld: 6 minus grid 1's 5 shown would say grid 2's "<3" is exactly 1.
    expect(snapshot.data.overview!.specialPopulation).toEqual({ elderly_alone: null, left_behind_child: null })
    expect(snapshot.data.overview!.specialPopulationWithheld).toEqual(['elderly_alone'])

    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], reconnection: false })
    const frames: Frame[] = []
    socket.on('frame', frame => frames.push(frame))
    await new Promise<void>(resolve => socket.emit('subscribe', ['rankings', 'overview'], () => resolve()))
    try {
      // Another system updates the registry: grid 1 gets a third child, grid 2 a new kind of 1, grid 3 its first rows.
      await db.exec(`update grid_special_population set count = 3, updated_at = now() where grid_id = 1 and kind = 'left_behind_child';
        insert into grid_special_population (grid_id, kind, count, updated_at) values (2, 'community_correction', 1, now()), (3, 'disabled', 4, now())`)
      const deadline = Date.now() + 10_000
      const rankings = (): Rankings | undefined => frames.findLast(f => f.topic === 'rankings')?.data as Rankings | undefined
      const overview = (): Overview | undefined => frames.findLast(f => f.topic === 'overview')?.data as Overview | undefined
      while (Date.now() < deadline && !(rankings()?.specialPopulation.grids[3] && overview()?.specialPopulation.disabled === 4))
        await new Promise(resolve => setTimeout(resolve, 50))
      expect(rankings()!.specialPopulation).toEqual({
        minCount: 3,
        kinds: ['community_correction', 'disabled', 'elderly_alone', 'left_behind_child'],
        grids: { 1: [0, 0, 5, 3], 2: [null, 0, null, 0], 3: [0, 4, 0, 0] },
      })
      expect(overview()!.specialPopulation).toEqual({ community_correction: null, disabled: 4, elderly_alone: null, left_behind_child: 3 })
      expect(overview()!.specialPopulationWithheld).toEqual(['elderly_alone'])
    }
    finally {
      socket.close()
    }

    // No payload carries a count of 1 or 2: REST, snapshot and every frame.
    const payloads: unknown[] = [grids, snapshot, await (await fetch(`${url}/api/grids`)).json(), await (await fetch(`${url}/api/snapshot`)).json(), ...frames]
    const counts = payloads.flatMap(p => specialCounts(p))
    expect(counts.length).toBeGreaterThan(20)
    expect(counts.filter(n => n !== null && n > 0 && n < 3)).toEqual([])
  })

  it('suppresses below the configured threshold (SPECIAL_POPULATION_MIN_COUNT)', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', CHANGE_CAPTURE: 'poll', SPECIAL_POPULATION_MIN_COUNT: '6', ADMIN_PASSWORD: 'Correct-Horse-9' })
    const strict = await startProduct(config, db, logger)
    try {
      const other = `http://127.0.0.1:${strict.port}`
      const grids = await (await fetch(`${other}/api/grids`)).json() as PolygonCollection<GridProperties>
      // Grid 1's 5 elderly living alone and 3 children, grid 3's 4 disabled: all under 6 now.
      expect(grids.features.find(f => f.properties.id === 1)!.properties.specialPopulation).toEqual({ elderly_alone: null, left_behind_child: null, disabled: 0 })
      expect(grids.features.find(f => f.properties.id === 3)!.properties.specialPopulation).toEqual({ disabled: null })
      const snapshot = await (await fetch(`${other}/api/snapshot?topics=rankings,overview`)).json() as Snapshot
      // Grid 1's 5 and grid 2's 1 both "<6": 6 in all could be 5 + 1, 4 + 2 … — the total is shown.
      expect(snapshot.data.overview!.specialPopulation).toEqual({ community_correction: null, disabled: null, elderly_alone: 6, left_behind_child: null })
      expect(snapshot.data.overview!.specialPopulationWithheld).toEqual([])
      expect(snapshot.data.overview!.specialPopulationMinCount).toBe(6)
      expect(snapshot.data.rankings!.specialPopulation.minCount).toBe(6)
      expect(specialCounts(snapshot).concat(specialCounts(grids)).filter(n => n !== null && n > 0 && n < 6)).toEqual([])
    }
    finally {
      await strict.close()
    }
  })
})
