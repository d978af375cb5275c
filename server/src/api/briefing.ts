import type { Briefing } from '../wire/index.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { calendarDay, dayLabel, localDay } from '../domain/calendar.ts'
import { computeBriefing } from '../metrics/briefing.ts'
import { BRIEFING_MAX_DAYS } from '../wire/index.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

/** A local date `YYYY-MM-DD` as its local day number (days since 1970-01-01), or null when it is no date (or before 1970). */
export function dayOf(value: string): number | null {
  const day = calendarDay(value)
  return day === null || day < 0 ? null : day
}

const date = z.string({ error: 'expected a date, e.g. 2026-11-24' }).max(10, 'expected a date YYYY-MM-DD').transform((value, ctx) => {
  const day = dayOf(value)
  if (day === null) {
    ctx.addIssue({ code: 'custom', message: `expected a date YYYY-MM-DD, e.g. 2026-11-24 (got ${JSON.stringify(value)})` })
    return z.NEVER
  }
  return day
})

/**
 * `/api/briefing?from=YYYY-MM-DD&to=YYYY-MM-DD`: the printable briefing of whole local days (the
 * configured time zone) against as many days before, computed from the contract on each request.
 * No personal field: cases by code, category, village and grid only.
 */
export function briefingApi({ db }: AppDeps) {
  return new Hono<ApiEnv>()
    .get('/', validate('query', z.object({ from: date, to: date })), async (c) => {
      const { from, to } = c.req.valid('query')
      const now = Date.now()
      const today = localDay(now)
      if (from > to)
        return sendError(c, 400, 'bad_request', `invalid query parameter from: ${dayLabel(from)} is after to (${dayLabel(to)})`)
      if (to > today)
        return sendError(c, 400, 'bad_request', `invalid query parameter to: ${dayLabel(to)} is in the future (today is ${dayLabel(today)})`)
      if (to - from + 1 > BRIEFING_MAX_DAYS)
        return sendError(c, 400, 'bad_request', `invalid query parameter from: the period is ${to - from + 1} days; at most ${BRIEFING_MAX_DAYS}`)
      return c.json<Briefing>(await computeBriefing(db, from, to, now))
    })
}
