import type { AlarmPoint, CameraPoint, CasePoint, GridSpecialPopulation, HeatBins, HeatCells, HeatCellUpdate, HeatWindow, Overview, Rankings, Ratio, SlaView, SnapshotData, Topic, TopicData, Trends } from '../wire/index.ts'
import type { Dirty, MetricsEngine } from './engine.ts'
import type { AlarmRow, CaseRow } from '../contract/rows.ts'
import { dayLabel, dayStart } from '../domain/calendar.ts'
import { suppressCount, totalGivesAwayGrids } from '../domain/special-population.ts'
import { HEAT_WINDOWS, TOPICS } from '../wire/index.ts'
import { cameraPoint, casePoint } from './points.ts'
import { queueChanges, queueView } from './queue.ts'
import { histogramMedian, RESPONSE_BIN_EDGES } from './counters.ts'
import { LEVELS } from './engine.ts'

/**
 * What the screens receive: plain JSON views of the engine's state. No personal data: no names,
 * phones or addresses of anyone (the wall path carries aggregates, case points and device states).
 * Windows: "today" is the local (UTC+8) calendar day; "30 days" is today and the 29 days before it.
 */

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator > 0 ? numerator / denominator : null }
}

function sumRange(engine: MetricsEngine, counter: { sum: (from: number, to: number) => Map<string, number> }, days: number, prefix: string): number {
  let total = 0
  for (const [key, value] of counter.sum(engine.today - days + 1, engine.today)) {
    if (key.startsWith(prefix))
      total += value
  }
  return total
}

export function overview(engine: MetricsEngine): Overview {
  let todayNew = 0
  for (const value of engine.reportedHours.days.get(engine.today)?.map.values() ?? [])
    todayNew += value
  const closed = engine.closedStats
  const rated = engine.ratedStats.sum(engine.today - 29, engine.today)
  const cameraTotal = engine.cameraStatus.total()
  const members = engine.memberTotals.get('members')
  let branches = 0
  for (const branch of engine.branches.values()) {
    if (branch.active)
      branches++
  }
  return {
    asOf: new Date(engine.now).toISOString(),
    todayNew,
    open: engine.openByLevel.total(),
    overdue: engine.overdueByLevel.total(),
    closedWithinSla: ratio(sumRange(engine, closed, 30, 'withinSla:'), sumRange(engine, closed, 30, 'withDeadline:')),
    settledAtVillage: ratio(sumRange(engine, closed, 30, 'villageLevel:'), sumRange(engine, closed, 30, 'resolved:')),
    satisfaction: ratio(rated.get('satisfied') ?? 0, rated.get('rated') ?? 0),
    cameras: { online: engine.cameraStatus.get('online'), offline: engine.cameraStatus.get('offline'), alarm: engine.cameraStatus.get('alarm'), total: cameraTotal },
    workersOnDuty: engine.workerDuty.get('on_duty'),
    households: engine.populationTotals.get('households'),
    residents: engine.populationTotals.get('residents'),
    nonLocalResidents: engine.populationTotals.get('non_local_residents'),
    ...specialPopulationTotals(engine),
    specialPopulationMinCount: engine.specialMinCount,
    party: {
      members,
      probationary: engine.memberTotals.get('probationary'),
      averagePoints: members > 0 ? engine.memberTotals.get('points') / members : null,
      pairedHouseholds: engine.memberTotals.get('paired'),
      branches,
      branchStars: Object.fromEntries([...engine.branchStars.map].sort((a, b) => a[0] - b[0]).map(([stars, n]) => [String(stars), n])),
    },
    alarms: { open: engine.alarmsOpenByKind.total(), byKind: Object.fromEntries([...engine.alarmsOpenByKind.map].sort()) },
  }
}

/** The top-level class of a category (the tree may be deeper than two levels). */
export function categoryClass(engine: MetricsEngine, id: number): number {
  let current = id
  for (let guard = 0; guard < 16; guard++) {
    const parent = engine.categories.get(current)?.parent_id
    if (parent === null || parent === undefined)
      return current
    current = parent
  }
  return current
}

