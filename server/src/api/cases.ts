import type { CaseDetail, CasePage, CasePoint } from '../wire/index.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { calendarDay } from '../domain/calendar.ts'
import { nearest } from '../geo/distance.ts'
import { cameraPoint } from '../metrics/views.ts'
import { sendError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'
import { validate } from './validate.ts'

const STATUSES = ['reported', 'accepted', 'dispatched', 'processing', 'fed_back', 'closed', 'cancelled'] as const
const LEVELS = ['general', 'serious', 'major', 'urgent'] as const

const id = (what: string) => z.string().regex(/^[1-9]\d{0,8}$/, `expected a ${what} id (a positive integer)`).transform(Number)
/** An ISO-8601 date or time that names a real calendar day (2026-02-30 is refused, not rolled over). */
const time = z.string().max(40).refine(isRealTime, 'expected an ISO-8601 date or time, e.g. 2026-11-23 or 2026-11-23T08:00:00+08:00').transform(value => new Date(value))

function isRealTime(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$)/.exec(value)
  if (!match || Number.isNaN(Date.parse(value)))
    return false
  const [, y, m, d, hh = '0', mm = '0', ss = '0'] = match
  return calendarDay(`${y}-${m}-${d}`) !== null && Number(hh) < 24 && Number(mm) < 60 && Number(ss) < 60
}

const searchQuery = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[\w-]+$/, 'expected letters, digits, - or _').optional(),
  village: id('village').optional(),
  grid: id('grid').optional(),
  category: id('category').optional(),
  status: z.string().max(120).optional().transform((value, ctx) => {
    if (value === undefined)
      return undefined
    const list = value.split(',')
    const bad = list.find(s => !(STATUSES as readonly string[]).includes(s))
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown status ${JSON.stringify(bad)}; expected some of ${STATUSES.join(', ')}` })
      return z.NEVER
    }
    return list
  }),
  level: z.enum(LEVELS, { error: `expected one of ${LEVELS.join(', ')}` }).optional(),
  from: time.optional(),
  to: time.optional(),
  page: z.string().regex(/^\d{1,5}$/, 'expected a page number from 1 to 10000').transform(Number).pipe(z.number().min(1, 'expected a page number from 1 to 10000').max(10_000, 'expected a page number from 1 to 10000')).default(1),
  pageSize: z.string().regex(/^\d{1,3}$/, 'expected a page size from 1 to 200').transform(Number).pipe(z.number().min(1, 'expected a page size from 1 to 200').max(200, 'expected a page size from 1 to 200')).default(20),
}).refine(q => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })

interface CaseListRow {
  id: number
  code: string
  category_id: number
  category: string
  category_en: string | null
  level: string
  status: string
  source: string
  lon: number
  lat: number
  village_id: number | null
  village: string | null
  grid_id: number | null
  grid: string | null
  reported_at: Date
  sla_deadline: Date | null
  closed_at: Date | null
}

// Never a personal column (reporter, phone, address, description): the wall and the public API do not get them.
const CASE_COLUMNS = `c.id, c.code, c.category_id, cc.name as category, cc.name_en as category_en, c.level, c.status, c.source, c.lon, c.lat,
  c.village_id, v.name as village, c.grid_id, g.name as grid, c.reported_at, c.sla_deadline, c.closed_at`
const CASE_FROM = `from cases c join case_categories cc on cc.id = c.category_id left join villages v on v.id = c.village_id left join grids g on g.id = c.grid_id`

function toPoint(row: CaseListRow): CasePoint {
  return {
    id: row.id,
    code: row.code,
    categoryId: row.category_id,
    category: row.category,
    categoryEn: row.category_en ?? row.category,
    level: row.level,
    status: row.status,
    source: row.source,
    lon: row.lon,
    lat: row.lat,
    villageId: row.village_id,
    village: row.village,
    gridId: row.grid_id,
    grid: row.grid,
    reportedAt: row.reported_at.toISOString(),
    slaDeadline: row.sla_deadline?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
  }
}

/** Case search (the whole history, from the database) and case detail, without personal data. */
export function casesApi(deps: AppDeps) {
  const { db } = deps
  // A search runs SQL over the whole history: limited per client (a screen asks now and then).
  const searches = new RateLimiter(120, 60_000)
  return new Hono<ApiEnv>()
    .get('/', validate('query', searchQuery), async (c) => {
      const client = c.get('principal').session?.account.username ?? c.get('principal').ip ?? 'unknown'
      if (!searches.take(client)) {
        c.header('Retry-After', String(searches.retryAfterSeconds(client)))
        return sendError(c, 429, 'rate_limited', 'too many searches in a minute; wait a moment')
      }
      const q = c.req.valid('query')
      const where: string[] = []
      const params: unknown[] = []
      const param = (value: unknown): string => {
        params.push(value)
        return `$${params.length}`
      }
      if (q.code)
        where.push(`c.code like ${param(`${q.code.replaceAll('_', '\\_')}%`)}`)
      if (q.village !== undefined)
        where.push(`c.village_id = ${param(q.village)}`)
      if (q.grid !== undefined)
        where.push(`c.grid_id = ${param(q.grid)}`)
      if (q.category !== undefined)
        where.push(`c.category_id in (with recursive tree(id) as (select ${param(q.category)}::int union all select cc2.id from case_categories cc2 join tree on cc2.parent_id = tree.id) select id from tree)`)
      if (q.status)
        where.push(`c.status = any(${param(q.status)}::text[])`)
      if (q.level)
        where.push(`c.level = ${param(q.level)}`)
      if (q.from)
        where.push(`c.reported_at >= ${param(q.from)}`)
      if (q.to)
        where.push(`c.reported_at <= ${param(q.to)}`)
      const filter = where.length > 0 ? `where ${where.join(' and ')}` : ''
      const total = await db.query<{ n: number }>(`select count(*) as n ${CASE_FROM} ${filter}`, params)
      const rows = await db.query<CaseListRow>(
        `select ${CASE_COLUMNS} ${CASE_FROM} ${filter} order by c.reported_at desc, c.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
        params,
      )
      return c.json<CasePage>({ total: Number(total.rows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize, cases: rows.rows.map(toPoint) })
    })
    .get('/:id', validate('param', z.object({ id: id('case') })), async (c) => {
      const { id: caseId } = c.req.valid('param')
      const detail = await loadCaseDetail(deps, caseId)
      if (!detail)
        return sendError(c, 404, 'not_found', `no case with id ${caseId}`)
      return c.json<CaseDetail>(detail)
    })
}

