import type { TownshipData } from '../rows.ts'

/** The figures of a generated township (or county) that FIELD.md's published figures calibrate. */
export interface CalibrationSummary {
  townships: number
  villages: number
  grids: number
  households: number
  residents: number
  nonLocalResidents: number
  partyMembers: number
  cameras: number
  /** Share of cameras not offline (在线率). */
  cameraOnlineRate: number
  /** Cases reported in the year before `now`. */
  casesPerYear: number
  /** Share of closed cases closed by their SLA deadline. */
  withinSlaRate: number
  /** Share of closed cases settled at grid or village level (小事不出村). */
  villageLevelRate: number
  /** 满意 + 基本满意 among rated cases. */
  satisfactionRate: number
  /** Share of closed cases that were rated. */
  ratedRate: number
  openCases: number
  overdueCases: number
  cancelledCases: number
  caseEvents: number
  iotAlarms: number
}

const YEAR = 365 * 86_400_000

/** Accumulates calibration figures township by township, so a county need not sit in memory at once. */
export interface CalibrationTally {
  add: (data: TownshipData) => void
  summary: () => CalibrationSummary
}

/** Starts a tally of calibration figures as of `now`. */
export function createCalibrationTally(now: Date): CalibrationTally {
  const s: CalibrationSummary = { townships: 0, villages: 0, grids: 0, households: 0, residents: 0, nonLocalResidents: 0, partyMembers: 0, cameras: 0, cameraOnlineRate: 0, casesPerYear: 0, withinSlaRate: 0, villageLevelRate: 0, satisfactionRate: 0, ratedRate: 0, openCases: 0, overdueCases: 0, cancelledCases: 0, caseEvents: 0, iotAlarms: 0 }
  let online = 0
  let closed = 0
  let withinSla = 0
  let villageLevel = 0
  let rated = 0
  let satisfied = 0
  const t = now.getTime()
  const add = (d: TownshipData): void => {
    s.townships += d.townships.length
    s.villages += d.villages.length
    s.grids += d.grids.length
    for (const p of d.grid_population) {
      s.households += p.households
      s.residents += p.residents
      s.nonLocalResidents += p.non_local_residents
    }
    s.partyMembers += d.party_members.length
    s.cameras += d.cameras.length
    online += d.cameras.filter(c => c.status !== 'offline').length
    s.caseEvents += d.case_events.length
    s.iotAlarms += d.iot_alarms.length
    for (const c of d.cases) {
      if (c.reported_at.getTime() > t - YEAR)
        s.casesPerYear++
      if (c.status === 'cancelled') {
        s.cancelledCases++
        continue
      }
      if (c.status !== 'closed') {
        s.openCases++
        if (c.sla_deadline && c.sla_deadline.getTime() < t)
          s.overdueCases++
        continue
      }
      closed++
      if (c.closed_at && c.sla_deadline && c.closed_at <= c.sla_deadline)
        withinSla++
      if (c.resolved_level === 'grid' || c.resolved_level === 'village')
        villageLevel++
      if (c.rating) {
        rated++
        if (c.rating !== 'dissatisfied')
          satisfied++
      }
    }
  }
  const summary = (): CalibrationSummary => ({
    ...s,
    cameraOnlineRate: s.cameras ? online / s.cameras : 0,
    withinSlaRate: closed ? withinSla / closed : 0,
    villageLevelRate: closed ? villageLevel / closed : 0,
    satisfactionRate: rated ? satisfied / rated : 0,
    ratedRate: closed ? rated / closed : 0,
  })
  return { add, summary }
}

/** Computes the calibration figures of one or more townships' data as of `now`. */
export function calibrationSummary(data: TownshipData | readonly TownshipData[], now: Date): CalibrationSummary {
  const tally = createCalibrationTally(now)
  for (const d of Array.isArray(data) ? data as readonly TownshipData[] : [data as TownshipData])
    tally.add(d)
  return tally.summary()
}
