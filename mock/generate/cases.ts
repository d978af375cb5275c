import type { LifecyclePlan } from '../calibration.ts'
import type { CaseStatus } from '../../server/src/domain/lifecycle.ts'
import type { Random } from '../random.ts'
import type { CaseEventRow, CaseRow } from '../rows.ts'
import type { Place } from './place.ts'
import type { CaseSeed } from './reports.ts'
import { localDateKey } from '../../server/src/domain/calendar.ts'
import { classOf } from '../../server/src/domain/categories.ts'
import { deadline } from '../../server/src/domain/sla.ts'
import { describeReport, planLifecycle, REWORK_NOTE } from '../calibration.ts'
import { round6 } from '../spatial.ts'

/** What a case looks like at `now`: its planned life cut there, its rating only once given. */
function caseRow(place: Place, seed: CaseSeed, plan: LifecyclePlan, ids: { id: number, code: string }, worker: { name: string, phone: string }, now: number, rng: Random): { row: CaseRow, kept: LifecyclePlan['steps'] } {
  const kept = plan.steps.filter(s => s.at <= now)
  const last = kept[kept.length - 1]!
  const timeOf = (to: CaseStatus): Date | null => {
    const s = kept.find(k => k.to === to)
    return s ? new Date(s.at) : null
  }
  const dispatchedAt = timeOf('dispatched')
  const rated = plan.rating !== null && plan.rating.at <= now && last.to === 'closed'
  const village = place.villages[place.gridVillage[seed.grid]!]!
  const text = describeReport(rng, { category: seed.category, cls: classOf(seed.category).code, villageName: village.name, source: seed.source, worker })
  const row: CaseRow = {
    id: ids.id,
    code: ids.code,
    category_id: seed.category.id,
    level: seed.level,
    source: seed.source,
    lat: round6(seed.point[1]),
    lon: round6(seed.point[0]),
    grid_id: place.grids[seed.grid]!.id,
    village_id: village.id,
    status: last.to,
    reported_at: new Date(seed.at),
    accepted_at: timeOf('accepted'),
    dispatched_at: dispatchedAt,
    closed_at: timeOf('closed') ?? timeOf('cancelled'),
    sla_deadline: dispatchedAt ? deadline(seed.level, dispatchedAt) : null,
    resolved_level: last.to === 'closed' ? plan.resolved : null,
    rating: rated ? plan.rating!.rating : null,
    rated_at: rated ? new Date(plan.rating!.at) : null,
    ...text,
    updated_at: new Date(Math.max(last.at, rated ? plan.rating!.at : 0)),
  }
  return { row, kept }
}

/**
 * `cases` and `case_events`: each seed's whole life planned, then cut at `now` (recent cases are still
 * open, a few overdue). Codes count per local day. Returns which alarm each IoT case came from.
 */
export function layOutCases(place: Place, seeds: CaseSeed[], workers: { name: string, phone: string }[], now: number, rng: Random): { cases: CaseRow[], events: CaseEventRow[], alarmCase: [number, number][] } {
  const cases: CaseRow[] = []
  const events: CaseEventRow[] = []
  const alarmCase: [number, number][] = []
  const dailySeq = new Map<string, number>()
  const townshipCode = place.geo.township.properties.code
  for (const seed of seeds) {
    const id = place.base + cases.length + 1
    const dateKey = localDateKey(new Date(seed.at))
    const seq = (dailySeq.get(dateKey) ?? 0) + 1
    dailySeq.set(dateKey, seq)
    const plan = planLifecycle(rng, seed)
    const code = `${townshipCode}-${dateKey.slice(2)}-${String(seq).padStart(4, '0')}`
    const { row, kept } = caseRow(place, seed, plan, { id, code }, workers[seed.grid]!, now, rng)
    cases.push(row)
    for (const s of kept) {
      events.push({
        id: place.base + events.length + 1,
        case_id: id,
        from_status: s.from,
        to_status: s.to,
        at: new Date(s.at),
        actor_role: s.actor,
        note: s.from === 'fed_back' && s.to === 'processing' ? REWORK_NOTE : null,
        updated_at: new Date(s.at),
      })
    }
    if (seed.alarm !== null)
      alarmCase.push([seed.alarm, id])
  }
  return { cases, events, alarmCase }
}
