import type { CaseRow } from '../contract/rows.ts'
import type { QueueCase } from '../wire/index.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { allows } from '../auth/roles.ts'
import { dayStart, localDay } from '../domain/calendar.ts'
import { CASE_STATUSES } from '../domain/lifecycle.ts'
import { OPEN_STATUSES } from '../metrics/cases.ts'
import { byUrgency, queueCase } from '../metrics/queue.ts'
import { caseDetail } from './console-detail.ts'
import { caseAction } from './console-actions.ts'
import { sendError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'
import { validate } from './validate.ts'

const list = <T extends string>(values: readonly T[], what: string) => z.string().max(200).optional().transform((value, ctx) => {
  if (value === undefined || value === '')
    return undefined
  const items = value.split(',')
  const bad = items.find(item => !(values as readonly string[]).includes(item))
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `unknown ${what} ${JSON.stringify(bad)}; expected some of ${values.join(', ')}` })
    return z.NEVER
  }
  return items as T[]
})
const ids = z.string().max(200).regex(/^[1-9]\d{0,8}(?:,[1-9]\d{0,8})*$/, 'expected ids (positive integers, comma-separated)').optional().transform(v => v?.split(',').map(Number))
const isoTime = z.string().max(40).refine(v => !Number.isNaN(Date.parse(v)), 'expected an ISO-8601 time').transform(v => Date.parse(v))

const queueQuery = z.object({
  status: list(['reported', 'accepted', 'dispatched', 'processing', 'fed_back'] as const, 'open status'),
  level: list(['general', 'serious', 'major', 'urgent'] as const, 'level'),
  category: ids,
  village: ids,
  grid: ids,
  sla: list(['not_started', 'on_time', 'due_2h', 'overdue'] as const, 'SLA state'),
  reported: z.enum(['today', '7d', 'custom'], { error: 'expected today, 7d or custom' }).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  q: z.string().trim().max(60).optional(),
}).refine(q => q.reported !== 'custom' || q.from !== undefined || q.to !== undefined, { message: 'a custom range needs from or to', path: ['from'] })

type QueueQuery = z.infer<typeof queueQuery>

/** Whether category `id` is `ancestor` or below it in the tree. */
function under(categories: Map<number, { parent_id: number | null }>, id: number, ancestors: number[]): boolean {
  let current: number | null = id
  for (let guard = 0; current !== null && guard < 16; guard++) {
    if (ancestors.includes(current))
      return true
    current = categories.get(current)?.parent_id ?? null
  }
  return false
}

/** A case category for the console's filter: the tree depth-first, each with its depth (0: a class). */
export interface ConsoleCategory {
  id: number
  name: string
  nameEn: string
  depth: number
}

