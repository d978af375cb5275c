import type { ApiEnv, AppDeps } from './deps.ts'
import type { HeatBins, LiveStatus, Overview, Provenance, SlaView, Snapshot, Topic, Trends } from '../wire/index.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import { HEAT_WINDOWS, TOPICS } from '../wire/index.ts'
import { mayJoin } from '../live/socket-auth.ts'
import { heatBins, overview, sla, trends } from '../metrics/views.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

const topicList = z.string().max(200).optional().transform((value, ctx) => {
  if (!value)
    return [...TOPICS]
  const topics = value.split(',').map(t => t.trim())
  const unknown = topics.filter(t => !(TOPICS as readonly string[]).includes(t))
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', message: `unknown topic ${JSON.stringify(unknown[0])}; expected some of ${TOPICS.join(', ')}` })
    return z.NEVER
  }
  return topics as Topic[]
})

const heatQuery = z.object({
  window: z.enum(Object.keys(HEAT_WINDOWS) as ['today', '7d', '30d'], { error: 'expected today, 7d or 30d' }).default('today'),
  category: z.string().regex(/^\d{1,9}$/, 'expected a category id').transform(Number).optional(),
})

/** Views served from memory: the versioned snapshot, overview, trends, SLA and the live status. */
export function liveApi({ hub, config }: AppDeps) {
  return new Hono<ApiEnv>()
    .get('/snapshot', validate('query', z.object({ topics: z.string().max(200).optional() })), (c) => {
      // The topics the caller may see: the wall's for a display or an open wall, the console's too for its roles.
      const session = c.get('principal').session
      const data = { sessionId: session?.id ?? null, role: session?.account.role ?? null }
      const requested = c.req.valid('query').topics
      const parsed = topicList.safeParse(requested)
      if (!parsed.success)
        return sendError(c, 400, 'bad_request', `invalid query parameter topics: ${parsed.error.issues[0]?.message}`)
      const allowed = parsed.data.filter(topic => mayJoin(data, topic, config.wallAccess))
      if (requested && allowed.length < parsed.data.length)
        return sendError(c, 403, 'forbidden', `not allowed to see ${parsed.data.filter(t => !allowed.includes(t)).join(', ')}`)
      return c.json<Snapshot>(hub.snapshot(allowed))
    })
    .get('/overview', c => c.json<Overview>(overview(hub.engine)))
    .get('/trends', c => c.json<Trends>(trends(hub.engine)))
    .get('/sla', c => c.json<SlaView>(sla(hub.engine)))
    .get('/status', c => c.json<LiveStatus>(hub.liveStatus()))
    // Where the figures come from (an inspector's "is this real?"): tables, rows, last changes, lag.
    .get('/provenance', c => c.json<Provenance>(hub.provenance()))
}

/** `/api/heat`: heat bins over a window, for all categories or one (from memory). */
export function heatApi({ hub }: AppDeps) {
  return new Hono()
    .get('/', validate('query', heatQuery), (c) => {
      const { window, category } = c.req.valid('query')
      if (category !== undefined && !hub.engine.categories.has(category))
        return sendError(c, 400, 'bad_request', `invalid query parameter category: no category with id ${category}`)
      return c.json<HeatBins>(heatBins(hub.engine, window, category ?? null))
    })
}
