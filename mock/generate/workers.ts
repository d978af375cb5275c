import type { Random } from '../random.ts'
import type { GridWorkerRow } from '../rows.ts'
import type { Place } from './place.ts'
import { localParts, startOfLocalDay } from '../../server/src/domain/calendar.ts'
import { CALIBRATION, dutyChance } from '../calibration.ts'
import { mobilePhone, personName } from '../names.ts'
import { round6 } from '../spatial.ts'
import { interiorPoint } from './place.ts'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/**
 * `grid_workers`: one 网格员 per grid, on duty or not by the hour of `now`, last checked in inside their
 * grid; their names and phones also go on the grid's row. Returns them by grid for reports.
 */
export function generateWorkers(place: Place, now: number, rng: Random): { rows: GridWorkerRow[], byGrid: { name: string, phone: string }[] } {
  const local = localParts(new Date(now))
  const dayStart = startOfLocalDay(new Date(now)).getTime()
  const rows: GridWorkerRow[] = []
  const person = (gridIndex: number, role: GridWorkerRow['role'], id: number): GridWorkerRow => {
    const name = personName(rng)
    const phone = mobilePhone(rng)
    const status: GridWorkerRow['duty_status'] = rng.chance(CALIBRATION.onLeaveRate) ? 'on_leave' : rng.chance(dutyChance(local.hour)) ? 'on_duty' : 'off_duty'
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
