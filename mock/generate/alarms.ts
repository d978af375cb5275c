import type { AlarmSpec } from '../calibration.ts'
import type { Random } from '../random.ts'
import type { IotAlarmRow } from '../rows.ts'
import type { Place } from './place.ts'
import type { CaseSeed } from './reports.ts'
import { localParts, startOfLocalDay } from '../../server/src/domain/calendar.ts'
import { categoryByCode } from '../../server/src/domain/categories.ts'
import { alarmDelays, alarmDevices, ALARMS, alarmThreshold, alarmValue, escalation } from '../calibration.ts'
import { householdAddress } from '../names.ts'
import { cumulative, pickCumulative } from '../random.ts'
import { round6, roundPoint } from '../spatial.ts'
import { allocate } from './numbers.ts'
import { interiorPoint } from './place.ts'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** An installed IoT device. */
interface Device { code: string, point: [number, number], grid: number, address: string | null, threshold: number | null }

/** Where the devices of a kind are: by households (a gauge along a road, by a river), each with its address and threshold. */
function installDevices(place: Place, spec: AlarmSpec, count: number, rng: Random): Device[] {
  const gridCum = cumulative(place.households.map(h => h + 0.01))
  return Array.from({ length: count }, (_, d) => {
    const grid = pickCumulative(rng, gridCum)
    const point = roundPoint(spec.kind === 'water_level' && !place.roads.empty ? place.roads.sample(rng, 25).point : place.locator.randomPointIn(rng, grid))
    const located = place.locator.locate(point[0], point[1])
    const g = located >= 0 ? located : grid
    const village = place.villages[place.gridVillage[g]!]!
    return {
      code: `IOT-${spec.kind.toUpperCase()}-${place.geo.township.properties.code}-${String(d + 1).padStart(4, '0')}`,
      point: located >= 0 ? point : interiorPoint(place, rng, g),
      grid: g,
      address: spec.kind === 'water_level' ? null : householdAddress(rng, village.name),
      threshold: alarmThreshold(rng, spec.kind),
    }
  })
}

/** An alarm's row as of `now`: acknowledged and cleared only where those moments have passed. */
function alarmRow(place: Place, spec: AlarmSpec, device: Device, id: number, times: { raised: number, ack: number, clear: number }, value: number | null, now: number): IotAlarmRow {
  const { raised, ack, clear } = times
  return {
    id,
    device_code: device.code,
    kind: spec.kind,
    status: clear <= now ? 'cleared' : ack <= now ? 'acknowledged' : 'active',
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
  }
}

/** A year of a kind's alarms from its devices, by season and hour; the ones that become cases add a case seed. */
function raiseAlarms(place: Place, spec: AlarmSpec, devices: Device[], year: { dayStart: number, now: number, scale: number }, rng: Random, out: { alarms: IotAlarmRow[], caseSeeds: CaseSeed[] }): void {
  const { dayStart, now } = year
  const expected = devices.length * spec.perDevicePerYear * year.scale
  const dayWeights = Array.from({ length: 365 }, (_, d) => spec.season[localParts(new Date(dayStart + d * DAY + 12 * HOUR)).month - 1]!)
  const dayCounts = allocate(Math.round(expected), dayWeights.map(w => w * rng.range(0.5, 1.5)))
  const hourCum = cumulative(spec.hours)
  dayCounts.forEach((n, d) => {
    for (let k = 0; k < n; k++) {
      const raised = dayStart + d * DAY + pickCumulative(rng, hourCum) * HOUR + Math.floor(rng.next() * HOUR / 1000) * 1000
      if (raised >= now)
        continue
      const device = rng.pick(devices)
      const { toAck, toClear } = alarmDelays(rng, spec.kind)
      const ack = raised + toAck
      const clear = ack + toClear
      const value = alarmValue(rng, spec.kind, device.threshold)
      const alarmIndex = out.alarms.length
      out.alarms.push(alarmRow(place, spec, device, place.base + alarmIndex + 1, { raised, ack, clear }, value, now))
      const filed = escalation(rng, spec.kind)
      if (filed)
        out.caseSeeds.push({ at: ack + 2 * MINUTE, category: categoryByCode(filed.code)!, level: filed.level, source: 'iot', point: device.point, grid: device.grid, alarm: alarmIndex })
    }
  })
}

/**
 * `iot_alarms`: a year of alarms from the township's devices, some of which became cases (returned as
 * case seeds linked to their alarm by index, so the case id can be filled in once cases are numbered).
 */
export function generateAlarms(place: Place, special: Map<string, number[]>, now: number, scale: number, rng: Random): { alarms: IotAlarmRow[], caseSeeds: CaseSeed[] } {
  const deviceCounts = alarmDevices({
    elderlyAlone: (special.get('elderly_alone') ?? []).reduce((a, b) => a + b, 0),
    households: place.households.reduce((a, b) => a + b, 0),
    villages: place.villages.length,
  })
  const year = { dayStart: startOfLocalDay(new Date(now)).getTime() - 364 * DAY, now, scale }
  const out = { alarms: [] as IotAlarmRow[], caseSeeds: [] as CaseSeed[] }
  for (const spec of ALARMS) {
    const devices = installDevices(place, spec, deviceCounts[spec.kind], rng)
    if (devices.length > 0)
      raiseAlarms(place, spec, devices, year, rng, out)
  }
  const { alarms, caseSeeds } = out
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
