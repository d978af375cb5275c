import type { Overview, Ratio } from '#wire'
import { METRIC } from '../metrics.ts'

/** How a KPI's number is written: a count, or a share shown as a percentage. */
export type KpiKind = 'count' | 'percent'

/** Colour of a KPI: the calm default, or a warning when it needs the leaders' attention. */
export type KpiTone = 'calm' | 'good' | 'warn' | 'alarm'

export interface Kpi {
  /** i18n key under `wall.kpi`. */
  key: 'todayNew' | 'open' | 'overdue' | 'closedWithinSla' | 'settledAtVillage' | 'satisfaction' | 'camerasOnline' | 'workersOnDuty' | 'households' | 'residents'
  metric: string
  kind: KpiKind
  /** The raw value: a count, or a share 0–1 (null when there is nothing to divide). */
  value: number | null
  ratio?: Ratio
  /** i18n key under `wall.units`. */
  unit: 'cases' | 'people' | 'households' | 'percent'
  tone: KpiTone
  /** Shown under the label, e.g. the window of a rate (近30天). */
  window?: 'window30'
}

/** 在线率 = cameras not offline (online, or online and raising an alarm) over all active cameras. */
export function camerasOnlineRatio(cameras: Overview['cameras']): Ratio {
  const numerator = cameras.total - cameras.offline
  return { numerator, denominator: cameras.total, value: cameras.total > 0 ? numerator / cameras.total : null }
}

function rateTone(value: number | null, good: number, fair: number): KpiTone {
  if (value === null)
    return 'calm'
  return value >= good ? 'good' : value >= fair ? 'warn' : 'alarm'
}

/**
 * The overview's ten KPIs, in the order the strip shows them: the cases' flow first (new, open,
 * overdue, closed on time, settled in the village — 小事不出村), then how the township is served.
 * Party members are the party panel's (with their paired households), not repeated here.
 */
export function buildKpis(o: Overview): Kpi[] {
  const cameras = camerasOnlineRatio(o.cameras)
  return [
    { key: 'todayNew', metric: METRIC.todayNew, kind: 'count', value: o.todayNew, unit: 'cases', tone: 'calm' },
    { key: 'open', metric: METRIC.open, kind: 'count', value: o.open, unit: 'cases', tone: 'calm' },
    { key: 'overdue', metric: METRIC.overdue, kind: 'count', value: o.overdue, unit: 'cases', tone: o.overdue > 0 ? 'alarm' : 'good' },
    { key: 'closedWithinSla', metric: METRIC.closedWithinSla, kind: 'percent', value: o.closedWithinSla.value, ratio: o.closedWithinSla, unit: 'percent', tone: rateTone(o.closedWithinSla.value, 0.95, 0.85), window: 'window30' },
    { key: 'settledAtVillage', metric: METRIC.settledAtVillage, kind: 'percent', value: o.settledAtVillage.value, ratio: o.settledAtVillage, unit: 'percent', tone: rateTone(o.settledAtVillage.value, 0.8, 0.6), window: 'window30' },
    { key: 'satisfaction', metric: METRIC.satisfaction, kind: 'percent', value: o.satisfaction.value, ratio: o.satisfaction, unit: 'percent', tone: rateTone(o.satisfaction.value, 0.95, 0.85), window: 'window30' },
    { key: 'camerasOnline', metric: METRIC.camerasOnline, kind: 'percent', value: cameras.value, ratio: cameras, unit: 'percent', tone: rateTone(cameras.value, 0.95, 0.9) },
    { key: 'workersOnDuty', metric: METRIC.workersOnDuty, kind: 'count', value: o.workersOnDuty, unit: 'people', tone: 'calm' },
    { key: 'households', metric: METRIC.households, kind: 'count', value: o.households, unit: 'households', tone: 'calm' },
    { key: 'residents', metric: METRIC.residents, kind: 'count', value: o.residents, unit: 'people', tone: 'calm' },
  ]
}
