import type { GridProperties, GridWorkers, GridWorkerView, PolygonCollection, PolygonGeometry } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { gridsSpecialPopulation, rankings } from '../metrics/views.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

const ROLE_ORDER: Record<string, number> = { grid_leader: 0, grid_worker: 1 }

const gridParam = z.object({ id: z.string().regex(/^[1-9]\d{0,8}$/, 'expected a grid id (a positive integer)').transform(Number) })

/** `/api/grids`: the grids as GeoJSON with their live figures, and each grid's staff. */
export function gridsApi({ hub, db }: AppDeps) {
  return new Hono()
    .get('/', async (c) => {
      // Boundaries come from the database once per request (a screen asks once, at start); figures from memory.
      const result = await db.query<{ id: number, boundary: PolygonGeometry }>('select id, boundary from grids where active and boundary is not null order by id')
      const figures = new Map(rankings(hub.engine).grids.map(g => [g.id, g]))
      const special = gridsSpecialPopulation(hub.engine)
      return c.json<PolygonCollection<GridProperties>>({
        type: 'FeatureCollection',
        features: result.rows.flatMap((row) => {
          const grid = hub.engine.grids.get(row.id)
          const stats = figures.get(row.id)
          if (!grid || !stats)
            return []
          const village = hub.engine.villages.get(grid.village_id)
          const labelPoint: [number, number] | null = grid.label_lon === null || grid.label_lat === null ? null : [grid.label_lon, grid.label_lat]
          return [{ type: 'Feature' as const, id: row.id, geometry: row.boundary, properties: { ...stats, village: village?.name ?? null, labelPoint, specialPopulation: special.get(row.id) ?? {} } }]
        }),
      })
    })
    // From memory (the registry's change feed keeps it current); names and phones are not kept there.
    .get('/:id/workers', validate('param', gridParam), (c) => {
      const { id } = c.req.valid('param')
      if (!hub.engine.grids.has(id))
        return sendError(c, 404, 'not_found', `no grid ${id}`)
      const workers: GridWorkerView[] = [...hub.engine.workers.values()]
        .filter(w => w.active && w.grid_id === id)
        .sort((a, b) => (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || a.id - b.id)
        .map(w => ({ id: w.id, role: w.role, dutyStatus: w.duty_status, lastCheckinAt: w.last_checkin_at === null ? null : new Date(w.last_checkin_at).toISOString() }))
      return c.json<GridWorkers>({ gridId: id, workers })
    })
}
