import type { WallPush } from '../wire/index.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { casePoint } from '../metrics/points.ts'
import { loadCasePoint } from './cases.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

const pushBody = z.object({
  caseId: z.number().int().min(1, 'expected a case id').max(2_147_483_647),
  /** A display's name, for one wall of several; absent: every wall. */
  wall: z.string().trim().min(1).max(40).optional(),
})

/**
 * `/api/wall/push`: the console sends a case to the wall (投屏) — every wall, or one display by name —
 * which flies to it, opens its card and names it in the banner; it returns home after
 * `MAP_RETURN_HOME_SECONDS` or when the operator releases it. Each push and release is stored
 * (`ccapp.wall_pushes`) and audited; the wall receives only the case point (never personal data).
 */
export function wallApi(deps: AppDeps) {
  const { hub, auth, config } = deps
  let expiry: NodeJS.Timeout | undefined
  const clear = () => {
    clearTimeout(expiry)
    hub.publish('push', { push: null })
  }
  return new Hono<ApiEnv>()
    .post('/push', validate('json', pushBody), async (c) => {
      const { caseId, wall } = c.req.valid('json')
      const { session, ip } = c.get('principal')
      const held = hub.engine.cases.get(caseId)?.row
      const point = held ? casePoint(hub.engine, held) : await loadCasePoint(deps, caseId)
      if (!point)
        return sendError(c, 404, 'not_found', `no case with id ${caseId}`)
      const at = new Date()
      const stored = await auth.db.query<{ id: number }>('insert into ccapp.wall_pushes (case_id, wall, pushed_by, pushed_at) values ($1, $2, $3, $4) returning id', [caseId, wall ?? null, session!.account.username, at])
      const push: WallPush = { id: Number(stored.rows[0]!.id), caseId, case: point, wall: wall ?? null, by: session!.account.role, at: at.toISOString() }
      hub.publish('push', { push })
      clearTimeout(expiry)
      // The wall flies home by itself after its usual time; the server forgets the push then too, so a
      // wall that reconnects later does not fly to it again.
      expiry = setTimeout(clear, (config.map.returnHomeSeconds + 5) * 1000)
      expiry.unref()
      await auth.record({ actor: session!.account.username, role: session!.account.role, ip, action: 'wall.push', target: `case:${caseId}`, outcome: 'success', details: { wall: wall ?? null } })
      return c.json(push)
    })
    .delete('/push', async (c) => {
      const { session, ip } = c.get('principal')
      await auth.db.query('update ccapp.wall_pushes set released_at = now(), released_by = $1 where released_at is null', [session!.account.username])
      clear()
      await auth.record({ actor: session!.account.username, role: session!.account.role, ip, action: 'wall.release', outcome: 'success' })
      return c.json({ released: true })
    })
}