/** A case without personal data: its times, status history (roles, not people) and the nearest online cameras. */
export async function loadCaseDetail({ db, hub }: Pick<AppDeps, 'db' | 'hub'>, caseId: number): Promise<CaseDetail | null> {
  const found = await db.query<CaseListRow & { accepted_at: Date | null, dispatched_at: Date | null, resolved_level: string | null, rating: string | null }>(
    `select ${CASE_COLUMNS}, c.accepted_at, c.dispatched_at, c.resolved_level, c.rating ${CASE_FROM} where c.id = $1`,
    [caseId],
  )
  const row = found.rows[0]
  if (!row)
    return null
  const events = await db.query<{ from_status: string | null, to_status: string, at: Date, actor_role: string }>(
    'select from_status, to_status, at, actor_role from case_events where case_id = $1 order by at, id',
    [caseId],
  )
  const online = [...hub.engine.cameras.values()].filter(camera => camera.active && camera.status === 'online')
  return {
    ...toPoint(row),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    dispatchedAt: row.dispatched_at?.toISOString() ?? null,
    resolvedLevel: row.resolved_level,
    rating: row.rating,
    events: events.rows.map(e => ({ from: e.from_status, to: e.to_status, at: e.at.toISOString(), actorRole: e.actor_role })),
    nearestCameras: nearest(online, row.lon, row.lat, 5).map(({ item, meters }) => ({ ...cameraPoint(item), meters: Math.round(meters) })),
  }
}

/** A case as the wall sees it, from the database (for a case the live state no longer holds). */
export async function loadCasePoint({ db }: Pick<AppDeps, 'db'>, caseId: number): Promise<CasePoint | null> {
  const found = await db.query<CaseListRow>(`select ${CASE_COLUMNS} ${CASE_FROM} where c.id = $1`, [caseId])
  return found.rows[0] ? toPoint(found.rows[0]) : null
}
