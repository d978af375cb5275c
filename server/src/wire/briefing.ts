import type { Ratio } from './views.ts'

/**
 * `GET /api/briefing?from=YYYY-MM-DD&to=YYYY-MM-DD`: the printable briefing of a period (whole local
 * days in the configured time zone) against the period of the same length just before it, computed
 * by the server from the contract's case history. No personal field: cases appear by code, category,
 * village and grid only.
 */

/** A period of whole local days; `end` is when its figures are current to (its last midnight, or now). */
export interface BriefingPeriod {
  /** First local day, `YYYY-MM-DD`. */
  from: string
  /** Last local day, `YYYY-MM-DD`. */
  to: string
  days: number
  /** Local midnight starting `from` (ISO-8601, UTC). */
  start: string
  /** Local midnight after `to`, or the moment of the request when the period runs to today. */
  end: string
}

/** A period's headline figures. */
export interface BriefingFigures {
  /** Cases reported in the period. */
  reported: number
  /** Of them 紧急 or 重大. */
  urgentOrMajor: number
  /** Cases closed (结案) in the period. */
  closed: number
  /** Closed in the period with `closed_at ≤ sla_deadline` / closed in the period with a deadline. */
  closedWithinSla: Ratio
  /** 小事不出村: closed in the period at grid or village level / closed with a `resolved_level`. */
  settledAtVillage: Ratio
  /** Ratings given in the period that are 满意 or 基本满意 / all ratings given in the period. */
  satisfaction: Ratio
  /** Cases open at the period's end. */
  open: number
  /** Of them past their SLA deadline at the period's end. */
  overdue: number
}

/** Cases reported on one local day. */
export interface BriefingDay {
  day: string
  count: number
}

/** A category (a top-level class, or a leaf with its class) with its cases in both periods. */
export interface BriefingCategory {
  code: string
  name: string
  nameEn: string | null
  /** The class a leaf belongs to (null for a class). */
  parent: string | null
  parentEn: string | null
  period: number
  previous: number
}

export interface BriefingVillage {
  code: string
  name: string
  period: number
  previous: number
  /** Open and past the deadline at the period's end. */
  overdue: number
}

/** One SLA tier (case level) over the period. */
export interface BriefingTier {
  level: 'general' | 'serious' | 'major' | 'urgent'
  /** Hours from dispatch to closing the tier allows. */
  resolveHours: number
  reported: number
  closedWithinSla: Ratio
  previousClosedWithinSla: Ratio
  open: number
  overdue: number
}

/** A case open and past its deadline at the period's end: no reporter, phone or address. */
export interface BriefingOverdueCase {
  code: string
  level: 'general' | 'serious' | 'major' | 'urgent'
  category: string
  categoryEn: string | null
  village: string | null
  grid: string | null
  reportedAt: string
  deadline: string
  /** Whole minutes past the deadline at the period's end. */
  lateMinutes: number
}

/** Cases reported in the period in one grid (the map's heat). */
export interface BriefingGrid {
  id: number
  code: string
  name: string
  village: string | null
  period: number
}

export interface Briefing {
  township: { code: string, name: string } | null
  timeZone: string
  generatedAt: string
  period: BriefingPeriod
  previous: BriefingPeriod
  figures: { period: BriefingFigures, previous: BriefingFigures }
  /** Every day of each period, zeros included. */
  daily: { period: BriefingDay[], previous: BriefingDay[] }
  /** Cases reported in each local hour of the day (0–23), summed over each period. */
  hourly: { period: number[], previous: number[] }
  /** Every top-level class, most cases in the period first. */
  categories: BriefingCategory[]
  /** The ten leaf categories with the most cases in the period. */
  subcategories: BriefingCategory[]
  /** Every active village, most cases in the period first. */
  villages: BriefingVillage[]
  sla: BriefingTier[]
  /** The cases overdue at the period's end, latest first (at most `BRIEFING_OVERDUE_LIMIT`); `total` counts all. */
  overdue: { total: number, cases: BriefingOverdueCase[] }
  /** Every active grid with its cases in the period. */
  grids: BriefingGrid[]
}

/** How many overdue cases a briefing lists (the count covers all). */
export const BRIEFING_OVERDUE_LIMIT = 60

/** The longest period a briefing covers, in days. */
export const BRIEFING_MAX_DAYS = 366
