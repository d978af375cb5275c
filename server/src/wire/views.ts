/**
 * The views every screen receives: plain JSON of the township's figures. No personal data: no names,
 * phones or addresses of anyone (the wall path carries aggregates, case points and device states).
 * Windows: "today" is the configured local calendar day; "30 days" is today and the 29 days before it.
 * Produced by `server/src/metrics/views.ts`, consumed by the screen as types (`#wire`).
 */

/**
 * The eight kinds of special population (重点人群) a grid registers, in the 珙县 platform's order. The
 * contract's `kind` is extensible: a kind not listed here is shown by its code.
 */
export const SPECIAL_KINDS = [
  'community_correction',
  'drug_rehabilitation',
  'severe_mental_disorder',
  'released_prisoner',
  'key_petitioner',
  'elderly_alone',
  'left_behind_child',
  'disabled',
] as const

/** A share with its parts, so a screen can show "97.1 %" and an inspector can check 971/1000. */
export interface Ratio {
  numerator: number
  denominator: number
  /** numerator / denominator, or null when there is nothing to divide. */
  value: number | null
}

export interface Overview {
  /** ISO time the figures are current to. */
  asOf: string
  todayNew: number
  open: number
  overdue: number
  /** Cases closed in the last 30 days whose closing met their SLA deadline. */
  closedWithinSla: Ratio
  /** Cases closed in the last 30 days that were settled at grid or village level (小事不出村). */
  settledAtVillage: Ratio
  /** Ratings in the last 30 days that were 满意 or 基本满意. */
  satisfaction: Ratio
  cameras: { online: number, offline: number, alarm: number, total: number }
  workersOnDuty: number
  households: number
  residents: number
  nonLocalResidents: number
  /**
   * Special-population (重点人群) counts by kind, township totals; a count below
   * `specialPopulationMinCount` (but above 0) is null, shown as "<3" — never persons. A kind in
   * `specialPopulationWithheld` is null too: its exact total would give away the counts of the grids
   * shown "<3" (shown "—").
   */
  specialPopulation: Record<string, number | null>
  specialPopulationWithheld: string[]
  specialPopulationMinCount: number
  /** `pairedHouseholds`: households paired with an active party member (党员联户), summed. */
  party: { members: number, probationary: number, averagePoints: number | null, pairedHouseholds: number, branches: number, branchStars: Record<string, number> }
  alarms: { open: number, byKind: Record<string, number> }
}

export interface CategoryCount {
  id: number
  code: string
  name: string
  nameEn: string
  today: number
  last30Days: number
}

export interface Trends {
  asOf: string
  /** Cases reported in each local hour, today (hours not yet reached are null) and yesterday. */
  hourly: { today: (number | null)[], yesterday: number[] }
  /** Cases reported per local day, oldest first, 30 days ending today. */
  daily: { date: string, count: number }[]
  /** Cases by top-level category, most frequent over 30 days first. */
  categories: CategoryCount[]
}

export interface UnitRanking {
  id: number
  code: string
  name: string
  /** For grids: the village they belong to. */
  villageId?: number
  last30Days: number
  today: number
  open: number
  overdue: number
  /** Median minutes from report to acceptance, over cases reported in the last 30 days. */
  medianResponseMinutes: number | null
  camerasOnline?: number
  camerasTotal?: number
}

export interface Rankings {
  asOf: string
  /**
   * When a township, village or grid row was last written (ISO; null before any): a screen that drew
   * its geography before this time loads the boundaries again (an import redraws the wall).
   */
  boundariesAt: string | null
  villages: UnitRanking[]
  grids: UnitRanking[]
  /** Every grid's special-population counts, live (the map's 重点人群 layer and the grid card). */
  specialPopulation: GridSpecialPopulation
}

/**
 * Special-population (重点人群) counts of every active grid, compact (a frame carries them all): each
 * grid's counts in the order of `kinds`. A grid without a row for a kind counts 0 (the contract's view
 * aggregates persons, so no row means none); null: above 0 but below `minCount`, shown "<3" — never persons.
 */
export interface GridSpecialPopulation {
  minCount: number
  kinds: string[]
  /** Grid id → counts in `kinds` order (grids without any row are left out: all 0). */
  grids: Record<string, (number | null)[]>
}

export interface SlaTierView {
  level: string
  open: number
  overdue: number
  closed30Days: number
  closedWithinSla: Ratio
  /** Mean hours from dispatch to closing, cases closed in the last 30 days. */
  averageHandleHours: number | null
}

export interface SlaView {
  asOf: string
  tiers: SlaTierView[]
}

/** A case as the wall sees it: where, what, how urgent, how far along — never who. */
export interface CasePoint {
  id: number
  code: string
  categoryId: number
  category: string
  categoryEn: string
  level: string
  status: string
  source: string
  lon: number
  lat: number
  villageId: number | null
  village: string | null
  gridId: number | null
  grid: string | null
  reportedAt: string
  slaDeadline: string | null
  closedAt: string | null
}

export interface CameraPoint {
  id: number
  code: string
  name: string
  kind: string
  lon: number
  lat: number
  villageId: number | null
  gridId: number | null
  status: string
  lastHeartbeatAt: string | null
  hasStream: boolean
}

export interface AlarmPoint {
  id: number
  kind: string
  status: string
  raisedAt: string
  lon: number | null
  lat: number | null
  villageId: number | null
  gridId: number | null
  caseId: number | null
}

export interface AlarmsView {
  asOf: string
  alarms: AlarmPoint[]
}

export type HeatWindow = 'today' | '7d' | '30d'
/** Days in each heat window (today counts as one). */
export const HEAT_WINDOWS: Readonly<Record<HeatWindow, number>> = { 'today': 1, '7d': 7, '30d': 30 }

export interface HeatBins {
  window: HeatWindow
  /** The category filter (any level of the tree), or null for all. */
  categoryId: number | null
  /** Cell size in degrees; each cell is [west lon, south lat, count]. */
  cellDeg: number
  cells: [number, number, number][]
  max: number
  total: number
}

/** A heat cell's counts: [west lon, south lat, today, last 7 days, last 30 days] (all categories). */
export type HeatCellUpdate = [number, number, number, number, number]

/** Heat cells with their counts per window (the snapshot: every cell of 30 days; frames: the changed ones). */
export interface HeatCells {
  cellDeg: number
  cells: HeatCellUpdate[]
}
