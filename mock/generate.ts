import type { Feature, Polygon } from 'geojson'
import type { CategoryNode } from '../server/src/domain/categories.ts'
import type { ActorRole, CaseStatus } from '../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../server/src/domain/sla.ts'
import type { Geography, VillageProps } from './geo/types.ts'
import type { Random } from './random.ts'
import type { AlarmKind, CameraKind, CameraRow, CaseCategoryRow, CaseEventRow, CaseRow, CaseSource, GridPopulationRow, GridRow, GridSpecialPopulationRow, GridWorkerRow, IotAlarmRow, PartyBranchRow, PartyMemberRow, Rating, ResolvedLevel, TownshipData, TownshipRow, VillageRow } from './rows.ts'
import { daysFromSpringFestival, localDateKey, localParts, startOfLocalDay } from '../server/src/domain/calendar.ts'
import { CATEGORIES, categoryByCode, classOf, leafCategories, seasonalFactor } from '../server/src/domain/categories.ts'
import { CASE_LEVELS, deadline, SLA_TIERS } from '../server/src/domain/sla.ts'
import { householdAddress, mobilePhone, personName } from './names.ts'
import { createRandom } from './random.ts'
import { jitter, PolygonLocator, RoadSampler, roadJunctions } from './spatial.ts'

/**
 * The mock township's operational data, generated from its geography. Pure and deterministic: the
 * same geography, seed and `now` always give the same rows, whatever the machine or the day.
 *
 * Calibrated to the figures real deployments publish (see CALIBRATION and docs/CONTRACT.md).
 */

/** Options of `generateTownshipData`. */
export interface GenerateOptions {
  seed: number
  /** The moment the data describes: a year of cases ends here, open cases are open as of it. */
  now: Date
  /**
   * Multiplier of the volume of cases and IoT alarms (1 = one calibrated year). Registries
   * (households, cameras, party members) stay calibrated whatever it is; tests use small values.
   */
  scale?: number
  /**
   * Position of this township in a county (0-based). Every id is offset by
   * `townshipIndex × ID_STRIDE` so that the townships of a county load into one database.
   */
  townshipIndex?: number
}

/** Ids of one township's rows lie in `[index × ID_STRIDE + 1, (index + 1) × ID_STRIDE)`. */
export const ID_STRIDE = 10_000_000

/**
 * Targets of the mock township, from FIELD.md's published figures: 东岳观镇 (715 party members paired
 * with 6,958 households, 1,000+ cameras), 宁海县 (97 % settle rate, 98.5 % at village level, 96.5 %
 * satisfaction), 珙县 (98 %+ satisfaction). Cases: 50,000 a year (≈137 a day, grid patrol reports
 * included), so that the county scale of 20 townships holds ≈1M.
 */
export const CALIBRATION = {
  households: 7000,
  residentsPerHousehold: 3.55,
  partyMembers: 715,
  cameras: 1030,
  /** Share of cameras not offline (在线率). */
  cameraOnlineRate: 0.955,
  casesPerYear: 50_000,
  /** Share of cases cancelled (注销: duplicates, not government business). */
  cancelledRate: 0.025,
  /** Share of closed cases closed after their SLA deadline, by level. */
  overdueRate: { general: 0.025, serious: 0.045, major: 0.07, urgent: 0.03 } as Record<CaseLevel, number>,
  /** Share of closed cases settled above the village (township or county), by level. */
  aboveVillageRate: { general: 0.0025, serious: 0.03, major: 0.28, urgent: 0.08 } as Record<CaseLevel, number>,
  /** Share of rated cases rated 不满意, when closed in time and when overdue. */
  dissatisfiedRate: { onTime: 0.03, overdue: 0.2 },
} as const

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** Special-population kinds (重点人群) and their rate per 1,000 residents: counts only, never persons. */
export const SPECIAL_POPULATION_KINDS: Readonly<Record<string, { zh: string, perThousand: number }>> = {
  community_correction: { zh: '社区矫正对象', perThousand: 0.6 },
  drug_rehabilitation: { zh: '社区戒毒康复人员', perThousand: 0.9 },
  severe_mental_disorder: { zh: '严重精神障碍患者', perThousand: 4.0 },
  released_prisoner: { zh: '刑满释放人员', perThousand: 1.4 },
  key_petitioner: { zh: '重点信访人员', perThousand: 0.3 },
  elderly_alone: { zh: '独居老人', perThousand: 25 },
  left_behind_child: { zh: '留守儿童', perThousand: 18 },
  disabled: { zh: '残疾人', perThousand: 22 },
}

// Local-hour profile of reports: quiet at night, a morning peak (9–11), a lunch dip, an afternoon peak.
const HOURLY = [0.15, 0.1, 0.08, 0.07, 0.08, 0.2, 0.6, 1.3, 2.6, 3.4, 3.5, 2.9, 1.6, 1.6, 2.9, 3.3, 3.1, 2.4, 1.5, 1.2, 1.0, 0.7, 0.4, 0.25]
// Emergencies happen whenever they happen: half the daily rhythm, half flat.
const HOURLY_FLAT = HOURLY.map(w => 0.5 * w + 0.5 * (HOURLY.reduce((a, b) => a + b, 0) / 24))
// Sunday … Saturday: grid patrols and offices work weekdays.
const WEEKLY = [0.72, 1.1, 1.1, 1.08, 1.08, 1.05, 0.82]

const SOURCES: CaseSource[] = ['app', 'hotline', 'grid_patrol', 'camera', 'walk_in', 'referral']
// Source channel weights by class, in the order of SOURCES.
const SOURCE_MIX: Record<string, number[]> = {
  dispute: [30, 20, 25, 0, 20, 5],
  safety: [20, 10, 55, 10, 2, 3],
  environment: [20, 10, 50, 20, 0, 0],
  livelihood: [35, 25, 10, 0, 30, 0],
  public_order: [20, 35, 25, 15, 2, 3],
  traffic: [20, 15, 40, 25, 0, 0],
  city_appearance: [10, 5, 55, 30, 0, 0],
  advertising: [10, 5, 55, 30, 0, 0],
  construction: [15, 10, 55, 15, 0, 5],
  emergency: [20, 50, 20, 10, 0, 0],
  street_order: [10, 5, 55, 30, 0, 0],
}

