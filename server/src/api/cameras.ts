import type { CameraList } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { cameraList } from '../metrics/views.ts'
import { validate } from './validate.ts'

const bbox = z.string().max(100).optional().transform((value, ctx) => {
  if (value === undefined)
    return undefined
  // Plain decimal degrees only: '' (→ 0), hex (0x1) and exponents are not coordinates.
  const texts = value.split(',')
  const parts = texts.map(Number)
  const [west, south, east, north] = parts
  if (parts.length !== 4 || texts.some(t => !/^-?\d{1,3}(?:\.\d{1,12})?$/.test(t.trim())) || west! < -180 || east! > 180 || south! < -90 || north! > 90 || west! > east! || south! > north!) {
    ctx.addIssue({ code: 'custom', message: 'expected west,south,east,north in degrees (WGS84), west ≤ east, south ≤ north' })
    return z.NEVER
  }
  return { west: west!, south: south!, east: east!, north: north! }
})

const cameraQuery = z.object({
  bbox,
  status: z.enum(['online', 'offline', 'alarm'], { error: 'expected online, offline or alarm' }).optional(),
})

/** Cameras: all, or those in a bounding box, optionally by status (from memory). */
export function camerasApi({ hub }: AppDeps) {
  return new Hono()
    .get('/', validate('query', cameraQuery), (c) => {
      const { bbox: box, status } = c.req.valid('query')
      const cameras = cameraList(hub.engine).filter(camera =>
        (!status || camera.status === status)
        && (!box || (camera.lon >= box.west && camera.lon <= box.east && camera.lat >= box.south && camera.lat <= box.north)))
      return c.json<CameraList>({ total: cameras.length, cameras })
    })
}