/** The active categories depth-first (each class, then its leaves), in code order within a level. */
export function categoryTree(categories: Iterable<{ id: number, parent_id: number | null, code: string, name: string, name_en: string | null, active: boolean }>): ConsoleCategory[] {
  const active = [...categories].filter(c => c.active).sort((a, b) => a.code.localeCompare(b.code))
  const ids = new Set(active.map(c => c.id))
  const children = new Map<number | null, typeof active>()
  for (const c of active) {
    // A node whose parent is retired is shown as a class of its own rather than lost.
    const parent = c.parent_id !== null && ids.has(c.parent_id) ? c.parent_id : null
    children.set(parent, [...(children.get(parent) ?? []), c])
  }
  const out: ConsoleCategory[] = []
  const walk = (parent: number | null, depth: number): void => {
    for (const c of children.get(parent) ?? []) {
      out.push({ id: c.id, name: c.name, nameEn: c.name_en ?? c.name, depth })
      if (depth < 8)
        walk(c.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

/** The report-time window of a filter, as [from, to] epoch ms. */
function window(q: QueueQuery, now: number): [number, number] {
  if (q.reported === 'today')
    return [dayStart(localDay(now)), Number.POSITIVE_INFINITY]
  if (q.reported === '7d')
    return [dayStart(localDay(now) - 6), Number.POSITIVE_INFINITY]
  return [q.from ?? Number.NEGATIVE_INFINITY, q.to ?? Number.POSITIVE_INFINITY]
}

/**
 * The dispatch console's API: the live incident queue (open cases from memory, filtered and searched),
 * a case for dispatch (personal fields masked), and lifecycle moves written back to the contract.
 */
export function consoleApi(deps: AppDeps) {
  const { hub, db } = deps
  // Searching (a phone tail among them) is limited per account: a console types, a script would sweep.
  const searches = new RateLimiter(120, 60_000)
  return new Hono<ApiEnv>()
    .get('/queue', validate('query', queueQuery), async (c) => {
      const q = c.req.valid('query')
      const who = c.get('principal').session!.account.username
      if (q.q && !searches.take(who)) {
        c.header('Retry-After', String(searches.retryAfterSeconds(who)))
        return sendError(c, 429, 'rate_limited', 'too many searches in a minute; wait a moment')
      }
      const engine = hub.engine
      const [from, to] = window(q, engine.now)
      const text = q.q?.toLowerCase() ?? ''
      // A reporter's phone tail (4 digits) is personal: searched only for roles that may reveal it.
      const byPhone = /^\d{4}$/.test(text) && allows(c.get('principal').session!.account.role, 'personal:reveal')
        ? new Set((await db.query<{ id: number }>(`select id from cases where status = any($1::text[]) and right(regexp_replace(coalesce(reporter_phone, ''), '\\D', '', 'g'), 4) = $2`, [[...OPEN_STATUSES], text])).rows.map(r => Number(r.id)))
        : null
      const cameraGrids = text ? new Set([...engine.cameras.values()].filter(cam => cam.active && cam.name.toLowerCase().includes(text) && cam.grid_id !== null).map(cam => cam.grid_id)) : null
      const matches = (row: CaseRow, point: QueueCase): boolean => {
        if (!text)
          return true
        return point.code.toLowerCase().startsWith(text)
          || point.category.toLowerCase().includes(text) || point.categoryEn.toLowerCase().includes(text)
          || (point.village?.toLowerCase().includes(text) ?? false) || (point.grid?.toLowerCase().includes(text) ?? false)
          || (cameraGrids?.has(row.grid_id) ?? false)
          || (byPhone?.has(row.id) ?? false)
      }
      const cases: QueueCase[] = []
      for (const { row } of engine.cases.values()) {
        if (!OPEN_STATUSES.has(row.status) || row.reported_at < from || row.reported_at > to)
          continue
        if ((q.status && !q.status.includes(row.status as never)) || (q.level && !q.level.includes(row.level as never)))
          continue
        if ((q.village && !q.village.includes(row.village_id ?? 0)) || (q.grid && !q.grid.includes(row.grid_id ?? 0)))
          continue
        if (q.category && !under(engine.categories, row.category_id, q.category))
          continue
        const point = queueCase(engine, row)
        if ((q.sla && !q.sla.includes(point.sla)) || !matches(row, point))
          continue
        cases.push(point)
      }
      c.header('Cache-Control', 'no-store')
      return c.json({ asOf: new Date(engine.now).toISOString(), total: cases.length, cases: cases.sort(byUrgency) })
    })
    .get('/categories', (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json({ categories: categoryTree(hub.engine.categories.values()) })
    })
    .get('/cases/:id', validate('param', z.object({ id: z.string().regex(/^[1-9]\d{0,8}$/, 'expected a case id (a positive integer)').transform(Number) })), async (c) => {
      const detail = await caseDetail(deps, c.req.valid('param').id)
      c.header('Cache-Control', 'no-store')
      if (!detail)
        return sendError(c, 404, 'not_found', `no case with id ${c.req.valid('param').id}`)
      return c.json(detail)
    })
    .post('/cases/:id/actions', validate('param', z.object({ id: z.string().regex(/^[1-9]\d{0,8}$/, 'expected a case id (a positive integer)').transform(Number) })), validate('json', z.object({
      to: z.enum(CASE_STATUSES, { error: `expected one of ${CASE_STATUSES.join(', ')}` }),
      workerId: z.number().int().min(1).max(2_147_483_647).optional(),
      note: z.string().trim().max(200).optional(),
      resolvedLevel: z.enum(['grid', 'village', 'township', 'county']).optional(),
    })), async (c) => {
      const { session, ip } = c.get('principal')
      return caseAction(c, deps, c.req.valid('param').id, c.req.valid('json'), { username: session!.account.username, role: session!.account.role, ip })
    })
}