type Placement = 'centre' | 'road' | 'anywhere'
const PLACEMENTS: Placement[] = ['centre', 'road', 'anywhere']
const PLACEMENT_MIX: Record<string, number[]> = {
  traffic: [0.15, 0.8, 0.05],
  street_order: [0.7, 0.25, 0.05],
  city_appearance: [0.7, 0.25, 0.05],
  advertising: [0.7, 0.25, 0.05],
  default: [0.5, 0.3, 0.2],
  // Hazards of fields, hills and rivers are spread over the land.
  remote: [0.2, 0.2, 0.6],
}
const REMOTE = new Set(['safety.flood', 'safety.geological', 'emergency.flood', 'environment.river', 'environment.straw_burning', 'environment.livestock', 'dispute.land', 'safety.drowning'])
// Classes that gather at the township seat's market street.
const URBAN = new Set(['street_order', 'city_appearance', 'advertising'])

const PHRASES: Record<string, string[]> = {
  dispute: ['双方争执不下，请求村里调解。', '矛盾有激化苗头，请网格员尽快上门。', '此前已调解一次未果，群众情绪较大。'],
  safety: ['存在安全隐患，请尽快排查处置。', '隐患点靠近居民房屋，群众担心。', '网格员已设置临时警示标志。'],
  environment: ['影响村容村貌，请安排清理。', '气味较大，群众反映强烈。', '已持续数日，无人处理。'],
  livelihood: ['群众咨询办理流程，请协助。', '申请上门服务。', '材料已初步收集，请指导办理。'],
  public_order: ['请派出所和网格员核实。', '群众担心安全，请求处理。'],
  traffic: ['影响车辆和行人通行。', '夜间存在安全隐患，请尽快修复。'],
  emergency: ['情况紧急，请立即处置！', '已通知相关部门赶赴现场。'],
  default: ['影响市容秩序，请处置。', '多次劝导无效，请执法队处理。'],
}

/** Splits `total` into integers proportional to `weights` (largest remainder), summing exactly to `total`. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0 || weights.length === 0)
    return weights.map(() => 0)
  const exact = weights.map(w => (total * w) / sum)
  const result = exact.map(Math.floor)
  let left = total - result.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) {
    if (left <= 0)
      break
    result[i]! += 1
    left--
  }
  return result
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Rounds a point to 6 decimals (≈0.1 m) before it is located, so the stored point is the located one. */
function roundPoint(p: readonly number[]): [number, number] {
  return [round6(p[0]!), round6(p[1]!)]
}

function cumulative(weights: readonly number[]): number[] {
  let acc = 0
  return weights.map((w) => {
    acc += w
    return acc
  })
}

function pickCumulative(rng: Random, cum: readonly number[]): number {
  const target = rng.next() * cum[cum.length - 1]!
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid]! <= target)
      lo = mid + 1
    else hi = mid
  }
  return lo
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}

/** What the generator knows of the place, shared by every table it generates. */
interface Place {
  geo: Geography
  base: number
  townshipId: number
  villages: VillageRow[]
  grids: GridRow[]
  gridVillage: number[]
  villageGrids: number[][]
  households: number[]
  locator: PolygonLocator
  roads: RoadSampler
  junctions: [number, number][]
  seat: [number, number]
}

/** A case before its lifecycle is laid out. */
interface CaseSeed {
  at: number
  category: CategoryNode
  level: CaseLevel
  source: CaseSource
  point: [number, number]
  grid: number
  alarm: number | null
}

/**
 * Generates one township's operational data (every contract table) from its geography.
 * Deterministic by `seed` and `now`.
 */
export function generateTownshipData(geo: Geography, options: GenerateOptions): TownshipData {
  const now = options.now.getTime()
  if (!Number.isFinite(now))
    throw new RangeError('generateTownshipData: now is not a valid date')
  const scale = options.scale ?? 1
  if (!(scale >= 0))
    throw new RangeError('generateTownshipData: scale must be a number ≥ 0')
  const index = options.townshipIndex ?? 0
  const root = createRandom(options.seed).fork(`township:${geo.township.properties.code}`)
  const rngRegistry = root.fork('registry')
  const rngPopulation = root.fork('population')
  const rngWorkers = root.fork('workers')
  const rngCameras = root.fork('cameras')
  const rngParty = root.fork('party')
  const rngAlarms = root.fork('alarms')
  const rngCases = root.fork('cases')
  const rngLife = root.fork('lifecycle')

  const place = buildPlace(geo, index, now, rngRegistry)
  const population = generatePopulation(place, now, rngPopulation)
  place.households = population.households
  const workers = generateWorkers(place, now, rngWorkers)
  const cameras = generateCameras(place, now, rngCameras)
  const party = generateParty(place, now, rngParty)
  const alarmPlan = generateAlarms(place, population.special, now, scale, rngAlarms)
  const seeds = generateCaseSeeds(place, now, scale, rngCases, alarmPlan.caseSeeds)
  const cases = layOutCases(place, seeds, workers.byGrid, now, rngLife)
  for (const [alarmIndex, caseId] of cases.alarmCase) {
    const alarm = alarmPlan.alarms[alarmIndex]!
    alarm.case_id = caseId
  }

  return {
    townships: [townshipRow(place, now)],
    villages: place.villages,
    grids: place.grids,
    grid_population: population.rows,
    grid_special_population: population.specialRows,
    case_categories: categoryRows(new Date(now)),
    grid_workers: workers.rows,
    cameras,
    party_branches: party.branches,
    party_members: party.members,
    cases: cases.cases,
    case_events: cases.events,
    iot_alarms: alarmPlan.alarms,
  }
}

/** The default category tree as `case_categories` rows (the same in every township of a county). */
export function categoryRows(now: Date): CaseCategoryRow[] {
  // A fixed moment well before the year of cases, the same for every township.
  const updated = new Date(startOfLocalDay(now).getTime() - 400 * DAY)
  return CATEGORIES.map(c => ({ id: c.id, parent_id: c.parentId, code: c.code, name: c.name, name_en: c.nameEn, active: true, updated_at: updated }))
}

