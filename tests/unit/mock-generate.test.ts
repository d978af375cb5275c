import type { TownshipData } from '../../mock/rows.ts'
import { describe, expect, it } from 'vitest'
import { calibrationSummary } from '../../mock/calibration.ts'
import { allocate, CALIBRATION, generateTownshipData, ID_STRIDE } from '../../mock/generate.ts'
import { distanceMetres, pointInPolygon } from '../../mock/spatial.ts'
import { localParts } from '../../server/src/domain/calendar.ts'
import { CATEGORIES, categoryById, classOf } from '../../server/src/domain/categories.ts'
import { isLegalTransition } from '../../server/src/domain/lifecycle.ts'
import { deadline } from '../../server/src/domain/sla.ts'
import { fixtureGeography } from './fixtures/geography.ts'

const geo = fixtureGeography()
// A fixed moment (a June afternoon in China), so that every run sees the same year.
const now = new Date('2025-06-15T07:30:00Z')
const full = generateTownshipData(geo, { seed: 7, now })
const summary = calibrationSummary(full, now)

describe('generateTownshipData: determinism', () => {
  it('gives identical data for the same seed and now, different data for another seed', () => {
    const a = generateTownshipData(geo, { seed: 11, now, scale: 0.05 })
    const b = generateTownshipData(geo, { seed: 11, now, scale: 0.05 })
    const c = generateTownshipData(geo, { seed: 12, now, scale: 0.05 })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(JSON.stringify(a.cases)).not.toBe(JSON.stringify(c.cases))
    expect(JSON.stringify(a.cameras)).not.toBe(JSON.stringify(c.cameras))
  })

  it('offsets every id by the township index, so a county loads into one database', () => {
    const second = generateTownshipData(geo, { seed: 7, now, scale: 0.02, townshipIndex: 3 })
    expect(second.townships[0]!.id).toBe(4)
    for (const table of ['villages', 'grids', 'cases', 'case_events', 'cameras', 'party_members', 'iot_alarms'] as const) {
      for (const row of second[table]) {
        expect(row.id).toBeGreaterThan(3 * ID_STRIDE)
        expect(row.id).toBeLessThan(4 * ID_STRIDE)
      }
    }
  })
})

describe('generateTownshipData: calibration against published figures (FIELD.md)', () => {
  it('has ≈7,000 households (±5 %) and ≈25,000 residents plus non-local ones', () => {
    expect(summary.households).toBeGreaterThan(6650)
    expect(summary.households).toBeLessThan(7350)
    expect(summary.residents).toBeGreaterThan(22_000)
    expect(summary.residents).toBeLessThan(28_000)
    expect(summary.nonLocalResidents).toBeGreaterThan(500)
  })

  it('has ≈700 party members (±7 %), paired with every household', () => {
    expect(summary.partyMembers).toBeGreaterThan(650)
    expect(summary.partyMembers).toBeLessThan(765)
    expect(full.party_members.reduce((a, m) => a + m.paired_households, 0)).toBe(summary.households)
    for (const b of full.party_branches)
      expect(b.stars).toBeGreaterThanOrEqual(1)
  })

  it('has 1,000+ cameras, ≈95 % online', () => {
    expect(summary.cameras).toBeGreaterThanOrEqual(1000)
    expect(summary.cameras).toBeLessThan(1100)
    expect(summary.cameraOnlineRate).toBeGreaterThan(0.93)
    expect(summary.cameraOnlineRate).toBeLessThan(0.97)
  })

  it(`has a year of ≈${CALIBRATION.casesPerYear} cases: ≈97 % within SLA, ≈98.5 % at village level, ≈96 % satisfied`, () => {
    expect(summary.casesPerYear).toBeGreaterThan(CALIBRATION.casesPerYear * 0.95)
    expect(summary.casesPerYear).toBeLessThan(CALIBRATION.casesPerYear * 1.05)
    expect(summary.withinSlaRate).toBeGreaterThan(0.96)
    expect(summary.withinSlaRate).toBeLessThan(0.98)
    expect(summary.villageLevelRate).toBeGreaterThan(0.98)
    expect(summary.villageLevelRate).toBeLessThan(0.99)
    expect(summary.satisfactionRate).toBeGreaterThan(0.95)
    expect(summary.satisfactionRate).toBeLessThan(0.975)
  })

  it('leaves recent cases in progress and a few overdue', () => {
    expect(summary.openCases).toBeGreaterThan(100)
    expect(summary.openCases).toBeLessThan(1000)
    expect(summary.overdueCases).toBeGreaterThan(0)
    expect(summary.overdueCases).toBeLessThan(summary.openCases * 0.2)
    const open = full.cases.filter(c => c.status !== 'closed' && c.status !== 'cancelled')
    const dayAgo = now.getTime() - 86_400_000
    expect(open.filter(c => c.reported_at.getTime() > dayAgo).length).toBeGreaterThan(open.length * 0.2)
  })

  it('counts special populations per grid and kind, never persons', () => {
    expect(full.grid_special_population.length).toBe(full.grids.length * 8)
    for (const row of full.grid_special_population)
      expect(Object.keys(row).sort()).toEqual(['count', 'grid_id', 'id', 'kind', 'updated_at'])
  })
})

