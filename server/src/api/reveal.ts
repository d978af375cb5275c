import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

/** The personal fields a reveal may ask for, by kind of record (contract table and column). */
const FIELDS = {
  case: { table: 'cases', columns: ['reporter_name', 'reporter_phone', 'address', 'description'] },
  grid_worker: { table: 'grid_workers', columns: ['name', 'phone'] },
  alarm: { table: 'iot_alarms', columns: ['address'] },
} as const

const revealBody = z.object({
  kind: z.enum(['case', 'grid_worker', 'alarm'], { error: 'expected case, grid_worker or alarm' }),
  id: z.number().int().min(1, 'expected a positive id').max(2_147_483_647),
  field: z.string().max(40),
}).refine(b => (FIELDS[b.kind].columns as readonly string[]).includes(b.field), { message: 'not a personal field of that kind of record', path: ['field'] })

/**
 * `POST /api/reveal`: one personal field of one record in clear, for a role holding
 * `personal:reveal`. Answered once (never cached) and audited with who, when, which record and field.
 */
export function revealApi({ db, auth }: AppDeps) {
  return new Hono<ApiEnv>()
    .post('/', validate('json', revealBody), async (c) => {
      const { kind, id, field } = c.req.valid('json')
      const { session, ip } = c.get('principal')
      const { table } = FIELDS[kind]
      // Table and column come from the fixed list above, never from the request as text.
      const found = await db.query<{ value: string | null }>(`select "${field}" as value from ${table} where id = $1`, [id])
      const row = found.rows[0]
      await auth.record({ actor: session!.account.username, role: session!.account.role, ip, action: 'personal.reveal', target: `${kind}:${id}`, outcome: row ? 'success' : 'failure', details: { field } })
      c.header('Cache-Control', 'no-store')
      if (!row)
        return sendError(c, 404, 'not_found', `no ${kind} with id ${id}`)
      return c.json({ kind, id, field, value: row.value })
    })
}
