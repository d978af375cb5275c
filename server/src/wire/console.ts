import type { CaseDetail } from './api.ts'
import type { CasePoint } from './views.ts'

/**
 * What the dispatch console receives beyond the wall's views. Personal fields arrive masked
 * (张*, 138****1234, the village instead of an address); a role holding `personal:reveal` asks for one
 * in clear through `POST /api/reveal`, which is audited.
 */

/** Where an open case stands against its SLA clock, as the console filters it. */
export type QueueSla = 'not_started' | 'on_time' | 'due_2h' | 'overdue'

/** An open case in the incident queue. */
export interface QueueCase extends CasePoint {
  /** `not_started` before dispatch (no clock yet); `due_2h` when less than two hours are left. */
  sla: QueueSla
  /** Milliseconds to the SLA deadline (negative: overdue), or null before dispatch. */
  slaLeftMs: number | null
}

/** `GET /api/console/queue` and the `queue` topic's snapshot: every open case, most urgent first. */
export interface QueueView {
  asOf: string
  cases: QueueCase[]
}

/** A person as the console shows them: masked unless revealed (`kind` and `id` name the record to reveal). */
export interface PersonView {
  kind: 'grid_worker'
  id: number
  role: string
  /** 张* (masked). */
  name: string | null
  /** 138****1234 (masked). */
  phone: string | null
  dutyStatus: string
  lastCheckinAt: string | null
  gridId: number | null
  grid: string | null
}

/** An on-duty worker near a case: by the last check-in's place and time. */
export interface NearPerson extends PersonView {
  meters: number
  /** Minutes since that check-in. */
  checkinMinutes: number
}

/** `GET /api/console/cases/:id`: the case for dispatch, personal fields masked. */
export interface ConsoleCaseDetail extends CaseDetail {
  sla: QueueSla | 'met' | 'missed'
  slaLeftMs: number | null
  reporter: { name: string | null, phone: string | null }
  /** The address reduced to its village. */
  address: string | null
  description: string | null
  /** The grid's own staff (网格员, 网格长). */
  responsible: PersonView[]
  /** The on-duty workers nearest to the case by their last check-in (up to 5). */
  nearestOnDuty: NearPerson[]
  /** Whom the console dispatched the case to (its last 派遣, when made here), masked like the others. */
  dispatchedTo: PersonView | null
  /** The village's 网格长 (grid leaders): whom to call in the village. */
  villageContacts: PersonView[]
  /** The lifecycle moves a dispatcher may make now (empty when writing back is off). */
  actions: string[]
  /** Why the actions are off, when they are. */
  actionsDisabled: string | null
}

/** A case on the wall: sent from the console (投屏), until released or the map returns home. */
export interface WallPush {
  id: number
  caseId: number
  case: CasePoint
  /** The wall it is meant for (a display's name), or null for every wall. */
  wall: string | null
  by: string
  at: string
}

/** The `push` topic's data: the case on the wall now, or none. */
export interface WallPushState {
  push: WallPush | null
}