function townshipRow(place: Place, now: number): TownshipRow {
  const p = place.geo.township.properties
  return {
    id: place.townshipId,
    code: p.code,
    name: p.name,
    county_code: p.code.slice(0, 6),
    county_name: p.county,
    seat_lat: round6(p.seat[1]),
    seat_lon: round6(p.seat[0]),
    boundary: place.geo.township.geometry,
    active: true,
    updated_at: new Date(startOfLocalDay(new Date(now)).getTime() - 400 * DAY),
  }
}

function buildPlace(geo: Geography, index: number, now: number, rng: Random): Place {
  const base = index * ID_STRIDE
  const townshipId = index + 1
  const registryTime = (): Date => new Date(now - Math.round(rng.range(30, 400) * DAY))
  const villageIndex = new Map<string, number>()
  const villages: VillageRow[] = geo.villages.features.map((f: Feature<Polygon, VillageProps>, i) => {
    villageIndex.set(f.properties.code, i)
    return {
      id: base + i + 1,
      township_id: townshipId,
      code: f.properties.code,
      name: f.properties.name,
      kind: f.properties.kind,
      center_lat: round6(f.properties.center[1]),
      center_lon: round6(f.properties.center[0]),
      area_km2: Math.round(f.properties.areaKm2 * 1000) / 1000,
      boundary: f.geometry,
      active: true,
      updated_at: registryTime(),
    }
  })
  const villageGrids: number[][] = villages.map(() => [])
  const gridVillage: number[] = []
  const grids: GridRow[] = geo.grids.features.map((f, i) => {
    const v = villageIndex.get(f.properties.villageCode)
    if (v === undefined)
      throw new Error(`grid ${f.properties.code} names an unknown village ${f.properties.villageCode}`)
    villageGrids[v]!.push(i)
    gridVillage.push(v)
    return {
      id: base + i + 1,
      village_id: villages[v]!.id,
      code: f.properties.code,
      name: f.properties.name,
      boundary: f.geometry,
      label_lat: round6(f.properties.labelPoint[1]),
      label_lon: round6(f.properties.labelPoint[0]),
      area_km2: Math.round(f.properties.areaKm2 * 1000) / 1000,
      worker_name: '',
      worker_phone: '',
      active: true,
      updated_at: registryTime(),
    }
  })
  const kindWeight = { county: 3, township: 2, village: 1 }
  const roadLines = geo.roads.features.map(f => f.geometry)
  return {
    geo,
    base,
    townshipId,
    villages,
    grids,
    gridVillage,
    villageGrids,
    households: [],
    locator: new PolygonLocator(geo.grids.features.map(f => f.geometry)),
    roads: new RoadSampler(roadLines, geo.roads.features.map(f => kindWeight[f.properties.kind])),
    junctions: roadJunctions(roadLines),
    seat: geo.township.properties.seat,
  }
}

function generatePopulation(place: Place, now: number, rng: Random): { rows: GridPopulationRow[], specialRows: GridSpecialPopulationRow[], households: number[], special: Map<string, number[]> } {
  // Communities (the township seat) are denser than villages; villages vary in size.
  const villageWeight = place.villages.map(v => (v.kind === 'community' ? 2.2 : 1) * Math.exp(rng.normal(0, 0.35)))
  const gridWeight = place.grids.map((_, i) => {
    const v = place.gridVillage[i]!
    return (villageWeight[v]! / place.villageGrids[v]!.length) * rng.range(0.6, 1.4)
  })
  const total = Math.round(CALIBRATION.households * rng.range(0.97, 1.03))
  const households = allocate(total, gridWeight)
  const special = new Map<string, number[]>()
  const rows: GridPopulationRow[] = []
  const specialRows: GridSpecialPopulationRow[] = []
  const kinds = Object.entries(SPECIAL_POPULATION_KINDS)
  place.grids.forEach((grid, i) => {
    const h = households[i]!
    const residents = Math.round(h * clamp(rng.normal(CALIBRATION.residentsPerHousehold, 0.2), 2.8, 4.4))
    const community = place.villages[place.gridVillage[i]!]!.kind === 'community'
    const nonLocal = Math.round(residents * (community ? rng.range(0.12, 0.3) : rng.range(0.02, 0.09)))
    const updated = new Date(now - Math.round(rng.range(1, 90) * DAY))
    rows.push({ id: place.base + i + 1, grid_id: grid.id, households: h, residents, non_local_residents: nonLocal, updated_at: updated })
    kinds.forEach(([kind, { perThousand }], k) => {
      const count = rng.poisson((perThousand * residents) / 1000)
      let list = special.get(kind)
      if (!list) {
        list = []
        special.set(kind, list)
      }
      list.push(count)
      specialRows.push({ id: place.base + i * kinds.length + k + 1, grid_id: grid.id, kind, count, updated_at: updated })
    })
  })
  return { rows, specialRows, households, special }
}

