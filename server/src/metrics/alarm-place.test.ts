import type { AlarmRow } from '../contract/rows.ts'
import { describe, expect, it } from 'vitest'
import { MetricsEngine } from './engine.ts'
import { openAlarms } from './views.ts'

const NOW = Date.parse('2026-11-30T02:00:00Z')
/** A home's exact place (inside grid 1, far from its label point and from any 0.01° cell centre). */
const HOME = { lat: 29.3512347, lon: 111.0598763 }

function engineWith(alarms: Omit<AlarmRow, 'device_code' | 'status' | 'raised_at' | 'cleared_at' | 'village_id' | 'case_id'>[]): MetricsEngine {
  const engine = new MetricsEngine(NOW)
  engine.apply({ table: 'grids', op: 'upsert', row: { id: 1, village_id: 1, code: 'G1', name: '杨柳村第1网格', label_lat: 29.3401, label_lon: 111.0402, active: true } })
  for (const a of alarms)
    engine.apply({ table: 'iot_alarms', op: 'upsert', row: { ...a, device_code: `DEV-${a.id}`, status: 'active', raised_at: NOW - a.id * 60_000, cleared_at: null, village_id: 1, case_id: null } })
  return engine
}

const placeOf = (engine: MetricsEngine, id: number) => {
  const alarm = openAlarms(engine).alarms.find(a => a.id === id)!
  return { lat: alarm.lat, lon: alarm.lon }
}

describe('where the wall draws an alarm', () => {
  it('draws a water-level gauge (a device in the open) where it stands', () => {
    const engine = engineWith([{ id: 1, kind: 'water_level', ...HOME, grid_id: 1 }])
    expect(placeOf(engine, 1)).toEqual(HOME)
  })

  it('draws a household alarm at its grid\'s label point, or at the centre of its ≈ 1 km cell without a grid', () => {
    const engine = engineWith([{ id: 1, kind: 'gas', ...HOME, grid_id: 1 }, { id: 2, kind: 'elderly_call', ...HOME, grid_id: null }])
    expect(placeOf(engine, 1)).toEqual({ lat: 29.3401, lon: 111.0402 })
    expect(placeOf(engine, 2)).toEqual({ lat: 29.355, lon: 111.055 })
  })

  it('treats a kind it does not know (one a deployment added) as a household\'s: never at the home', () => {
    const engine = engineWith([{ id: 1, kind: 'co_leak', ...HOME, grid_id: 1 }, { id: 2, kind: 'fall_detected', ...HOME, grid_id: null }])
    expect(placeOf(engine, 1)).toEqual({ lat: 29.3401, lon: 111.0402 })
    expect(placeOf(engine, 2)).toEqual({ lat: 29.355, lon: 111.055 })
    expect(JSON.stringify(openAlarms(engine))).not.toMatch(/29\.3512347|111\.0598763/)
  })
})
