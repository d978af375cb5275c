import type { Polygon } from 'geojson'
import type { Database } from '../../server/src/db/types.ts'
import type { Random } from '../random.ts'
import type { AlarmKind } from '../rows.ts'
import { alarmDevices } from '../calibration.ts'
import { cumulative, pickCumulative } from '../random.ts'
import { jitter, pointInPolygon, roundPoint } from '../spatial.ts'

/** Counters of what the simulator wrote. */
export interface SimulatorStats {
  reports: number
  transitions: number
  ratings: number
  cameraChanges: number
  heartbeats: number
  alarmsRaised: number
  alarmsCleared: number
  checkins: number
  errors: number
}

/** A grid as the simulator places activity in it. */
export interface SimGrid { id: number, villageId: number, villageName: string, township: string, label: [number, number], boundary: Polygon | null, households: number }
/** A grid worker (the first of a grid files its patrol reports). */
export interface SimWorker { id: number, gridId: number, name: string, phone: string }

/** What the simulator read of the township at start. */
export interface Township {
  grids: SimGrid[]
  /** Running households by grid, to pick a grid as people live. */
  gridCum: number[]
  workers: SimWorker[]
  workersByGrid: Map<number, SimWorker>
  categoryIds: Map<string, number>
  cameras: number
  alarmDevices: Record<AlarmKind, number>
}

/** What every activity step is given. */
export interface SimContext {
  db: Database
  rng: Random
  /** Time-lapse factor: delays are divided by it. */
  speed: number
  stats: SimulatorStats
  township: Township
  /** Case codes issued so far, by township and day prefix. */
  sequences: Map<string, number>
  /** The clock, to the second. */
  now: () => Date
  /** True once stopping: long steps end early. */
  stopping: () => boolean
}

/** A write never goes back in time, whatever the clock says: events stay monotonic per row. */
export function after(t: Date, previous: Date): Date {
  return new Date(Math.max(t.getTime(), previous.getTime() + 1000))
}

type GridQueryRow = { id: number, village_id: number, village_name: string, township: string, label_lat: number, label_lon: number, center_lat: number, center_lon: number, boundary: Polygon | string | null, households: number | null }

async function loadGrids(db: Database): Promise<SimGrid[]> {
  const { rows } = await db.query<GridQueryRow>(
    `select g.id, g.village_id, v.name as village_name, t.code as township, g.label_lat, g.label_lon,
            v.center_lat, v.center_lon, g.boundary, p.households
     from grids g join villages v on v.id = g.village_id join townships t on t.id = v.township_id
     left join grid_population p on p.grid_id = g.id
     where g.active order by g.id`,
  )
  if (rows.length === 0)
    throw new Error('the database holds no township (no grids); run `npm run mock` first')
  return rows.map(r => ({
    id: r.id,
    villageId: r.village_id,
    villageName: r.village_name,
    township: r.township,
    label: [r.label_lon ?? r.center_lon, r.label_lat ?? r.center_lat],
    boundary: typeof r.boundary === 'string' ? JSON.parse(r.boundary) as Polygon : r.boundary,
    households: Math.max(1, r.households ?? 1),
  }))
}

/** Reads the township's grids, workers, categories and installed base (cameras, IoT devices). */
export async function loadTownship(db: Database): Promise<Township> {
  const grids = await loadGrids(db)
  const w = await db.query<{ id: number, grid_id: number, name: string, phone: string | null }>(`select id, grid_id, name, phone from grid_workers where active and grid_id is not null order by id`)
  const workers = w.rows.map(r => ({ id: r.id, gridId: r.grid_id, name: r.name, phone: r.phone ?? '' }))
  const workersByGrid = new Map<number, SimWorker>()
  for (const worker of workers) {
    if (!workersByGrid.has(worker.gridId))
      workersByGrid.set(worker.gridId, worker)
  }
  const c = await db.query<{ id: number, code: string }>(`select id, code from case_categories where active`)
  const base = await db.query<{ cameras: number, elderly: number, villages: number }>(
    `select (select count(*)::int from cameras where active) as cameras,
            (select coalesce(sum(count), 0)::int from grid_special_population where kind = 'elderly_alone') as elderly,
            (select count(distinct village_id)::int from grids where active) as villages`,
  )
  const { cameras = 0, elderly = 0, villages = 0 } = base.rows[0] ?? {}
  return {
    grids,
    gridCum: cumulative(grids.map(g => g.households)),
    workers,
    workersByGrid,
    categoryIds: new Map(c.rows.map(row => [row.code, row.id])),
    cameras,
    alarmDevices: alarmDevices({ elderlyAlone: elderly, households: grids.reduce((a, g) => a + g.households, 0), villages }),
  }
}

/** A grid, as likely as its share of the township's households. */
export function pickGrid(ctx: SimContext): SimGrid {
  return ctx.township.grids[pickCumulative(ctx.rng, ctx.township.gridCum)]!
}

/** A point near the grid's label point (normal, `sigma` metres), inside the grid; the label point itself after eight misses. */
export function pointIn(ctx: SimContext, grid: SimGrid, sigma: number): [number, number] {
  for (let i = 0; i < 8; i++) {
    const p = jitter(ctx.rng, grid.label, sigma)
    if (!grid.boundary || pointInPolygon(p[0], p[1], grid.boundary))
      return roundPoint(p)
  }
  return grid.label
}