function generateWorkers(place: Place, now: number, rng: Random): { rows: GridWorkerRow[], byGrid: { name: string, phone: string }[] } {
  const local = localParts(new Date(now))
  const dayStart = startOfLocalDay(new Date(now)).getTime()
  const rows: GridWorkerRow[] = []
  const person = (gridIndex: number, role: GridWorkerRow['role'], id: number): GridWorkerRow => {
    const name = personName(rng)
    const phone = mobilePhone(rng)
    const h = local.hour
    const onDutyChance = h >= 8 && h < 18 ? 0.88 : h >= 18 && h < 22 ? 0.3 : 0.08
    const status: GridWorkerRow['duty_status'] = rng.chance(0.03) ? 'on_leave' : rng.chance(onDutyChance) ? 'on_duty' : 'off_duty'
    let checkin: number
    if (status === 'on_duty') {
      checkin = now - Math.min(rng.exponential(40 * MINUTE), 6 * HOUR)
    }
    else {
      // The end of the last working day's patrol.
      checkin = dayStart + 17 * HOUR + rng.range(0, 60) * MINUTE
      if (checkin > now)
        checkin -= DAY
      if (status === 'on_leave')
        checkin -= rng.int(1, 5) * DAY
    }
    const [lon, lat] = interiorPoint(place, rng, gridIndex)
    const at = new Date(Math.round(checkin / 1000) * 1000)
    return { id, grid_id: place.grids[gridIndex]!.id, role, name, phone, duty_status: status, last_checkin_at: at, last_checkin_lat: round6(lat), last_checkin_lon: round6(lon), active: true, updated_at: at }
  }
  const byGrid = place.grids.map((grid, i) => {
    const row = person(i, 'grid_worker', place.base + i + 1)
    rows.push(row)
    grid.worker_name = row.name
    grid.worker_phone = row.phone
    return { name: row.name, phone: row.phone }
  })
  // One 网格长 per village (a village committee member), listed with the grid of the village office.
  place.villages.forEach((_, v) => {
    const first = place.villageGrids[v]![0]
    if (first !== undefined)
      rows.push(person(first, 'grid_leader', place.base + place.grids.length + v + 1))
  })
  return { rows, byGrid }
}

function generateCameras(place: Place, now: number, rng: Random): CameraRow[] {
  const count = Math.round(CALIBRATION.cameras * rng.range(0.98, 1.04))
  // Where 雪亮工程 points go: the seat, village centres (村委会, 村口, 学校), road junctions, along the
  // county and township roads, and a few hazard points in the fields and hills.
  const [atSeat, atVillages, atJunctions, alongRoads, scattered] = allocate(count, [0.15, 0.42, place.junctions.length > 0 ? 0.18 : 0, 0.15, 0.1])
  const villageHouseholds = place.villages.map((_, v) => place.villageGrids[v]!.reduce((a, g) => a + (place.households[g] ?? 0), 0))
  const villageCounts = allocate(atVillages!, villageHouseholds)
  // GB/T 28181 device ids: 8-digit centre code (the county's 6 + 00), industry 00, type 132 (IP camera),
  // then the township's 3 digits and a 4-digit serial, so that ids stay unique across a county.
  const tcode = place.geo.township.properties.code
  const prefix = `${tcode.slice(0, 6)}0000132${tcode.slice(6, 9)}`
  const rows: CameraRow[] = []
  const seatNames = ['镇政府', '集镇十字路口', '农贸市场', '中心学校', '卫生院', '汽车站', '镇文化广场', '派出所门口']
  const villageSpots = ['村委会', '村口', '文化广场', '卫生室', '小学门口', '桥头', '老街', '祠堂']
  const add = (point: [number, number], kind: CameraKind, name: string): void => {
    let p = roundPoint(point)
    let grid = place.locator.locate(p[0], p[1])
    for (let attempt = 0; grid < 0 && attempt < 10; attempt++) {
      p = roundPoint(jitter(rng, point, 50))
      grid = place.locator.locate(p[0], p[1])
    }
    if (grid < 0) {
      // Never outside the township: fall back to a random grid.
      grid = rng.int(0, place.grids.length - 1)
      p = interiorPoint(place, rng, grid)
    }
    const i = rows.length
    const r = rng.next()
    const status: CameraRow['status'] = r < 1 - CALIBRATION.cameraOnlineRate ? 'offline' : r < 1 - CALIBRATION.cameraOnlineRate + 0.006 ? 'alarm' : 'online'
    const heartbeat = status === 'offline' ? now - Math.round(rng.exponential(30 * HOUR) + 10 * MINUTE) : now - rng.int(0, 60_000)
    const code = `${prefix}${String(i + 1).padStart(4, '0')}`
    rows.push({
      id: place.base + i + 1,
      code,
      name,
      kind,
      lat: round6(p[1]),
      lon: round6(p[0]),
      village_id: place.villages[place.gridVillage[grid]!]!.id,
      grid_id: place.grids[grid]!.id,
      status,
      last_heartbeat_at: new Date(Math.round(heartbeat / 1000) * 1000),
      stream_url: `rtsp://video.xueliang.local/live/${code}`,
      active: true,
      updated_at: new Date(Math.round(heartbeat / 1000) * 1000),
    })
  }
  const townName = place.geo.township.properties.name
  for (let i = 0; i < atSeat!; i++)
    add(jitter(rng, place.seat, 450), rng.chance(0.75) ? 'public_security' : 'community', `${townName}${rng.pick(seatNames)}${i + 1}号`)
  villageCounts.forEach((n, v) => {
    const village = place.villages[v]!
    for (let i = 0; i < n; i++)
      add(jitter(rng, [village.center_lon, village.center_lat], 220), rng.chance(0.7) ? 'public_security' : 'community', `${village.name}${rng.pick(villageSpots)}${i + 1}号`)
  })
  for (let i = 0; i < atJunctions!; i++)
    add(jitter(rng, rng.pick(place.junctions), 15), rng.chance(0.55) ? 'traffic' : 'public_security', `路口卡口${i + 1}号`)
  for (let i = 0; i < alongRoads!; i++) {
    if (place.roads.empty) {
      add(jitter(rng, place.seat, 800), 'public_security', `道路监控${i + 1}号`)
      continue
    }
    const { point, road } = place.roads.sample(rng, 12)
    add(point, rng.chance(0.6) ? 'traffic' : 'public_security', `${place.geo.roads.features[road]!.properties.name}监控${i + 1}号`)
  }
  for (let i = 0; i < scattered!; i++) {
    const kind = rng.weighted<CameraKind>(['flood', 'forest_fire', 'geological'], [0.4, 0.35, 0.25])
    const label = SCATTERED_LABEL[kind] ?? '监测'
    add(interiorPoint(place, rng, rng.int(0, place.grids.length - 1)), kind, `${label}点${i + 1}号`)
  }
  return rows
}

const SCATTERED_LABEL: Partial<Record<CameraKind, string>> = { flood: '水位监测', forest_fire: '森林防火', geological: '地灾监测' }

