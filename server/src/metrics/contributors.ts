import type { AlarmRow, BranchRow, CameraRow, GridPopulationRow, MemberRow, RowsByTable, SpecialPopulationRow, WorkerRow } from '../contract/rows.ts'
import type { Dirty } from './dirty.ts'
import type { EngineState as MetricsEngine, RegistryTable } from './state.ts'

export type { RegistryTable } from './state.ts'

/** Adds (`sign` 1) or takes back (−1) one row's contribution, and marks the topics it alters. */
export type Contributor<T extends RegistryTable> = (engine: MetricsEngine, row: RowsByTable[T], sign: 1 | -1, dirty: Dirty) => void

const OPEN_ALARM: ReadonlySet<string> = new Set(['active', 'acknowledged'])

/** Names used by the rankings and trends (villages, grids, categories) hold no counters of their own. */
function names(_engine: MetricsEngine, _row: unknown, _sign: 1 | -1, dirty: Dirty): void {
  dirty.topics.add('rankings').add('trends')
}

/** Townships are only drawn (their boundaries come from the database when a screen asks). */
function township(): void {}

function camera(engine: MetricsEngine, row: CameraRow, sign: 1 | -1, dirty: Dirty): void {
  if (!row.active)
    return
  engine.cameraStatus.add(row.status, sign)
  if (row.village_id !== null) {
    engine.cameraVillageTotal.add(row.village_id, sign)
    // 在线率 counts every camera that answers: one raising an alarm is online too.
    if (row.status !== 'offline')
      engine.cameraVillageOnline.add(row.village_id, sign)
  }
  dirty.topics.add('overview').add('rankings').add('cameras')
}

function worker(engine: MetricsEngine, row: WorkerRow, sign: 1 | -1, dirty: Dirty): void {
  if (row.active)
    engine.workerDuty.add(row.duty_status, sign)
  dirty.topics.add('overview')
}

function population(engine: MetricsEngine, row: GridPopulationRow, sign: 1 | -1, dirty: Dirty): void {
  engine.populationTotals.add('households', sign * row.households)
  engine.populationTotals.add('residents', sign * row.residents)
  engine.populationTotals.add('non_local_residents', sign * row.non_local_residents)
  dirty.topics.add('overview')
}

function special(engine: MetricsEngine, row: SpecialPopulationRow, sign: 1 | -1, dirty: Dirty): void {
  engine.specialByKind.add(row.kind, sign * row.count)
  engine.specialByGrid.add(`${row.grid_id}:${row.kind}`, sign * row.count)
  // Township totals (overview) and each grid's counts (rankings: the map's layer and grid cards).
  dirty.topics.add('overview').add('rankings')
}

function branch(engine: MetricsEngine, row: BranchRow, sign: 1 | -1, dirty: Dirty): void {
  if (row.active && row.stars !== null)
    engine.branchStars.add(row.stars, sign)
  dirty.topics.add('overview')
}

function member(engine: MetricsEngine, row: MemberRow, sign: 1 | -1, dirty: Dirty): void {
  if (!row.active)
    return
  engine.memberTotals.add('members', sign)
  engine.memberTotals.add('points', sign * row.points)
  engine.memberTotals.add('paired', sign * (row.paired_households ?? 0))
  if (row.status === 'probationary')
    engine.memberTotals.add('probationary', sign)
  engine.memberStars.add(row.stars, sign)
  engine.branchMembers.add(row.branch_id, sign)
  engine.branchPoints.add(row.branch_id, sign * row.points)
  dirty.topics.add('overview')
}

function alarm(engine: MetricsEngine, row: AlarmRow, sign: 1 | -1, dirty: Dirty): void {
  if (OPEN_ALARM.has(row.status))
    engine.alarmsOpenByKind.add(row.kind, sign)
  dirty.topics.add('overview').add('alarms')
}

/** Each registry table's contributor, typed by its row (cases: `cases.ts`). */
export const CONTRIBUTORS: { [T in RegistryTable]: Contributor<T> } = {
  townships: township,
  villages: names,
  grids: names,
  case_categories: names,
  cameras: camera,
  grid_workers: worker,
  grid_population: population,
  grid_special_population: special,
  party_branches: branch,
  party_members: member,
  iot_alarms: alarm,
}