export function trends(engine: MetricsEngine): Trends {
  const today = engine.reportedHours.days.get(engine.today)
  const yesterday = engine.reportedHours.days.get(engine.today - 1)
  const currentHour = Math.floor((engine.now - dayStart(engine.today)) / 3_600_000)
  const hourly = {
    today: Array.from({ length: 24 }, (_, h) => (h <= currentHour ? today?.get(h) ?? 0 : null)),
    yesterday: Array.from({ length: 24 }, (_, h) => yesterday?.get(h) ?? 0),
  }
  const daily = Array.from({ length: 30 }, (_, i) => {
    const day = engine.today - 29 + i
    return { date: dayLabel(day), count: engine.reportedHours.days.get(day)?.total() ?? 0 }
  })
  const byClass = new Map<number, { today: number, last30Days: number }>()
  for (const [day, counter] of engine.reportedCategories.days) {
    if (day < engine.today - 29)
      continue
    for (const [category, count] of counter.map) {
      const cls = categoryClass(engine, category)
      const entry = byClass.get(cls) ?? { today: 0, last30Days: 0 }
      entry.last30Days += count
      if (day === engine.today)
        entry.today += count
      byClass.set(cls, entry)
    }
  }
  const categories = [...byClass].map(([id, counts]) => {
    const row = engine.categories.get(id)
    return { id, code: row?.code ?? String(id), name: row?.name ?? String(id), nameEn: row?.name_en ?? row?.name ?? String(id), ...counts }
  }).sort((a, b) => b.last30Days - a.last30Days || a.id - b.id)
  return { asOf: new Date(engine.now).toISOString(), hourly, daily, categories }
}

function unitMedian(engine: MetricsEngine, counter: MetricsEngine['responseVillages'], id: number): number | null {
  const bins = RESPONSE_BIN_EDGES.length + 1
  const histogram = Array.from<number>({ length: bins }).fill(0)
  for (const [day, dayCounter] of counter.days) {
    if (day < engine.today - 29)
      continue
    for (let bin = 0; bin < bins; bin++)
      histogram[bin]! += dayCounter.get(id * bins + bin)
  }
  const median = histogramMedian(histogram)
  return median === null ? null : Math.round(median)
}

export function rankings(engine: MetricsEngine): Rankings {
  const from = engine.today - 29
  const villageCases = engine.reportedVillages.sum(from, engine.today)
  const gridCases = engine.reportedGrids.sum(from, engine.today)
  const villages = [...engine.villages.values()].filter(v => v.active).map(v => ({
    id: v.id,
    code: v.code,
    name: v.name,
    last30Days: villageCases.get(v.id) ?? 0,
    today: engine.reportedVillages.get(engine.today, v.id),
    open: engine.openByVillage.get(v.id),
    overdue: engine.overdueByVillage.get(v.id),
    medianResponseMinutes: unitMedian(engine, engine.responseVillages, v.id),
    camerasOnline: engine.cameraVillageOnline.get(v.id),
    camerasTotal: engine.cameraVillageTotal.get(v.id),
  })).sort((a, b) => b.last30Days - a.last30Days || a.id - b.id)
  const grids = [...engine.grids.values()].filter(g => g.active).map(g => ({
    id: g.id,
    code: g.code,
    name: g.name,
    villageId: g.village_id,
    last30Days: gridCases.get(g.id) ?? 0,
    today: engine.reportedGrids.get(engine.today, g.id),
    open: engine.openByGrid.get(g.id),
    overdue: engine.overdueByGrid.get(g.id),
    medianResponseMinutes: unitMedian(engine, engine.responseGrids, g.id),
  })).sort((a, b) => b.last30Days - a.last30Days || a.id - b.id)
  const boundariesAt = engine.boundariesAt > 0 ? new Date(engine.boundariesAt).toISOString() : null
  return { asOf: new Date(engine.now).toISOString(), boundariesAt, villages, grids, specialPopulation: specialPopulationByGrid(engine) }
}

