import type { CategoryNode } from '../../server/src/domain/categories.ts'
import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { Random } from '../random.ts'
import type { CaseSource } from '../rows.ts'
import type { Place } from './place.ts'
import { daysFromSpringFestival, localParts, startOfLocalDay } from '../../server/src/domain/calendar.ts'
import { classOf, leafCategories } from '../../server/src/domain/categories.ts'
import { CALIBRATION, categoryWeight, dayVolume, HOURLY, HOURLY_FLAT, monthVolume, pickLevel, reportSource } from '../calibration.ts'
import { cumulative, pickCumulative } from '../random.ts'
import { jitter, roundPoint } from '../spatial.ts'
import { interiorPoint, villageHouseholds } from './place.ts'

const HOUR = 3_600_000
const DAY = 86_400_000

/** A case before its lifecycle is laid out. */
export interface CaseSeed {
  at: number
  category: CategoryNode
  level: CaseLevel
  source: CaseSource
  point: [number, number]
  grid: number
  alarm: number | null
}

type Placement = 'centre' | 'road' | 'anywhere'
const PLACEMENTS: Placement[] = ['centre', 'road', 'anywhere']
const PLACEMENT_MIX: Record<string, number[]> = {
  traffic: [0.15, 0.8, 0.05],
  street_order: [0.7, 0.25, 0.05],
  city_appearance: [0.7, 0.25, 0.05],
  advertising: [0.7, 0.25, 0.05],
  default: [0.5, 0.3, 0.2],
  // Hazards of fields, hills and rivers are spread over the land.
  remote: [0.2, 0.2, 0.6],
}
const REMOTE = new Set(['safety.flood', 'safety.geological', 'emergency.flood', 'environment.river', 'environment.straw_burning', 'environment.livestock', 'dispute.land', 'safety.drowning'])
// Classes that gather at the township seat's market street.
const URBAN = new Set(['street_order', 'city_appearance', 'advertising'])

/** A day of the year: its start, its relative volume of cases, and its categories' running weights. */
interface Day { start: number, weight: number, cum: number[] }

/** The year's days ending today, each with its volume and category mix. */
function yearDays(now: number, leaves: readonly CategoryNode[]): Day[] {
  const firstDay = startOfLocalDay(new Date(now)).getTime() - 364 * DAY
  const volumes = new Map<number, number>()
  const volume = (month: number): number => volumes.get(month) ?? volumes.set(month, monthVolume(month)).get(month)!
  const days: Day[] = []
  for (let d = 0; d < 365; d++) {
    const start = firstDay + d * DAY
    const noon = new Date(start + 12 * HOUR)
    const sf = daysFromSpringFestival(noon)
    const { month } = localParts(noon)
    days.push({ start, weight: dayVolume(noon, sf, volume), cum: cumulative(leaves.map(c => categoryWeight(c, month, sf))) })
  }
  return days
}

/** Where cases of a township gather: villages by households (the seat more for urban classes), grids by households. */
function caseGeography(place: Place): { villageCum: number[], urbanVillageCum: number[], gridCumByVillage: number[][] } {
  const households = place.villages.map((_, v) => villageHouseholds(place, v))
  return {
    villageCum: cumulative(households.map(h => h ** 0.9 + 1)),
    urbanVillageCum: cumulative(households.map((h, v) => (h ** 0.9 + 1) * (place.villages[v]!.kind === 'community' ? 3 : 1))),
    gridCumByVillage: place.villageGrids.map(gs => cumulative(gs.map(g => (place.households[g] ?? 0) + 1))),
  }
}

/**
 * A year of case reports ending at `now` (plus the IoT alarms' cases): how many a day by the
 * township's rhythm, of which category, level and source, at what hour, and where.
 */
export function generateCaseSeeds(place: Place, now: number, scale: number, rng: Random, iotSeeds: CaseSeed[]): CaseSeed[] {
  const leaves = leafCategories()
  const total = Math.max(0, CALIBRATION.casesPerYear * scale - iotSeeds.length)
  const days = yearDays(now, leaves)
  const dayTotal = days.reduce((a, d) => a + d.weight, 0)
  const hourCum = cumulative(HOURLY)
  const hourFlatCum = cumulative(HOURLY_FLAT)
  const where = caseGeography(place)
  const seeds: CaseSeed[] = iotSeeds.filter(s => s.at < now)
  for (const day of days) {
    const n = rng.poisson((total * day.weight) / dayTotal)
    for (let k = 0; k < n; k++) {
      const category = leaves[pickCumulative(rng, day.cum)]!
      const cls = classOf(category).code
      const level = pickLevel(rng, category)
      const flat = cls === 'emergency' || level === 'urgent'
      const hour = pickCumulative(rng, flat ? hourFlatCum : hourCum)
      const at = day.start + hour * HOUR + Math.floor(rng.next() * 3600) * 1000
      if (at >= now)
        continue
      const source = reportSource(rng, cls, hour)
      const mix = REMOTE.has(category.code) ? PLACEMENT_MIX.remote! : PLACEMENT_MIX[cls] ?? PLACEMENT_MIX.default!
      const { point, grid } = placeCase(place, rng, rng.weighted(PLACEMENTS, mix), URBAN.has(cls) ? where.urbanVillageCum : where.villageCum, where.gridCumByVillage)
      seeds.push({ at, category, level, source, point, grid, alarm: null })
    }
  }
  seeds.sort((a, b) => a.at - b.at)
  return seeds
}

function placeCase(place: Place, rng: Random, placement: Placement, villageCum: number[], gridCumByVillage: number[][]): { point: [number, number], grid: number } {
  for (let attempt = 0; attempt < 12; attempt++) {
    const v = pickCumulative(rng, villageCum)
    const village = place.villages[v]!
    let point: [number, number]
    if (placement === 'road' && !place.roads.empty) {
      point = place.roads.sample(rng, 35).point
    }
    else if (placement === 'anywhere' || attempt > 8) {
      const g = place.villageGrids[v]![pickCumulative(rng, gridCumByVillage[v]!)]!
      point = place.locator.randomPointIn(rng, g)
    }
    else {
      point = jitter(rng, [village.center_lon, village.center_lat], village.kind === 'community' ? 350 : 260)
    }
    point = roundPoint(point)
    const grid = place.locator.locate(point[0], point[1])
    if (grid >= 0)
      return { point, grid }
  }
  const grid = rng.int(0, place.grids.length - 1)
  return { point: interiorPoint(place, rng, grid), grid }
}
