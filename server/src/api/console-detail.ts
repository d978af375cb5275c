import type { ConsoleCaseDetail, NearPerson, PersonView } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { maskAddress, maskName, maskPhone } from '../auth/masking.ts'
import { LEGAL_TRANSITIONS, isCaseStatus } from '../domain/lifecycle.ts'
import { distanceMeters } from '../geo/distance.ts'
import { queueSla } from '../metrics/queue.ts'
import { loadCaseDetail } from './cases.ts'

interface WorkerRecord {
  id: number
  grid_id: number | null
  role: string
  name: string | null
  phone: string | null
  duty_status: string
  last_checkin_at: Date | null
  last_checkin_lat: number | null
  last_checkin_lon: number | null
}

/** The note a 派遣 made by the console writes into `case_events` (the contract has no assignee column). */
export const dispatchNote = (workerId: number): string => `派遣至网格员#${workerId}`
const DISPATCH_NOTE = /派遣至网格员#(\d+)/

/** How many on-duty workers near a case the console lists. */
const NEAR_COUNT = 5

function person(deps: Pick<AppDeps, 'hub'>, w: WorkerRecord): PersonView {
  const grid = w.grid_id === null ? undefined : deps.hub.engine.grids.get(w.grid_id)
  return {
    kind: 'grid_worker',
    id: Number(w.id),
    role: w.role,
    name: maskName(w.name),
    phone: maskPhone(w.phone),
    dutyStatus: w.duty_status,
    lastCheckinAt: w.last_checkin_at?.toISOString() ?? null,
    gridId: w.grid_id,
    grid: grid?.name ?? null,
  }
}

/** The moves a dispatcher may make from a status (empty when the deployment is read-only). */
export function movesFrom(status: string, writeback: boolean): string[] {
  return writeback && isCaseStatus(status) ? [...LEGAL_TRANSITIONS[status]] : []
}

/**
 * A case for the dispatch console: the wall's detail plus the reporter (masked), the address reduced
 * to its village, the grid's own staff, the on-duty workers nearest to the case by their last
 * check-in, the village's grid leaders, and the lifecycle moves allowed now.
 */
export async function caseDetail(deps: Pick<AppDeps, 'db' | 'hub' | 'config'>, caseId: number): Promise<ConsoleCaseDetail | null> {
  const base = await loadCaseDetail(deps, caseId)
  if (!base)
    return null
  const personal = await deps.db.query<{ reporter_name: string | null, reporter_phone: string | null, address: string | null, description: string | null }>(
    'select reporter_name, reporter_phone, address, description from cases where id = $1',
    [caseId],
  )
  const workers = (await deps.db.query<WorkerRecord>(
    'select id, grid_id, role, name, phone, duty_status, last_checkin_at, last_checkin_lat, last_checkin_lon from grid_workers where active',
  )).rows
  const villageGrids = new Set([...deps.hub.engine.grids.values()].filter(g => g.village_id === base.villageId).map(g => g.id))
  const now = Date.now()
  const near: NearPerson[] = workers
    .filter(w => w.duty_status === 'on_duty' && w.last_checkin_lat !== null && w.last_checkin_lon !== null && w.last_checkin_at !== null)
    .map(w => ({ ...person(deps, w), meters: Math.round(distanceMeters(base.lon, base.lat, w.last_checkin_lon!, w.last_checkin_lat!)), checkinMinutes: Math.round((now - w.last_checkin_at!.getTime()) / 60_000) }))
    .sort((a, b) => a.meters - b.meters || a.id - b.id)
    .slice(0, NEAR_COUNT)
  const dispatch = await deps.db.query<{ note: string | null }>(`select note from case_events where case_id = $1 and to_status = 'dispatched' order by at desc, id desc limit 1`, [caseId])
  const assignee = Number(DISPATCH_NOTE.exec(dispatch.rows[0]?.note ?? '')?.[1] ?? Number.NaN)
  const dispatchedTo = workers.find(w => Number(w.id) === assignee)
  const p = personal.rows[0]!
  const deadline = base.slaDeadline === null ? null : Date.parse(base.slaDeadline)
  const closed = base.closedAt === null ? null : Date.parse(base.closedAt)
  const clock = closed !== null && deadline !== null ? { sla: closed <= deadline ? 'met' as const : 'missed' as const, slaLeftMs: null } : queueSla(deadline, now)
  const writeback = deps.config.caseWriteback
  return {
    ...base,
    ...clock,
    reporter: { name: maskName(p.reporter_name), phone: maskPhone(p.reporter_phone) },
    address: maskAddress(p.address, base.village),
    // Free text written by a resident may name people: revealed like the other personal fields.
    description: null,
    responsible: workers.filter(w => base.gridId !== null && w.grid_id === base.gridId).sort((a, b) => a.role.localeCompare(b.role) || a.id - b.id).map(w => person(deps, w)),
    nearestOnDuty: near,
    dispatchedTo: dispatchedTo ? person(deps, dispatchedTo) : null,
    villageContacts: workers.filter(w => w.role === 'grid_leader' && w.grid_id !== null && villageGrids.has(w.grid_id)).map(w => person(deps, w)),
    actions: movesFrom(base.status, writeback),
    actionsDisabled: writeback ? null : 'this deployment reads the township\'s database only (CASE_WRITEBACK is off): move cases in the township\'s own system',
  }
}