export function sla(engine: MetricsEngine): SlaView {
  const sums = engine.closedStats.sum(engine.today - 29, engine.today)
  const tiers = LEVELS.map((level) => {
    const handled = sums.get(`handled:${level}`) ?? 0
    return {
      level,
      open: engine.openByLevel.get(level),
      overdue: engine.overdueByLevel.get(level),
      closed30Days: sums.get(`closed:${level}`) ?? 0,
      closedWithinSla: ratio(sums.get(`withinSla:${level}`) ?? 0, sums.get(`withDeadline:${level}`) ?? 0),
      averageHandleHours: handled > 0 ? (sums.get(`handleMs:${level}`) ?? 0) / handled / 3_600_000 : null,
    }
  })
  return { asOf: new Date(engine.now).toISOString(), tiers }
}

export function feed(engine: MetricsEngine): { asOf: string, cases: CasePoint[] } {
  return { asOf: new Date(engine.now).toISOString(), cases: engine.feed.map(c => casePoint(engine, c)) }
}

export function cameraList(engine: MetricsEngine): CameraPoint[] {
  const out: CameraPoint[] = []
  for (const camera of engine.cameras.values()) {
    if (camera.active)
      out.push(cameraPoint(camera))
  }
  return out.sort((a, b) => a.id - b.id)
}

/**
 * Alarm kinds whose device stands in the open (a river gauge), drawn where it is. Every other kind —
 * the household ones (elderly_call, gas, smoke) and any kind a deployment adds — is taken to be in a
 * home: an allow-list of public kinds, so that a new kind is drawn coarsely until it is listed here.
 */
export const OUTDOOR_ALARM_KINDS: ReadonlySet<string> = new Set(['water_level'])

/** Cell size (degrees, ≈ 1 km) a household alarm without a grid is snapped to. */
const HOUSEHOLD_CELL_DEG = 0.01

/**
 * Where the wall draws an alarm: an outdoor device (a water-level gauge) where it is; any other at its
 * grid's label point, or the centre of a ≈ 1 km cell when it has no grid — so no payload carries the
 * exact place of a home.
 */
export function alarmPlace(engine: MetricsEngine, a: AlarmRow): { lon: number | null, lat: number | null } {
  if (OUTDOOR_ALARM_KINDS.has(a.kind))
    return { lon: a.lon, lat: a.lat }
  const grid = a.grid_id === null ? undefined : engine.grids.get(a.grid_id)
  if (grid && grid.label_lon !== null && grid.label_lat !== null)
    return { lon: grid.label_lon, lat: grid.label_lat }
  const snap = (v: number | null): number | null => (v === null ? null : Math.round((Math.floor(v / HOUSEHOLD_CELL_DEG) + 0.5) * HOUSEHOLD_CELL_DEG * 1e6) / 1e6)
  return { lon: snap(a.lon), lat: snap(a.lat) }
}

export function openAlarms(engine: MetricsEngine): { asOf: string, alarms: AlarmPoint[] } {
  const alarms: AlarmPoint[] = []
  for (const a of engine.alarms.values()) {
    if (a.status === 'active' || a.status === 'acknowledged')
      alarms.push({ id: a.id, kind: a.kind, status: a.status, raisedAt: new Date(a.raised_at).toISOString(), ...alarmPlace(engine, a), villageId: a.village_id, gridId: a.grid_id, caseId: a.case_id })
  }
  alarms.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : b.id - a.id))
  return { asOf: new Date(engine.now).toISOString(), alarms }
}

/** Heat bins over a window, for all categories or one (a class includes its sub-categories). */
export function heatBins(engine: MetricsEngine, window: HeatWindow, categoryId: number | null): HeatBins {
  const from = engine.today - HEAT_WINDOWS[window] + 1
  const sums = new Map<number, number>()
  const add = (counts: Map<number, number>): void => {
    for (const [cell, n] of counts)
      sums.set(cell, (sums.get(cell) ?? 0) + n)
  }
  if (categoryId === null) {
    add(engine.heat.sum(from, engine.today))
  }
  else {
    for (const [category, counter] of engine.heatByCategory.counters) {
      if (category === categoryId || isDescendant(engine, category, categoryId))
        add(counter.sum(from, engine.today))
    }
  }
  let max = 0
  let total = 0
  const cells: [number, number, number][] = []
  for (const [cell, n] of [...sums].sort((a, b) => a[0] - b[0])) {
    if (n <= 0)
      continue
    const [lon, lat] = engine.heatCellOrigin(cell)
    cells.push([Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, n])
    max = Math.max(max, n)
    total += n
  }
  return { window, categoryId, cellDeg: engine.heatCellDeg, cells, max, total }
}

