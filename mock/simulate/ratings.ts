import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { CaseSource } from '../rows.ts'
import type { SimContext } from './context.ts'
import { CALIBRATION, ratingOf } from '../calibration.ts'
import { after } from './context.ts'
import { planOf } from './lifecycle.ts'

const HOUR = 3_600_000
const RATED_SOURCES = (Object.keys(CALIBRATION.ratedShare) as CaseSource[]).filter(source => CALIBRATION.ratedShare[source] > 0)

/**
 * Residents rate closed cases as each case's plan says (whether, and how long after closing), the
 * rating worse when the case really closed after its deadline. Cases closed over three days ago are
 * left unrated.
 */
export async function rateCases(ctx: SimContext): Promise<void> {
  const t = ctx.now()
  const { rows } = await ctx.db.query<{ id: number, level: CaseLevel, source: CaseSource, reported_at: Date, closed_at: Date, sla_deadline: Date | null }>(
    `select id, level, source, reported_at, closed_at, sla_deadline from cases
     where status = 'closed' and rating is null and source = any($1) and closed_at > $2
     order by closed_at, id limit 200`,
    [RATED_SOURCES, new Date(t.getTime() - 72 * HOUR)],
  )
  for (const c of rows) {
    if (ctx.stopping())
      break
    const plan = planOf({ ...c, status: 'closed' })
    const closed = plan.steps.find(s => s.to === 'closed')
    const closedAt = new Date(c.closed_at)
    if (!plan.rating || !closed || closedAt.getTime() + (plan.rating.at - closed.at) / ctx.speed > t.getTime())
      continue
    const overdue = c.sla_deadline !== null && closedAt > new Date(c.sla_deadline)
    const ratedAt = after(t, closedAt)
    const updated = await ctx.db.query(`update cases set rating = $2, rated_at = $3, updated_at = $3 where id = $1 and rating is null`, [c.id, ratingOf(plan.rating.draw, overdue), ratedAt])
    ctx.stats.ratings += updated.affectedRows ?? 0
  }
}
