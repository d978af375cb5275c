import type { Context } from 'hono'
import type { Role } from '../auth/roles.ts'
import type { ActorRole, CaseStatus } from '../domain/lifecycle.ts'
import type { CaseLevel } from '../domain/sla.ts'
import type { ApiEnv, AppDeps } from './deps.ts'
import { isCaseStatus, isLegalTransition, STATUS_LABELS } from '../domain/lifecycle.ts'
import { deadline, isCaseLevel } from '../domain/sla.ts'
import { dispatchNote } from './console-detail.ts'
import { sendError } from './errors.ts'

export interface ActionRequest {
  to: CaseStatus
  workerId?: number
  note?: string
  resolvedLevel?: 'grid' | 'village' | 'township' | 'county'
}

/**
 * The contract's `case_events.actor_role` for a move made by an account of each role (the contract
 * names who acted in the township's terms, not the product's roles): a dispatcher as 指挥调度员; an
 * administrator or a leader for the township's command centre (乡镇综合指挥室); an inspector for the
 * county above; a wall device as a system. Only roles holding `case:act` move cases today; the others
 * are mapped so that granting it needs no change here.
 */
export const ACTOR_ROLE_OF: Readonly<Record<Role, ActorRole>> = {
  admin: 'township',
  leader: 'township',
  dispatcher: 'dispatcher',
  inspector: 'county',
  display: 'system',
}

/** A move refused for a reason the operator can act on (HTTP 409, nothing written). */
class Refused extends Error {}

interface CaseState {
  status: string
  level: string
  grid_id: number | null
}

/** The columns a move sets besides the status: the lifecycle's times, the SLA clock at dispatch. */
function columnsFor(to: CaseStatus, level: CaseLevel, now: Date, request: ActionRequest): Record<string, unknown> {
  switch (to) {
    case 'accepted': return { accepted_at: now }
    case 'dispatched': return { dispatched_at: now, sla_deadline: deadline(level, now) }
    case 'closed': return { closed_at: now, resolved_level: request.resolvedLevel ?? 'village' }
    default: return {}
  }
}

/**
 * One lifecycle move by a person allowed to (a dispatcher, an administrator), written back to the
 * contract in one transaction — the case row (status, times, `updated_at`) and its `case_events` row,
 * with the mover's role in the contract's terms — so every screen sees it through the normal change
 * capture. Only the lifecycle's legal moves; a refused one changes nothing. Audited.
 */
export async function caseAction(c: Context<ApiEnv>, deps: AppDeps, caseId: number, request: ActionRequest, who: { username: string, role: Role, ip: string | null }) {
  const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) => deps.auth.record({ actor: who.username, role: who.role, ip: who.ip, action: 'case.action', target: `case:${caseId}`, outcome, details: { to: request.to, ...details } })
  if (!deps.config.caseWriteback) {
    await audit('failure', { reason: 'writeback off' })
    return sendError(c, 403, 'forbidden', 'this deployment reads the township\'s database only (CASE_WRITEBACK is off): move cases in the township\'s own system')
  }
  try {
    const from = await deps.db.transaction(async (tx) => {
      const found = await tx.query<CaseState>('select status, level, grid_id from cases where id = $1 for update', [caseId])
      const current = found.rows[0]
      if (!current)
        throw new Refused(`no case with id ${caseId}`)
      if (!isCaseStatus(current.status) || !isLegalTransition(current.status, request.to))
        throw new Refused(`a case in ${STATUS_LABELS[current.status as CaseStatus]?.zh ?? current.status} (${current.status}) cannot move to ${STATUS_LABELS[request.to].zh} (${request.to})`)
      if (request.workerId !== undefined) {
        const worker = await tx.query('select 1 from grid_workers where id = $1 and active', [request.workerId])
        if (worker.rows.length === 0)
          throw new Refused(`no active grid worker with id ${request.workerId}`)
      }
      const now = new Date()
      const columns = { status: request.to, ...columnsFor(request.to, isCaseLevel(current.level) ? current.level : 'general', now, request), updated_at: now }
      const names = Object.keys(columns)
      await tx.query(`update cases set ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')} where id = $1`, [caseId, ...Object.values(columns)])
      const note = [request.workerId !== undefined ? dispatchNote(request.workerId) : null, request.note ?? null].filter(Boolean).join('；') || null
      await tx.query(
        `insert into case_events (case_id, from_status, to_status, at, actor_role, note, updated_at) values ($1, $2, $3, $4, $5, $6, $4)`,
        [caseId, current.status, request.to, now, ACTOR_ROLE_OF[who.role], note],
      )
      return current.status
    })
    await audit('success', { from, workerId: request.workerId ?? null })
    return c.json({ caseId, from, to: request.to })
  }
  catch (error) {
    if (!(error instanceof Refused))
      throw error
    await audit('failure', { reason: error.message })
    return sendError(c, error.message.startsWith('no case') ? 404 : 409, error.message.startsWith('no case') ? 'not_found' : 'conflict', error.message)
  }
}
