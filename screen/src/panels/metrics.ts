import type { Ratio } from '#wire'

/**
 * The wall's figure ids (`data-metric`), in one place so that the panels, the README's "Wall
 * metrics" table and the tests agree. Every figure on the wall carries its id and raw value.
 */

/** One figure as the DOM exposes it: id, raw value (and a ratio's parts), label and shown text. */
export interface MetricItem {
  id: string
  value: number | null
  label: string
  text: string
  numerator?: number
  denominator?: number
}

export const METRIC = {
  todayNew: 'overview.todayNew',
  open: 'overview.open',
  overdue: 'overview.overdue',
  closedWithinSla: 'overview.closedWithinSla',
  settledAtVillage: 'overview.settledAtVillage',
  satisfaction: 'overview.satisfaction',
  camerasOnline: 'overview.camerasOnline',
  workersOnDuty: 'overview.workersOnDuty',
  households: 'overview.households',
  residents: 'overview.residents',
  partyMembers: 'overview.partyMembers',
  hourly: (series: 'today' | 'yesterday', hour: number) => `trend.hourly.${series}.${hour}`,
  daily: (date: string) => `trend.daily.${date}`,
  category: (code: string) => `category.${code}.last30Days`,
  village: (code: string, field: 'last30Days' | 'overdue') => `village.${code}.${field}`,
  sla: (level: string, field: 'closedWithinSla' | 'open' | 'overdue') => `sla.${level}.${field}`,
  camerasVillage: (code: string, field: 'online' | 'total' | 'rate') => `cameras.village.${code}.${field}`,
  alarmsOpen: 'alarms.open',
  alarmKind: (kind: string) => `alarms.${kind}.open`,
  partyAveragePoints: 'party.averagePoints',
  partyBranches: 'party.branches',
  partyPairedHouseholds: 'party.pairedHouseholds',
  branchStars: (stars: string | number) => `party.branchStars.${stars}`,
} as const

/** The attributes a figure's element carries: `data-metric`, `data-value` and, for a ratio, its parts. */
export function metricAttrs(id: string, value: number | Ratio | null | undefined): Record<string, string | number> {
  if (value !== null && typeof value === 'object')
    return { 'data-metric': id, 'data-value': value.value ?? '', 'data-numerator': value.numerator, 'data-denominator': value.denominator }
  return { 'data-metric': id, 'data-value': value ?? '' }
}
