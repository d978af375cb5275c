import type { HeatBins, HistoryHours, HistorySnapshot, Topic } from '../wire/index.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { dayStart, localDay, localTime } from '../domain/calendar.ts'
import { mayJoin } from '../live/socket-auth.ts'
import { casesByHour } from '../metrics/as-of.ts'
import { HistoryReplays } from '../metrics/replay.ts'
import { heatBins, snapshotData } from '../metrics/views.ts'
import { HEAT_WINDOWS, TOPICS } from '../wire/index.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

const HOUR_MS = 3_600_000
/** The scrubber asks for at most this many hours at once (40 days: the whole retained history at once). */
const MAX_HOURS = 40 * 24
/** Topics with a past: the wall pushed to by an operator (`push`) is a live act, not history. */
const HISTORY_TOPICS = TOPICS.filter(topic => topic !== 'push')

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * An instant from ISO-8601: with its offset (`…Z`, `…+08:00`) as written; without one, a wall-clock
 * time in the configured time zone (what a township officer types: `2026-11-30T14:00`).
 */
export function parseInstant(value: string): number | null {
  const match = TIME.exec(value)
  if (!match)
    return null
  const [, y, m, d, hh, mm, ss = '0', frac = '0', offset] = match
  const [year, month, day, hour, minute, second] = [y, m, d, hh, mm, ss].map(Number) as [number, number, number, number, number, number]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return null
  const ms = Number(frac.padEnd(3, '0').slice(0, 3))
  if (offset !== undefined)
    return Date.parse(value)
  return localTime(year, month, day, hour, minute).getTime() + second * 1000 + ms
}

const instant = (name: string) => z.string().max(40).transform((value, ctx) => {
  const at = parseInstant(value)
  if (at === null || Number.isNaN(at)) {
    ctx.addIssue({ code: 'custom', message: `${name}: expected an ISO-8601 date-time, e.g. 2026-11-30T14:00:00+08:00` })
    return z.NEVER
  }
  return at
})

const topicList = z.string().max(200).optional().transform((value, ctx) => {
  if (!value)
    return undefined
  const topics = value.split(',').map(t => t.trim())
  const unknown = topics.filter(t => !(HISTORY_TOPICS as readonly string[]).includes(t))
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', message: `unknown topic ${JSON.stringify(unknown[0])}; expected some of ${HISTORY_TOPICS.join(', ')}` })
    return z.NEVER
  }
  return topics as Topic[]
})

const windowName = z.enum(Object.keys(HEAT_WINDOWS) as ['today', '7d', '30d'], { error: 'expected today, 7d or 30d' })
const heatWindow = windowName.default('today')
const categoryId = z.string().regex(/^\d{1,9}$/, 'expected a category id').transform(Number).optional()

/**
 * The time machine (`/api/history`): the wall's views as of a past moment, computed from the contract's
 * case history (never from the live state, so replaying screens disturb neither it nor each other), and
 * the hours' case counts for the scrubber.
 */
export function historyApi({ db, hub, config }: AppDeps) {
  /** The earliest moment that may be asked for: the start of the live engine's retained days. */
  const earliest = (now: number): number => dayStart(localDay(now) - hub.engine.retentionDays + 1)
  // Engines of the past, moved forward as replays advance (never the live one).
  const replays = new HistoryReplays(db, () => {
    const live = hub.engine
    return { retentionDays: live.retentionDays, heatCellDeg: live.heatCellDeg, specialMinCount: live.specialMinCount, feedSize: live.latest.size }
  })
  /** Why a moment cannot be shown (in the future, before the retained history), or null. */
  const refused = (at: number): string | null => {
    const now = Date.now()
    if (at > now)
      return `invalid query parameter at: ${new Date(at).toISOString()} is in the future`
    if (at < earliest(now))
      return `invalid query parameter at: before the retained history (${hub.engine.retentionDays} days, from ${new Date(earliest(now)).toISOString()})`
    return null
  }
  return new Hono<ApiEnv>()
    .get('/snapshot', validate('query', z.object({ at: instant('at'), topics: topicList, heatWindow: windowName.optional(), heatCategory: categoryId })), async (c) => {
      const { at, topics: requested, heatWindow: window, heatCategory } = c.req.valid('query')
      const reason = refused(at)
      if (reason)
        return sendError(c, 400, 'bad_request', reason)
      const first = earliest(Date.now())
      const session = c.get('principal').session
      const who = { sessionId: session?.id ?? null, role: session?.account.role ?? null }
      const wanted = requested ?? HISTORY_TOPICS
      const allowed = wanted.filter(topic => mayJoin(who, topic, config.wallAccess))
      if (requested && allowed.length < requested.length)
        return sendError(c, 403, 'forbidden', `not allowed to see ${requested.filter(t => !allowed.includes(t)).join(', ')}`)
      if (heatCategory !== undefined && !hub.engine.categories.has(heatCategory))
        return sendError(c, 400, 'bad_request', `invalid query parameter heatCategory: no category with id ${heatCategory}`)
      // The map's heat of one category comes with the moment when asked (the same engine, the same T).
      const { data, categoryHeat } = await replays.withEngineAt(at, engine => ({
        data: snapshotData(engine, allowed),
        categoryHeat: heatCategory !== undefined && allowed.includes('heat') ? heatBins(engine, window ?? '7d', heatCategory) : undefined,
      }))
      return c.json<HistorySnapshot>({
        at: new Date(at).toISOString(),
        camerasAsOfNow: true,
        registryAsOfNow: true,
        earliest: new Date(first).toISOString(),
        data,
        ...(categoryHeat ? { categoryHeat } : {}),
      })
    })
    // The map's heat of one category as of T (all categories come with the snapshot's heat cells; a
    // replay asks for it with each moment, `heatCategory`): when the category is chosen in the past.
    .get('/heat', validate('query', z.object({ at: instant('at'), window: heatWindow, category: categoryId })), async (c) => {
      const { at, window, category } = c.req.valid('query')
      const reason = refused(at)
      if (reason)
        return sendError(c, 400, 'bad_request', reason)
      if (category !== undefined && !hub.engine.categories.has(category))
        return sendError(c, 400, 'bad_request', `invalid query parameter category: no category with id ${category}`)
      return c.json<HeatBins>(await replays.withEngineAt(at, engine => heatBins(engine, window, category ?? null)))
    })
    .get('/hours', validate('query', z.object({ from: instant('from'), to: instant('to') })), async (c) => {
      const { from, to } = c.req.valid('query')
      if (to <= from)
        return sendError(c, 400, 'bad_request', 'invalid query parameter to: must be after from')
      if (to - from > MAX_HOURS * HOUR_MS)
        return sendError(c, 400, 'bad_request', `invalid query parameter to: at most ${MAX_HOURS} hours after from`)
      const hours = await casesByHour(db, from, to)
      return c.json<HistoryHours>({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        hours: hours.map(h => ({ hour: new Date(h.hour).toISOString(), count: h.count })),
      })
    })
}