function isDescendant(engine: MetricsEngine, id: number, ancestor: number): boolean {
  let current = engine.categories.get(id)?.parent_id ?? null
  for (let guard = 0; current !== null && guard < 16; guard++) {
    if (current === ancestor)
      return true
    current = engine.categories.get(current)?.parent_id ?? null
  }
  return false
}

/** A heat cell's counts in the three windows, all categories. */
export function heatCellCounts(engine: MetricsEngine, cell: number): HeatCellUpdate {
  const [lon, lat] = engine.heatCellOrigin(cell)
  let today = 0
  let week = 0
  let month = 0
  for (const [day, counter] of engine.heat.days) {
    const age = engine.today - day
    if (age < 0 || age >= 30)
      continue
    const n = counter.get(cell)
    month += n
    if (age < 7)
      week += n
    if (age === 0)
      today += n
  }
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, today, week, month]
}

/** Every heat cell of the last 30 days with its counts (what a screen starts from). */
export function heatCells(engine: MetricsEngine): HeatCells {
  const cells = new Set<number>()
  for (const [day, counter] of engine.heat.days) {
    if (engine.today - day < 30) {
      for (const cell of counter.map.keys())
        cells.add(cell)
    }
  }
  return { cellDeg: engine.heatCellDeg, cells: [...cells].sort((a, b) => a - b).map(cell => heatCellCounts(engine, cell)) }
}

/** Each topic's whole view, as a snapshot carries it. */
export function snapshotData(engine: MetricsEngine, topics: readonly Topic[] = TOPICS): Partial<SnapshotData> {
  const data: Partial<SnapshotData> = {}
  for (const topic of topics) {
    switch (topic) {
      case 'overview': data.overview = overview(engine)
        break
      case 'trends': data.trends = trends(engine)
        break
      case 'rankings': data.rankings = rankings(engine)
        break
      case 'sla': data.sla = sla(engine)
        break
      case 'alarms': data.alarms = openAlarms(engine)
        break
      case 'cases': data.cases = { ...feed(engine), added: [], urgent: [] }
        break
      case 'cameras': data.cameras = { cameras: cameraList(engine) }
        break
      case 'heat': data.heat = heatCells(engine)
        break
      case 'queue': data.queue = queueView(engine)
        break
      case 'push': data.push = { push: null } // the live hub fills in the case on the wall
        break
    }
  }
  return data
}

/**
 * What a frame of `topic` carries. Whole-view topics are projected as in a snapshot; the delta topics
 * (cases' arrivals, cameras, heat) carry what changed since the previous frame, read from `pending`,
 * which they then clear. Applying frames to a snapshot gives the next snapshot (the property test).
 */
export function frameData<T extends Topic>(engine: MetricsEngine, topic: T, pending: Dirty): TopicData[T]
export function frameData(engine: MetricsEngine, topic: Topic, pending: Dirty): TopicData[Topic] {
  switch (topic) {
    case 'cases': {
      const point = (c: CaseRow): CasePoint => casePoint(engine, engine.cases.get(c.id)?.row ?? c)
      const urgent = [...pending.urgent.values()].map(point)
      const added = [...pending.added.values()]
        .sort((a, b) => b.reported_at - a.reported_at || b.id - a.id)
        .slice(0, 200)
        .map(point)
      pending.urgent.clear()
      pending.added.clear()
      return { ...feed(engine), added, urgent }
    }
    case 'cameras': {
      const changed: CameraPoint[] = []
      const removed: number[] = []
      for (const [id, camera] of pending.cameras) {
        if (camera && camera.active)
          changed.push(cameraPoint(camera))
        else
          removed.push(id)
      }
      pending.cameras.clear()
      return { changed, removed }
    }
    case 'heat': {
      const cells = [...pending.heat ?? []].map(cell => heatCellCounts(engine, cell))
      pending.heat?.clear()
      return { cellDeg: engine.heatCellDeg, cells }
    }
    case 'queue':
      return queueChanges(engine, pending.queue)
    default: {
      const data = snapshotData(engine, [topic])[topic]
      if (data === undefined)
        throw new Error(`no view for topic ${topic}`)
      return data
    }
  }
}