describe('generateTownshipData: consistency of cases and their events', () => {
  const byCase = new Map<number, TownshipData['case_events']>()
  for (const e of full.case_events) {
    const list = byCase.get(e.case_id) ?? []
    list.push(e)
    byCase.set(e.case_id, list)
  }

  // Checked row by row into a list of problems: one expect per row would take seconds.
  it('writes only legal transitions, at strictly increasing times, ending in the case status', () => {
    const problems: string[] = []
    for (const c of full.cases) {
      const events = byCase.get(c.id) ?? []
      if (events[0]?.from_status !== null || events[0]?.at.getTime() !== c.reported_at.getTime())
        problems.push(`${c.code}: does not start with its report`)
      events.forEach((e, i) => {
        if (!isLegalTransition(e.from_status, e.to_status))
          problems.push(`${c.code}: illegal ${e.from_status} → ${e.to_status}`)
        const before = events[i - 1]
        if (before && (e.from_status !== before.to_status || e.at <= before.at))
          problems.push(`${c.code}: event ${i} does not follow event ${i - 1}`)
        if (e.at > now)
          problems.push(`${c.code}: event in the future`)
      })
      const last = events[events.length - 1]
      if (last?.to_status !== c.status || c.updated_at < last.at)
        problems.push(`${c.code}: status ${c.status} is not its last event's`)
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  it('keeps the case row\'s times, deadline, level of settlement and rating consistent with its history', () => {
    const problems: string[] = []
    const same = (a: Date | null, b: Date | null): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null)
    for (const c of full.cases) {
      const events = byCase.get(c.id) ?? []
      const at = (to: string): Date | null => events.find(e => e.to_status === to)?.at ?? null
      if (!same(c.accepted_at, at('accepted')) || !same(c.dispatched_at, at('dispatched')) || !same(c.closed_at, at('closed') ?? at('cancelled')))
        problems.push(`${c.code}: times differ from its events`)
      if (!same(c.sla_deadline, c.dispatched_at ? deadline(c.level, c.dispatched_at) : null))
        problems.push(`${c.code}: wrong SLA deadline`)
      if ((c.resolved_level !== null) !== (c.status === 'closed'))
        problems.push(`${c.code}: resolved level without closing`)
      if (c.rating !== null && (!c.rated_at || !c.closed_at || c.rated_at < c.closed_at))
        problems.push(`${c.code}: rated before closing`)
      if (!c.code.startsWith(`${geo.township.properties.code}-`))
        problems.push(`${c.code}: code without the township`)
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(new Set(full.cases.map(c => c.code)).size).toBe(full.cases.length)
  })

  it('places every case, camera and alarm inside its grid, and its grid in its village', () => {
    const grids = new Map(full.grids.map(g => [g.id, g]))
    const problems: string[] = []
    for (const row of [...full.cases, ...full.cameras, ...full.iot_alarms]) {
      const grid = grids.get(row.grid_id!)
      if (!grid || !pointInPolygon(row.lon, row.lat, grid.boundary) || grid.village_id !== row.village_id)
        problems.push(`${row.id} at ${row.lon},${row.lat} is not in grid ${row.grid_id}`)
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  it('links escalated IoT alarms to real IoT cases', () => {
    const cases = new Map(full.cases.map(c => [c.id, c]))
    const linked = full.iot_alarms.filter(a => a.case_id !== null)
    expect(linked.length).toBeGreaterThan(0)
    for (const a of linked) {
      expect(cases.get(a.case_id!)?.source).toBe('iot')
      expect(cases.get(a.case_id!)!.reported_at.getTime()).toBeGreaterThan(a.raised_at.getTime())
    }
  })
})

describe('generateTownshipData: patterns a township would recognise', () => {
  const count = (filter: (c: TownshipData['cases'][number]) => boolean): number => full.cases.filter(filter).length
  const month = (c: { reported_at: Date }): number => localParts(c.reported_at).month

  it('peaks in the morning and afternoon and is quiet at night', () => {
    const perHour = Array.from({ length: 24 }, () => 0)
    for (const c of full.cases)
      perHour[localParts(c.reported_at).hour]!++
    const at = (hours: number[]): number => hours.reduce((a, h) => a + perHour[h]!, 0) / hours.length
    expect(at([9, 10])).toBeGreaterThan(8 * at([1, 2, 3, 4]))
    expect(at([15, 16])).toBeGreaterThan(1.5 * at([12, 13]))
  })

  it('is busier on weekdays than at weekends', () => {
    const perWeekday = Array.from({ length: 7 }, () => 0)
    for (const c of full.cases)
      perWeekday[localParts(c.reported_at).weekday]!++
    const weekday = (perWeekday[1]! + perWeekday[2]! + perWeekday[3]! + perWeekday[4]!) / 4
    expect(weekday).toBeGreaterThan(1.25 * perWeekday[0]!)
  })

  it('brings flood hazards in summer and fire risk in winter–spring', () => {
    const share = (code: string, months: number[]): number => {
      const inMonths = full.cases.filter(c => months.includes(month(c)))
      return inMonths.filter(c => categoryById(c.category_id)!.code === code).length / inMonths.length
    }
    expect(share('safety.flood', [6, 7, 8])).toBeGreaterThan(4 * share('safety.flood', [12, 1, 2]))
    expect(share('safety.fire', [12, 1, 2])).toBeGreaterThan(3 * share('safety.fire', [6, 7, 8]))
    const disputes = count(c => classOf(categoryById(c.category_id)!).code === 'dispute')
    expect(disputes / full.cases.length).toBeGreaterThan(0.08)
  })

  it('clusters cases and cameras near village centres and the township seat', () => {
    const centres = full.villages.map(v => [v.center_lon, v.center_lat])
    const nearest = (p: number[]): number => Math.min(...centres.map(c => distanceMetres(c, p)))
    const sample = full.cases.filter((_, i) => i % 50 === 0)
    const caseMedian = median(sample.map(c => nearest([c.lon, c.lat])))
    // The median distance of a uniform point of the fixture's 3 km villages to their centre is ≈900 m.
    expect(caseMedian).toBeLessThan(600)
    const near = full.cameras.filter(c => nearest([c.lon, c.lat]) < 600).length
    expect(near / full.cameras.length).toBeGreaterThan(0.5)
  })

  it('loads the default category tree', () => {
    expect(full.case_categories.map(c => c.code)).toEqual(CATEGORIES.map(c => c.code))
  })
})

describe('allocate', () => {
  it('splits a total exactly, in proportion', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3])
    expect(allocate(7000, [0.2, 0.5, 0.3]).reduce((a, b) => a + b, 0)).toBe(7000)
    expect(allocate(5, [0, 0])).toEqual([0, 0])
  })
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

describe('generateTownshipData on the geography generator\'s township', () => {
  it('places everything inside the generated grids of 东岳观镇 (seed 7)', async () => {
    const { generateGeography } = await import('../../mock/geo/index.ts')
    const real = generateGeography({ seed: 7 })
    const d = generateTownshipData(real, { seed: 7, now, scale: 0.1 })
    const grids = new Map(d.grids.map(g => [g.id, g]))
    const outside = [...d.cases, ...d.cameras, ...d.iot_alarms].filter((row) => {
      const grid = grids.get(row.grid_id!)
      return !grid || !pointInPolygon(row.lon, row.lat, grid.boundary) || grid.village_id !== row.village_id
    })
    expect(outside.slice(0, 5)).toEqual([])
    expect(new Set(d.cases.map(c => c.village_id)).size).toBe(d.villages.length)
  })
})