function generateParty(place: Place, now: number, rng: Random): { branches: PartyBranchRow[], members: PartyMemberRow[] } {
  const townName = place.geo.township.properties.name
  const specs: { name: string, kind: PartyBranchRow['kind'], village: number | null, weight: number }[] = place.villages.map((v, i) => ({
    name: `${v.name.replace(/(?:居委会|村委会)$/, '')}党${v.kind === 'community' ? '总支' : '支部'}`,
    kind: v.kind,
    village: i,
    weight: place.villageGrids[i]!.reduce((a, g) => a + (place.households[g] ?? 0), 0),
  }))
  const villageTotal = specs.reduce((a, s) => a + s.weight, 0)
  // Township organs and institutions (机关, 卫生院, 学校) hold about an eighth of the members.
  for (const name of ['机关第一党支部', '机关第二党支部', '卫生院党支部', '中心学校党支部'])
    specs.push({ name: `${townName}${name}`, kind: 'organ', village: null, weight: villageTotal * 0.03 })
  specs.push({ name: `${townName}非公企业联合党支部`, kind: 'enterprise', village: null, weight: villageTotal * 0.02 })
  const total = Math.round(CALIBRATION.partyMembers * rng.range(0.97, 1.03))
  const perBranch = allocate(total, specs.map(s => s.weight))
  const totalHouseholds = place.households.reduce((a, b) => a + b, 0)
  // 党员联户: every household is paired with a member (东岳观镇: 715 members, 6,958 households).
  const paired = allocate(totalHouseholds, Array.from({ length: total }, () => rng.range(0.6, 1.4)))
  const branches: PartyBranchRow[] = []
  const members: PartyMemberRow[] = []
  const stars = (points: number, cuts: readonly number[]): number => 1 + cuts.filter(c => points >= c).length
  specs.forEach((spec, b) => {
    const quality = rng.normal(0, 5)
    const branchId = place.base + b + 1
    let sum = 0
    for (let k = 0; k < perBranch[b]!; k++) {
      const points = Math.round(clamp(rng.normal(78 + quality, 9), 20, 100))
      sum += points
      members.push({
        id: place.base + members.length + 1,
        branch_id: branchId,
        status: rng.chance(0.05) ? 'probationary' : 'full',
        points,
        stars: stars(points, [60, 70, 80, 90]),
        paired_households: paired[members.length] ?? 0,
        active: true,
        updated_at: new Date(now - Math.round(rng.range(0, 30) * DAY)),
      })
    }
    const average = perBranch[b]! > 0 ? sum / perBranch[b]! : 0
    branches.push({
      id: branchId,
      code: `${place.geo.township.properties.code}${String(b + 1).padStart(3, '0')}`,
      name: spec.name,
      kind: spec.kind,
      village_id: spec.village === null ? null : place.villages[spec.village]!.id,
      township_id: place.townshipId,
      stars: stars(average, [70, 75, 80, 85]),
      active: true,
      updated_at: new Date(now - Math.round(rng.range(0, 30) * DAY)),
    })
  })
  return { branches, members }
}

interface AlarmSpec { kind: AlarmKind, perDevicePerYear: number, season: number[], hours: number[], ackMin: number, clearMin: number, escalate: number, urgent: number, categories: [string, number][] }
const ALARMS: AlarmSpec[] = [
  { kind: 'elderly_call', perDevicePerYear: 1.4, season: [1.3, 1.2, 1, 1, 0.9, 0.9, 1, 1, 0.9, 0.9, 1, 1.2], hours: [0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.5, 1.6, 1.5, 1.4, 1.3, 1.1, 1.1, 1.3, 1.4, 1.4, 1.3, 1.2, 1.2, 1, 0.8, 0.5, 0.4], ackMin: 3, clearMin: 25, escalate: 0.08, urgent: 0.5, categories: [['livelihood.elderly', 1]] },
  { kind: 'gas', perDevicePerYear: 0.2, season: [2, 1.8, 1.2, 0.8, 0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.2, 1.8], hours: [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 1.5, 1, 0.8, 1.2, 2.5, 2, 0.8, 0.6, 0.6, 1.2, 2.5, 2.5, 1.5, 0.8, 0.5, 0.3, 0.2], ackMin: 5, clearMin: 60, escalate: 0.3, urgent: 0.7, categories: [['safety.gas', 1]] },
  { kind: 'smoke', perDevicePerYear: 0.2, season: [2.0, 2.2, 1.8, 1.6, 0.8, 0.4, 0.3, 0.3, 0.5, 0.9, 1.3, 1.8], hours: [0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.8, 1, 1, 1, 1.1, 1.5, 1.3, 1, 1, 1, 1.2, 1.6, 1.8, 1.6, 1.3, 1, 0.7, 0.5], ackMin: 4, clearMin: 30, escalate: 0.25, urgent: 0.6, categories: [['safety.fire', 0.8], ['emergency.fire', 0.2]] },
  { kind: 'water_level', perDevicePerYear: 14, season: [0.2, 0.2, 0.4, 0.7, 1.3, 2.4, 2.8, 2.2, 1.2, 0.5, 0.3, 0.2], hours: Array.from({ length: 24 }, () => 1), ackMin: 15, clearMin: 8 * 60, escalate: 0.2, urgent: 0.4, categories: [['safety.flood', 0.8], ['emergency.flood', 0.2]] },
]