/** Every view at once: the snapshot of every topic and the heat windows — what the property test compares. */
export function allViews(engine: MetricsEngine) {
  return {
    ...snapshotData(engine),
    heatToday: heatBins(engine, 'today', null),
    heat7d: heatBins(engine, '7d', null),
    heat30d: heatBins(engine, '30d', null),
  }
}

export type AllViews = ReturnType<typeof allViews>

export { cameraPoint, casePoint } from './points.ts'

/**
 * The township's special-population totals by kind, as they may leave the server: a total under the
 * threshold is suppressed like a grid's count, and a total that would give away the counts of the
 * grids shown "<min" (`totalGivesAwayGrids`) is withheld (null, its kind listed in
 * `specialPopulationWithheld`): the grids' counts and the totals must not be differenced into a person.
 */
function specialPopulationTotals(engine: MetricsEngine): { specialPopulation: Record<string, number | null>, specialPopulationWithheld: string[] } {
  const min = engine.specialMinCount
  const hidden = new Map<string, { sum: number, grids: number, unbounded: boolean }>()
  for (const [key, count] of engine.specialByGrid.map) {
    const colon = key.indexOf(':')
    const active = engine.grids.get(Number(key.slice(0, colon)))?.active === true
    if (active && suppressCount(count, min) !== null)
      continue
    const kind = key.slice(colon + 1)
    const part = hidden.get(kind) ?? { sum: 0, grids: 0, unbounded: false }
    part.sum += count
    if (active)
      part.grids++
    else
      part.unbounded = true
    hidden.set(kind, part)
  }
  const specialPopulation: Record<string, number | null> = {}
  const specialPopulationWithheld: string[] = []
  for (const [kind, total] of [...engine.specialByKind.map].sort()) {
    const part = hidden.get(kind)
    const withheld = suppressCount(total, min) !== null && part !== undefined && totalGivesAwayGrids(part.sum, part.grids, min, part.unbounded)
    specialPopulation[kind] = withheld ? null : suppressCount(total, min)
    if (withheld)
      specialPopulationWithheld.push(kind)
  }
  return { specialPopulation, specialPopulationWithheld }
}

/**
 * Each active grid's special-population counts by kind (only kinds it has a row for), small ones
 * suppressed (null: "<min"); one pass over the rows, not one per grid.
 */
export function gridsSpecialPopulation(engine: MetricsEngine): Map<number, Record<string, number | null>> {
  const out = new Map<number, Record<string, number | null>>()
  for (const row of engine.special.values()) {
    if (!engine.grids.get(row.grid_id)?.active)
      continue
    let counts = out.get(row.grid_id)
    if (!counts)
      out.set(row.grid_id, counts = {})
    counts[row.kind] = suppressCount(engine.specialByGrid.get(`${row.grid_id}:${row.kind}`), engine.specialMinCount)
  }
  return out
}

/** The same, compact, for the rankings topic (kinds sorted; a kind without a row counts 0). */
export function specialPopulationByGrid(engine: MetricsEngine): GridSpecialPopulation {
  const byGrid = gridsSpecialPopulation(engine)
  const kinds = [...new Set([...byGrid.values()].flatMap(counts => Object.keys(counts)))].sort()
  const grids: Record<string, (number | null)[]> = {}
  for (const [id, counts] of byGrid)
    grids[id] = kinds.map(kind => (kind in counts ? counts[kind] as number | null : 0)) // null (suppressed) stays null
  return { minCount: engine.specialMinCount, kinds, grids }
}
