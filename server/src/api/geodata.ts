import type { PolygonCollection, PolygonGeometry, TownshipProperties, VillageProperties } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { Hono } from 'hono'

const point = (lon: number | null, lat: number | null): [number, number] | null => (lon === null || lat === null ? null : [lon, lat])

/** `/api/geodata`: the township's and villages' boundaries (GeoJSON, WGS84), read from the contract. */
export function geodataApi({ db }: AppDeps) {
  return new Hono()
    .get('/township', async (c) => {
      const result = await db.query<{ code: string, name: string, county_name: string, seat_lon: number | null, seat_lat: number | null, boundary: PolygonGeometry }>(
        'select code, name, county_name, seat_lon, seat_lat, boundary from townships where active order by id',
      )
      return c.json<PolygonCollection<TownshipProperties>>({
        type: 'FeatureCollection',
        features: result.rows.map(row => ({ type: 'Feature', geometry: row.boundary, properties: { code: row.code, name: row.name, county: row.county_name, seat: point(row.seat_lon, row.seat_lat) } })),
      })
    })
    .get('/villages', async (c) => {
      const result = await db.query<{ id: number, code: string, name: string, kind: string, center_lon: number | null, center_lat: number | null, boundary: PolygonGeometry }>(
        'select id, code, name, kind, center_lon, center_lat, boundary from villages where active and boundary is not null order by id',
      )
      return c.json<PolygonCollection<VillageProperties>>({
        type: 'FeatureCollection',
        features: result.rows.map(row => ({ type: 'Feature', id: row.id, geometry: row.boundary, properties: { code: row.code, name: row.name, kind: row.kind, center: point(row.center_lon, row.center_lat) } })),
      })
    })
}
