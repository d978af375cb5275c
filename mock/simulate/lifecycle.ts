import type { LifecyclePlan, Step } from '../calibration.ts'
import type { CaseStatus } from '../../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { CaseSource } from '../rows.ts'
import type { SimContext } from './context.ts'
import { isLegalTransition, OPEN_STATUSES } from '../../server/src/domain/lifecycle.ts'
import { deadline } from '../../server/src/domain/sla.ts'
import { planLifecycle, REWORK_NOTE } from '../calibration.ts'
import { keyedRandom } from '../random.ts'
import { after } from './context.ts'

const MINUTE = 60_000
// The keyed stream a case's plan is drawn from: the same plan whenever the case is looked at again.
const PLAN_STREAM = 1

/** A case as the simulator moves it. */
export interface LiveCase { id: number, status: CaseStatus, level: CaseLevel, source: CaseSource, reported_at: Date, updated_at: Date }

/**
 * The case's planned life, drawn from its own keyed stream, as {@link planLifecycle} lays out the
 * generated year. Cases past `reported` are planned without cancellation (they can no longer be cancelled).
 */
export function planOf(c: Pick<LiveCase, 'id' | 'status' | 'level' | 'source' | 'reported_at'>): LifecyclePlan {
  return planLifecycle(keyedRandom(c.id, PLAN_STREAM), { at: new Date(c.reported_at).getTime(), level: c.level, source: c.source }, { cancellable: c.status === 'reported' })
}

/** The planned step that brought the case to its status, and the one that takes it on (the second round after a rework). */
function stepsAround(plan: LifecyclePlan, status: CaseStatus, reworked: boolean): { entered: Step, next: Step } | undefined {
  const entered = plan.steps.flatMap((s, i) => (s.to === status ? [i] : []))
  const i = entered[reworked && entered.length > 1 ? 1 : 0]
  if (i === undefined || i + 1 >= plan.steps.length)
    return undefined
  return { entered: plan.steps[i]!, next: plan.steps[i + 1]! }
}

/** Whether the case was already returned for rework once (it never is twice). */
async function wasReworked(ctx: SimContext, id: number): Promise<boolean> {
  const { rows } = await ctx.db.query<{ n: number }>(`select count(*)::int as n from case_events where case_id = $1 and from_status = 'fed_back' and to_status = 'processing'`, [id])
  return (rows[0]?.n ?? 0) > 0
}

/** Moves the case one planned step at `at`, unless another writer moved it first; true when it moved. */
async function move(ctx: SimContext, c: LiveCase, plan: LifecyclePlan, step: Step, at: Date): Promise<boolean> {
  const to = step.to
  if (!isLegalTransition(c.status, to))
    throw new Error(`simulator bug: ${c.status} → ${to}`)
  const sets: string[] = []
  const params: unknown[] = [c.id, c.status]
  if (to === 'accepted' || to === 'cancelled') {
    params.push(at)
    sets.push(to === 'cancelled' ? `closed_at = $3` : `accepted_at = $3`)
  }
  else if (to === 'dispatched') {
    params.push(at, deadline(c.level, at))
    sets.push('dispatched_at = $3', 'sla_deadline = $4')
  }
  else if (to === 'closed') {
    params.push(at, plan.resolved)
    sets.push('closed_at = $3', 'resolved_level = $4')
  }
  sets.push(`status = '${to}'`, `updated_at = $${params.length + 1}`)
  params.push(at)
  return ctx.db.transaction(async (tx) => {
    // Conditional on the status read, so that another writer's change is never overwritten.
    const updated = await tx.query(`update cases set ${sets.join(', ')} where id = $1 and status = $2`, params)
    if (updated.affectedRows === 0)
      return false
    await tx.query(
      `insert into case_events (case_id, from_status, to_status, at, actor_role, note, updated_at) values ($1, $2, $3, $4, $5, $6, $4)`,
      [c.id, c.status, to, at, step.actor, c.status === 'fed_back' && to === 'processing' ? REWORK_NOTE : null],
    )
    return true
  })
}

/**
 * Moves open cases whose next planned step is due: each waits in its status as long as its plan says
 * (divided by the time-lapse), at most 25 moves a round so that a long pause does not flood the wall.
 */
export async function advanceCases(ctx: SimContext): Promise<void> {
  const t = ctx.now()
  // Every open case is looked at (up to a county's worth): a case's due time is in its plan, not in
  // the row, and a window of the oldest would let long waits (processing a major case) starve the rest.
  const { rows } = await ctx.db.query<LiveCase>(
    `select id, status, level, source, reported_at, updated_at from cases
     where status = any($1) and updated_at < $2 order by updated_at, id limit 5000`,
    [OPEN_STATUSES, new Date(t.getTime() - 2 * MINUTE / ctx.speed)],
  )
  let moved = 0
  for (const row of rows) {
    if (moved >= 25 || ctx.stopping())
      break
    const c = { ...row, updated_at: new Date(row.updated_at) }
    const plan = planOf(c)
    const reworked = plan.rework && (c.status === 'processing' || c.status === 'fed_back') && await wasReworked(ctx, c.id)
    const around = stepsAround(plan, c.status, reworked)
    if (!around || c.updated_at.getTime() + (around.next.at - around.entered.at) / ctx.speed > t.getTime())
      continue
    if (await move(ctx, c, plan, around.next, after(t, c.updated_at))) {
      ctx.stats.transitions++
      moved++
    }
  }
}