function generateAlarms(place: Place, special: Map<string, number[]>, now: number, scale: number, rng: Random): { alarms: IotAlarmRow[], caseSeeds: CaseSeed[] } {
  const elderly = (special.get('elderly_alone') ?? []).reduce((a, b) => a + b, 0)
  const totalHouseholds = place.households.reduce((a, b) => a + b, 0)
  // Installed devices: call buttons for most elderly living alone, gas alarms in kitchens and
  // restaurants, smoke detectors, and a handful of water-level gauges on rivers and reservoirs.
  const deviceCounts: Record<AlarmKind, number> = {
    elderly_call: Math.round(elderly * 0.7),
    gas: Math.round(totalHouseholds * 0.04),
    smoke: Math.round(totalHouseholds * 0.06),
    water_level: Math.max(2, Math.round(place.villages.length / 2)),
  }
  const dayStart = startOfLocalDay(new Date(now)).getTime() - 364 * DAY
  const alarms: IotAlarmRow[] = []
  const caseSeeds: CaseSeed[] = []
  for (const spec of ALARMS) {
    const devices = Array.from({ length: deviceCounts[spec.kind] }, (_, d) => {
      const grid = pickCumulative(rng, cumulative(place.households.map(h => h + 0.01)))
      const point = roundPoint(spec.kind === 'water_level' && !place.roads.empty ? place.roads.sample(rng, 25).point : place.locator.randomPointIn(rng, grid))
      const located = place.locator.locate(point[0], point[1])
      const g = located >= 0 ? located : grid
      const village = place.villages[place.gridVillage[g]!]!
      return {
        code: `IOT-${spec.kind.toUpperCase()}-${place.geo.township.properties.code}-${String(d + 1).padStart(4, '0')}`,
        point: located >= 0 ? point : interiorPoint(place, rng, g),
        grid: g,
        address: spec.kind === 'water_level' ? null : householdAddress(rng, village.name),
        threshold: spec.kind === 'water_level' ? Math.round(rng.range(2.5, 6) * 10) / 10 : spec.kind === 'gas' ? 20 : spec.kind === 'smoke' ? 3 : null,
      }
    })
    if (devices.length === 0)
      continue
    const expected = devices.length * spec.perDevicePerYear * scale
    const dayWeights = Array.from({ length: 365 }, (_, d) => spec.season[localParts(new Date(dayStart + d * DAY + 12 * HOUR)).month - 1]!)
    const dayCounts = allocate(Math.round(expected), dayWeights.map(w => w * rng.range(0.5, 1.5)))
    const hourCum = cumulative(spec.hours)
    dayCounts.forEach((n, d) => {
      for (let k = 0; k < n; k++) {
        const raised = dayStart + d * DAY + pickCumulative(rng, hourCum) * HOUR + Math.floor(rng.next() * HOUR / 1000) * 1000
        if (raised >= now)
          continue
        const device = rng.pick(devices)
        const ack = raised + Math.round((rng.exponential(spec.ackMin) + 0.5) * MINUTE / 1000) * 1000
        const clear = ack + Math.round((rng.exponential(spec.clearMin) + 5) * MINUTE / 1000) * 1000
        const value = spec.kind === 'water_level'
          ? Math.round((device.threshold! + rng.exponential(0.4)) * 100) / 100
          : spec.kind === 'gas' ? Math.round(rng.range(20, 60)) : spec.kind === 'smoke' ? Math.round(rng.range(3, 12) * 10) / 10 : null
        const status: IotAlarmRow['status'] = clear <= now ? 'cleared' : ack <= now ? 'acknowledged' : 'active'
        const alarmIndex = alarms.length
        alarms.push({
          id: place.base + alarmIndex + 1,
          device_code: device.code,
          kind: spec.kind,
          status,
          raised_at: new Date(raised),
          acknowledged_at: ack <= now ? new Date(ack) : null,
          cleared_at: clear <= now ? new Date(clear) : null,
          lat: round6(device.point[1]),
          lon: round6(device.point[0]),
          grid_id: place.grids[device.grid]!.id,
          village_id: place.villages[place.gridVillage[device.grid]!]!.id,
          value,
          threshold: device.threshold,
          case_id: null,
          address: device.address,
          updated_at: new Date(Math.max(raised, ack <= now ? ack : raised, clear <= now ? clear : raised)),
        })
        if (rng.chance(spec.escalate)) {
          const code = rng.weighted(spec.categories.map(c => c[0]), spec.categories.map(c => c[1]))
          const category = categoryByCode(code)!
          const level: CaseLevel = rng.chance(spec.urgent) ? 'urgent' : rng.chance(0.8) ? 'general' : 'serious'
          caseSeeds.push({ at: ack + 2 * MINUTE, category, level, source: 'iot', point: device.point, grid: device.grid, alarm: alarmIndex })
        }
      }
    })
  }
  alarms.sort((a, b) => a.raised_at.getTime() - b.raised_at.getTime() || a.id - b.id)
  // Ids follow raising order (as a real alarm table's serial would); keep the case links aligned.
  const remap = new Map<number, number>()
  alarms.forEach((a, i) => {
    remap.set(a.id - place.base - 1, i)
    a.id = place.base + i + 1
  })
  for (const seed of caseSeeds)
    seed.alarm = seed.alarm === null ? null : remap.get(seed.alarm) ?? null
  return { alarms, caseSeeds }
}

