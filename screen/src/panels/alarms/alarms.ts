import type { AlarmPoint, Rankings } from '#wire'

/** The IoT alarm kinds the wall always shows (others are added when present). */
export const ALARM_KINDS = ['elderly_call', 'gas', 'smoke', 'water_level'] as const

/** Open alarms per kind: the four known kinds first (0 when none), then any other kind present. */
export function alarmKindCounts(byKind: Record<string, number>): { kind: string, count: number }[] {
  const known: string[] = [...ALARM_KINDS]
  const others = Object.keys(byKind).filter(k => !known.includes(k)).sort()
  return [...known, ...others].map(kind => ({ kind, count: byKind[kind] ?? 0 }))
}

export interface AlarmRow {
  id: number
  kind: string
  status: string
  raisedAt: string
  /** Where, at village and grid level only (a household device's position is a home). */
  place: string
}

/** The latest open alarms with their village and grid names (never an address). */
export function latestAlarms(alarms: readonly AlarmPoint[], rankings: Rankings | null, limit: number): AlarmRow[] {
  const villages = new Map(rankings?.villages.map(v => [v.id, v.name]) ?? [])
  const grids = new Map(rankings?.grids.map(g => [g.id, g.name]) ?? [])
  return alarms.slice(0, limit).map((a) => {
    const village = a.villageId === null ? null : villages.get(a.villageId) ?? null
    const grid = a.gridId === null ? null : grids.get(a.gridId) ?? null
    return { id: a.id, kind: a.kind, status: a.status, raisedAt: a.raisedAt, place: grid ?? village ?? '' }
  })
}
