import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { Random } from '../random.ts'
import type { AlarmKind } from '../rows.ts'

/**
 * The township's IoT alarms: which devices are installed, how often each kind goes off by season and
 * hour, how soon it is acknowledged and cleared, its readings, and how often it becomes a case.
 */

const MINUTE = 60_000

/** One kind of IoT alarm. */
export interface AlarmSpec {
  kind: AlarmKind
  perDevicePerYear: number
  /** Relative rate by month, January first. */
  season: number[]
  /** Relative rate by local hour. */
  hours: number[]
  /** Mean minutes to acknowledge, and then to clear. */
  ackMin: number
  clearMin: number
  /** Share of alarms that become a case, and of those the share that is urgent. */
  escalate: number
  urgent: number
  /** The case categories an escalated alarm files, with weights. */
  categories: [string, number][]
}

export const ALARMS: readonly AlarmSpec[] = [
  { kind: 'elderly_call', perDevicePerYear: 1.4, season: [1.3, 1.2, 1, 1, 0.9, 0.9, 1, 1, 0.9, 0.9, 1, 1.2], hours: [0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.5, 1.6, 1.5, 1.4, 1.3, 1.1, 1.1, 1.3, 1.4, 1.4, 1.3, 1.2, 1.2, 1, 0.8, 0.5, 0.4], ackMin: 3, clearMin: 25, escalate: 0.08, urgent: 0.5, categories: [['livelihood.elderly', 1]] },
  { kind: 'gas', perDevicePerYear: 0.2, season: [2, 1.8, 1.2, 0.8, 0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.2, 1.8], hours: [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 1.5, 1, 0.8, 1.2, 2.5, 2, 0.8, 0.6, 0.6, 1.2, 2.5, 2.5, 1.5, 0.8, 0.5, 0.3, 0.2], ackMin: 5, clearMin: 60, escalate: 0.3, urgent: 0.7, categories: [['safety.gas', 1]] },
  { kind: 'smoke', perDevicePerYear: 0.2, season: [2.0, 2.2, 1.8, 1.6, 0.8, 0.4, 0.3, 0.3, 0.5, 0.9, 1.3, 1.8], hours: [0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.8, 1, 1, 1, 1.1, 1.5, 1.3, 1, 1, 1, 1.2, 1.6, 1.8, 1.6, 1.3, 1, 0.7, 0.5], ackMin: 4, clearMin: 30, escalate: 0.25, urgent: 0.6, categories: [['safety.fire', 0.8], ['emergency.fire', 0.2]] },
  { kind: 'water_level', perDevicePerYear: 14, season: [0.2, 0.2, 0.4, 0.7, 1.3, 2.4, 2.8, 2.2, 1.2, 0.5, 0.3, 0.2], hours: Array.from({ length: 24 }, () => 1), ackMin: 15, clearMin: 8 * 60, escalate: 0.2, urgent: 0.4, categories: [['safety.flood', 0.8], ['emergency.flood', 0.2]] },
]

/** The spec of a kind. */
export function alarmSpec(kind: AlarmKind): AlarmSpec {
  return ALARMS.find(spec => spec.kind === kind)!
}

/**
 * Installed devices: call buttons for most elderly living alone, gas alarms in kitchens and
 * restaurants, smoke detectors, and a handful of water-level gauges on rivers and reservoirs.
 */
export function alarmDevices(township: { elderlyAlone: number, households: number, villages: number }): Record<AlarmKind, number> {
  return {
    elderly_call: Math.round(township.elderlyAlone * 0.7),
    gas: Math.round(township.households * 0.04),
    smoke: Math.round(township.households * 0.06),
    water_level: Math.max(2, Math.round(township.villages / 2)),
  }
}

/** A device's alarm threshold: a gauge's water level (m), the gas alarm's %LEL, the smoke detector's %/m. */
export function alarmThreshold(rng: Random, kind: AlarmKind): number | null {
  return kind === 'water_level' ? Math.round(rng.range(2.5, 6) * 10) / 10 : kind === 'gas' ? 20 : kind === 'smoke' ? 3 : null
}

/** The reading that raised an alarm (over its threshold); none for a call button. */
export function alarmValue(rng: Random, kind: AlarmKind, threshold: number | null): number | null {
  return kind === 'water_level'
    ? Math.round((threshold! + rng.exponential(0.4)) * 100) / 100
    : kind === 'gas' ? Math.round(rng.range(20, 60)) : kind === 'smoke' ? Math.round(rng.range(3, 12) * 10) / 10 : null
}

/** How long (ms, whole seconds) an alarm waits to be acknowledged, and then to be cleared. */
export function alarmDelays(rng: Random, kind: AlarmKind): { toAck: number, toClear: number } {
  const spec = alarmSpec(kind)
  const toAck = Math.round((rng.exponential(spec.ackMin) + 0.5) * MINUTE / 1000) * 1000
  const toClear = Math.round((rng.exponential(spec.clearMin) + 5) * MINUTE / 1000) * 1000
  return { toAck, toClear }
}

/** The case an alarm becomes (its category code and level), or null when it stays an alarm. */
export function escalation(rng: Random, kind: AlarmKind): { code: string, level: CaseLevel } | null {
  const spec = alarmSpec(kind)
  if (!rng.chance(spec.escalate))
    return null
  const code = rng.weighted(spec.categories.map(c => c[0]), spec.categories.map(c => c[1]))
  const level: CaseLevel = rng.chance(spec.urgent) ? 'urgent' : rng.chance(0.8) ? 'general' : 'serious'
  return { code, level }
}

/** Alarms a day of each kind from `devices`, in a month: the yearly rate spread by season. */
export function alarmsPerDay(devices: Record<AlarmKind, number>, month: number): Record<AlarmKind, number> {
  const perDay = (spec: AlarmSpec): number => {
    const meanSeason = spec.season.reduce((a, b) => a + b, 0) / 12
    return devices[spec.kind] * spec.perDevicePerYear / 365 * spec.season[month - 1]! / meanSeason
  }
  return Object.fromEntries(ALARMS.map(spec => [spec.kind, perDay(spec)])) as Record<AlarmKind, number>
}
