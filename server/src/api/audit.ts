import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { auditCsv } from '../auth/audit.ts'
import { calendarDay, localDateStart } from '../domain/calendar.ts'
import { validate } from './validate.ts'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date, e.g. 2026-11-01').refine(value => calendarDay(value) !== null, 'not a calendar date')

/** `/api/audit`: the audit log for a period (JSON or CSV) and the verification of its chain (admin). */
export function auditApi({ auth, config }: AppDeps) {
  return new Hono<ApiEnv>()
    .get('/', validate('query', z.object({ from: day.optional(), to: day.optional(), format: z.enum(['json', 'csv']).default('json') })), async (c) => {
      const { from, to, format } = c.req.valid('query')
      const records = await auth.audit.records(from ? localDateStart(from) : undefined, to ? localDateStart(to) : undefined)
      c.header('Cache-Control', 'no-store')
      if (format === 'csv') {
        c.header('Content-Disposition', `attachment; filename="audit-${from ?? 'start'}-${to ?? 'now'}.csv"`)
        return c.body(auditCsv(records, config.timeZone), 200, { 'Content-Type': 'text/csv; charset=utf-8' })
      }
      return c.json({ records: records.map(r => ({ ...r, at: r.at.toISOString() })) })
    })
    .get('/verify', async c => c.json(await auth.audit.verify()))
}
