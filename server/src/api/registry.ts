import type { GridWorkerView } from '../wire/index.ts'
import type { AppDeps } from '../app.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { rankings } from '../metrics/views.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

const ROLE_ORDER: Record<string, number> = { grid_leader: 0, grid_worker: 1 }

/** Villages and grids with their live figures; the township's boundaries (GeoJSON, WGS84). */
export function registryApi({ hub, db }: AppDeps) {
  return new Hono()
    .get('/villages', c => c.json({ villages: rankings(hub.engine).villages }))
    .get('/grids', async (c) => {
      // Boundaries come from the database once per request (a screen asks once, at start); figures from memory.
      const result = await db.query<{ id: number, boundary: unknown }>('select id, boundary from grids where active and boundary is not null order by id')
      const figures = new Map(rankings(hub.engine).grids.map(g => [g.id, g]))
      return c.json({
        type: 'FeatureCollection' as const,
        features: result.rows.flatMap((row) => {
          const grid = hub.engine.grids.get(row.id)
          const stats = figures.get(row.id)
          if (!grid || !stats)
            return []
          const village = hub.engine.villages.get(grid.village_id)
          return [{
            type: 'Feature' as const,
            id: row.id,
            geometry: row.boundary as { type: 'Polygon', coordinates: number[][][] },
            properties: { ...stats, village: village?.name ?? null, labelPoint: grid.label_lon === null || grid.label_lat === null ? null : [grid.label_lon, grid.label_lat] as [number, number] },
          }]
        }),
      })
    })
    // From memory (the registry's change feed keeps it current); names and phones are not kept there.
    .get('/grids/:id/workers', validate('param', z.object({ id: z.string().regex(/^\d{1,9}$/, 'expected a grid id (a positive integer)').transform(Number) })), (c) => {
      const { id } = c.req.valid('param')
      if (!hub.engine.grids.has(id))
        return sendError(c, 404, 'not_found', `no grid ${id}`)
      const workers: GridWorkerView[] = [...hub.engine.workers.values()]
        .filter(w => w.active && w.grid_id === id)
        .sort((a, b) => (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || a.id - b.id)
        .map(w => ({ id: w.id, role: w.role, dutyStatus: w.duty_status, lastCheckinAt: w.last_checkin_at === null ? null : new Date(w.last_checkin_at).toISOString() }))
      return c.json({ gridId: id, workers })
    })
    .get('/geodata/township', async (c) => {
      const result = await db.query<{ code: string, name: string, county_name: string, seat_lon: number | null, seat_lat: number | null, boundary: unknown }>(
        'select code, name, county_name, seat_lon, seat_lat, boundary from townships where active order by id',
      )
      return c.json({
        type: 'FeatureCollection' as const,
        features: result.rows.map(row => ({ type: 'Feature' as const, geometry: row.boundary as { type: 'Polygon', coordinates: number[][][] }, properties: { code: row.code, name: row.name, county: row.county_name, seat: row.seat_lon === null || row.seat_lat === null ? null : [row.seat_lon, row.seat_lat] as [number, number] } })),
      })
    })
    .get('/geodata/villages', async (c) => {
      const result = await db.query<{ id: number, code: string, name: string, kind: string, center_lon: number | null, center_lat: number | null, boundary: unknown }>(
        'select id, code, name, kind, center_lon, center_lat, boundary from villages where active and boundary is not null order by id',
      )
      return c.json({
        type: 'FeatureCollection' as const,
        features: result.rows.map(row => ({ type: 'Feature' as const, id: row.id, geometry: row.boundary as { type: 'Polygon', coordinates: number[][][] }, properties: { code: row.code, name: row.name, kind: row.kind, center: row.center_lon === null || row.center_lat === null ? null : [row.center_lon, row.center_lat] as [number, number] } })),
      })
    })
}