function generateCaseSeeds(place: Place, now: number, scale: number, rng: Random, iotSeeds: CaseSeed[]): CaseSeed[] {
  const leaves = leafCategories()
  const today = startOfLocalDay(new Date(now)).getTime()
  const firstDay = today - 364 * DAY
  const total = Math.max(0, CALIBRATION.casesPerYear * scale - iotSeeds.length)
  const baseWeights = leaves.map(c => c.weight)
  const monthVolume = (month: number): number =>
    leaves.reduce((a, c) => a + c.weight * seasonalFactor(c.season, month), 0) / baseWeights.reduce((a, b) => a + b, 0)

  interface Day { start: number, weight: number, cum: number[] }
  const days: Day[] = []
  for (let d = 0; d < 365; d++) {
    const start = firstDay + d * DAY
    const p = localParts(new Date(start + 12 * HOUR))
    const sf = daysFromSpringFestival(new Date(start + 12 * HOUR))
    let weight = WEEKLY[p.weekday]! * monthVolume(p.month)
    // Offices and patrols slow down over the 7-day Spring Festival holiday and the Golden Week, and
    // speed up in the weeks before the festival.
    if (sf >= 0 && sf <= 6)
      weight *= 0.6
    else if (sf >= -20 && sf < 0)
      weight *= 1.1
    if (p.month === 10 && p.day <= 7)
      weight *= 0.75
    if (p.month === 5 && p.day <= 5)
      weight *= 0.8
    const categoryWeights = leaves.map((c) => {
      let w = c.weight * seasonalFactor(c.season, p.month)
      // Fireworks from 除夕 to 元宵; returning migrants' disputes, wage arrears and gambling around the festival.
      if ((c.code === 'safety.fire' || c.code === 'emergency.fire') && sf >= -3 && sf <= 15)
        w *= 2.5
      if (['dispute.family', 'dispute.labour', 'dispute.debt', 'public_order.gambling'].includes(c.code) && sf >= -20 && sf <= 10)
        w *= 1.6
      return w
    })
    days.push({ start, weight, cum: cumulative(categoryWeights) })
  }
  const dayTotal = days.reduce((a, d) => a + d.weight, 0)
  const hourCum = cumulative(HOURLY)
  const hourFlatCum = cumulative(HOURLY_FLAT)
  const villageHouseholds = place.villages.map((_, v) => place.villageGrids[v]!.reduce((a, g) => a + (place.households[g] ?? 0), 0))
  const villageCum = cumulative(villageHouseholds.map(h => h ** 0.9 + 1))
  const urbanVillageCum = cumulative(villageHouseholds.map((h, v) => (h ** 0.9 + 1) * (place.villages[v]!.kind === 'community' ? 3 : 1)))
  const gridCumByVillage = place.villageGrids.map(gs => cumulative(gs.map(g => (place.households[g] ?? 0) + 1)))

  const seeds: CaseSeed[] = iotSeeds.filter(s => s.at < now)
  for (const day of days) {
    const n = rng.poisson((total * day.weight) / dayTotal)
    for (let k = 0; k < n; k++) {
      const category = leaves[pickCumulative(rng, day.cum)]!
      const cls = classOf(category).code
      const level = rng.weighted(CASE_LEVELS, CASE_LEVELS.map(l => category.levels[l]))
      const flat = cls === 'emergency' || level === 'urgent'
      const hour = pickCumulative(rng, flat ? hourFlatCum : hourCum)
      const at = day.start + hour * HOUR + Math.floor(rng.next() * 3600) * 1000
      if (at >= now)
        continue
      let source = rng.weighted(SOURCES, SOURCE_MIX[cls] ?? [1, 1, 1, 1, 1, 1])
      // Grid workers patrol by day; at night reports come by phone or the app.
      if (source === 'grid_patrol' && (hour < 7 || hour >= 19))
        source = rng.chance(0.5) ? 'hotline' : 'app'
      const mix = REMOTE.has(category.code) ? PLACEMENT_MIX.remote! : PLACEMENT_MIX[cls] ?? PLACEMENT_MIX.default!
      const { point, grid } = placeCase(place, rng, rng.weighted(PLACEMENTS, mix), URBAN.has(cls) ? urbanVillageCum : villageCum, gridCumByVillage)
      seeds.push({ at, category, level, source, point, grid, alarm: null })
    }
  }
  seeds.sort((a, b) => a.at - b.at)
  return seeds
}

function placeCase(place: Place, rng: Random, placement: Placement, villageCum: number[], gridCumByVillage: number[][]): { point: [number, number], grid: number } {
  for (let attempt = 0; attempt < 12; attempt++) {
    const v = pickCumulative(rng, villageCum)
    const village = place.villages[v]!
    let point: [number, number]
    if (placement === 'road' && !place.roads.empty) {
      point = place.roads.sample(rng, 35).point
    }
    else if (placement === 'anywhere' || attempt > 8) {
      const g = place.villageGrids[v]![pickCumulative(rng, gridCumByVillage[v]!)]!
      point = place.locator.randomPointIn(rng, g)
    }
    else {
      point = jitter(rng, [village.center_lon, village.center_lat], village.kind === 'community' ? 350 : 260)
    }
    point = roundPoint(point)
    const grid = place.locator.locate(point[0], point[1])
    if (grid >= 0)
      return { point, grid }
  }
  const grid = rng.int(0, place.grids.length - 1)
  return { point: interiorPoint(place, rng, grid), grid }
}

/** A random point of grid `g` that stays inside it after rounding. */
function interiorPoint(place: Place, rng: Random, g: number): [number, number] {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = roundPoint(place.locator.randomPointIn(rng, g))
    if (place.locator.locate(p[0], p[1]) === g)
      return p
  }
  return roundPoint([place.grids[g]!.label_lon, place.grids[g]!.label_lat])
}

interface Step { from: CaseStatus | null, to: CaseStatus, at: number, actor: ActorRole }

const HANDLER: Record<ResolvedLevel, ActorRole> = { grid: 'grid_worker', village: 'village', township: 'township', county: 'county' }
const REPORTER: Record<CaseSource, ActorRole> = { app: 'resident', hotline: 'resident', walk_in: 'resident', grid_patrol: 'grid_worker', camera: 'system', iot: 'system', referral: 'county' }

/** The next moment the township's command office is staffed for non-urgent work (08:00–18:00 local). */
function officeTime(t: number): number {
  const { hour } = localParts(new Date(t))
  if (hour >= 8 && hour < 18)
    return t
  const dayStart = startOfLocalDay(new Date(t)).getTime()
  return hour < 8 ? dayStart + 8 * HOUR : dayStart + DAY + 8 * HOUR
}

function layOutCases(place: Place, seeds: CaseSeed[], workers: { name: string, phone: string }[], now: number, rng: Random): { cases: CaseRow[], events: CaseEventRow[], alarmCase: [number, number][] } {
  const cases: CaseRow[] = []
  const events: CaseEventRow[] = []
  const alarmCase: [number, number][] = []
  const dailySeq = new Map<string, number>()
  const townshipCode = place.geo.township.properties.code
  const sec = (t: number): number => Math.round(t / 1000) * 1000

  for (const seed of seeds) {
    const id = place.base + cases.length + 1
    const dateKey = localDateKey(new Date(seed.at))
    const seq = (dailySeq.get(dateKey) ?? 0) + 1
    dailySeq.set(dateKey, seq)
    const urgent = seed.level === 'urgent'
    const window = SLA_TIERS[seed.level].resolveHours * HOUR

    // The whole life of the case, then cut at `now`.
    const steps: Step[] = [{ from: null, to: 'reported', at: seed.at, actor: REPORTER[seed.source] }]
    let resolved: ResolvedLevel | null = null
    let overdue = false
    const cancelled = seed.source !== 'iot' && rng.chance(CALIBRATION.cancelledRate)
    if (cancelled) {
      steps.push({ from: 'reported', to: 'cancelled', at: sec(officeTime(seed.at) + rng.exponential(90 * MINUTE) + MINUTE), actor: 'dispatcher' })
    }
    else {
      const accepted = sec(urgent ? seed.at + (2 + rng.exponential(8)) * MINUTE : officeTime(seed.at + MINUTE) + rng.exponential(40 * MINUTE))
      const dispatched = sec(accepted + (urgent ? rng.exponential(5) + 1 : rng.exponential(35) + 2) * MINUTE)
      const r = rng.next()
      const above = CALIBRATION.aboveVillageRate[seed.level]
      resolved = r < above * 0.85 ? 'township' : r < above ? 'county' : rng.chance(0.6) ? 'grid' : 'village'
      overdue = rng.chance(CALIBRATION.overdueRate[seed.level])
      // Duration from dispatch to closing as a share of the SLA window: most cases close well within
      // it (median about a quarter), the overdue ones run 1–2 windows.
      const share = overdue ? 1 + Math.min(rng.exponential(0.35), 1.5) + 0.01 : clamp(Math.exp(rng.normal(Math.log(0.25), 0.6)), 0.03, 0.97)
      const total = share * window
      const processing = sec(dispatched + Math.min(urgent ? rng.exponential(10) * MINUTE + MINUTE : rng.exponential(3 * HOUR) + 5 * MINUTE, total * 0.3))
      const closed = sec(dispatched + total)
      const handler = HANDLER[resolved]
      steps.push({ from: 'reported', to: 'accepted', at: accepted, actor: 'dispatcher' })
      steps.push({ from: 'accepted', to: 'dispatched', at: dispatched, actor: 'dispatcher' })
      steps.push({ from: 'dispatched', to: 'processing', at: processing, actor: handler })
      if (rng.chance(0.04)) {
        // 核查不通过: returned for rework once.
        const first = sec(processing + (closed - processing) * 0.45)
        const back = sec(processing + (closed - processing) * 0.55)
        steps.push({ from: 'processing', to: 'fed_back', at: first, actor: handler })
        steps.push({ from: 'fed_back', to: 'processing', at: back, actor: 'dispatcher' })
        steps.push({ from: 'processing', to: 'fed_back', at: sec(processing + (closed - processing) * 0.85), actor: handler })
      }
      else {
        steps.push({ from: 'processing', to: 'fed_back', at: sec(processing + (closed - processing) * rng.range(0.7, 0.92)), actor: handler })
      }
      steps.push({ from: 'fed_back', to: 'closed', at: closed, actor: 'dispatcher' })
    }
    // Times must strictly increase even where rounding to the second collided.
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.at <= steps[i - 1]!.at)
        steps[i]!.at = steps[i - 1]!.at + 1000
    }

    // Ratings: residents who reported (or were visited) rate after closing; overdue cases are rated worse.
    const closedStep = steps.find(s => s.to === 'closed')
    let rating: Rating | null = null
    let ratedAt: number | null = null
    const rates = seed.source === 'app' || seed.source === 'hotline' || seed.source === 'walk_in' ? 0.85 : seed.source === 'grid_patrol' ? 0.3 : 0
    if (closedStep && rng.chance(rates)) {
      const r = rng.next()
      const bad = overdue ? CALIBRATION.dissatisfiedRate.overdue : CALIBRATION.dissatisfiedRate.onTime
      rating = r < bad ? 'dissatisfied' : r < bad + 0.08 ? 'basically_satisfied' : 'satisfied'
      ratedAt = sec(closedStep.at + 10 * MINUTE + rng.exponential(18 * HOUR))
    }

    const kept = steps.filter(s => s.at <= now)
    const last = kept[kept.length - 1]!
    const timeOf = (to: CaseStatus): Date | null => {
      const s = kept.find(k => k.to === to)
      return s ? new Date(s.at) : null
    }
    const dispatchedAt = timeOf('dispatched')
    const closedAt = timeOf('closed') ?? timeOf('cancelled')
    const isRated = rating !== null && ratedAt !== null && ratedAt <= now && last.to === 'closed'
    const village = place.villages[place.gridVillage[seed.grid]!]!
    const resident = seed.source === 'app' || seed.source === 'hotline' || seed.source === 'walk_in'
    const worker = workers[seed.grid]!
    const cls = classOf(seed.category).code
    const phrase = rng.pick(PHRASES[cls] ?? PHRASES.default!)
    const address = rng.chance(0.7) ? householdAddress(rng, village.name) : `${village.name}${rng.int(1, 12)}组附近`
    cases.push({
      id,
      code: `${townshipCode}-${dateKey.slice(2)}-${String(seq).padStart(4, '0')}`,
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
      closed_at: closedAt,
      sla_deadline: dispatchedAt ? deadline(seed.level, dispatchedAt) : null,
      resolved_level: last.to === 'closed' ? resolved : null,
      rating: isRated ? rating : null,
      rated_at: isRated ? new Date(ratedAt!) : null,
      reporter_name: resident ? personName(rng) : seed.source === 'grid_patrol' ? worker.name : null,
      reporter_phone: resident ? mobilePhone(rng) : seed.source === 'grid_patrol' ? worker.phone : null,
      address,
      description: `${address}：${seed.category.name}。${phrase}`,
      updated_at: new Date(Math.max(last.at, isRated ? ratedAt! : 0)),
    })
    for (const s of kept) {
      events.push({
        id: place.base + events.length + 1,
        case_id: id,
        from_status: s.from,
        to_status: s.to,
        at: new Date(s.at),
        actor_role: s.actor,
        note: s.from === 'fed_back' && s.to === 'processing' ? '核查不通过，退回重办' : null,
        updated_at: new Date(s.at),
      })
    }
    if (seed.alarm !== null)
      alarmCase.push([seed.alarm, id])
  }
  return { cases, events, alarmCase }
}
