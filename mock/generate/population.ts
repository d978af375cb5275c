import type { Random } from '../random.ts'
import type { GridPopulationRow, GridSpecialPopulationRow } from '../rows.ts'
import type { Place } from './place.ts'
import { CALIBRATION, SPECIAL_POPULATION_KINDS } from '../calibration.ts'
import { allocate, clamp } from './numbers.ts'

const DAY = 86_400_000

/**
 * `grid_population` and `grid_special_population`: households spread over the grids (communities
 * denser, villages of varied size), residents, non-local residents, and the special-population counts.
 * Also returns households by grid and the special counts by kind, which later tables draw on.
 */
export function generatePopulation(place: Place, now: number, rng: Random): { rows: GridPopulationRow[], specialRows: GridSpecialPopulationRow[], households: number[], special: Map<string, number[]> } {
  // Communities (the township seat) are denser than villages; villages vary in size.
  const villageWeight = place.villages.map(v => (v.kind === 'community' ? 2.2 : 1) * Math.exp(rng.normal(0, 0.35)))
  const gridWeight = place.grids.map((_, i) => {
    const v = place.gridVillage[i]!
    return (villageWeight[v]! / place.villageGrids[v]!.length) * rng.range(0.6, 1.4)
  })
  const total = Math.round(CALIBRATION.households * rng.range(0.97, 1.03))
  const households = allocate(total, gridWeight)
  const special = new Map<string, number[]>()
  const rows: GridPopulationRow[] = []
  const specialRows: GridSpecialPopulationRow[] = []
  const kinds = Object.entries(SPECIAL_POPULATION_KINDS)
  place.grids.forEach((grid, i) => {
    const h = households[i]!
    const residents = Math.round(h * clamp(rng.normal(CALIBRATION.residentsPerHousehold, 0.2), 2.8, 4.4))
    const community = place.villages[place.gridVillage[i]!]!.kind === 'community'
    const nonLocal = Math.round(residents * (community ? rng.range(0.12, 0.3) : rng.range(0.02, 0.09)))
    const updated = new Date(now - Math.round(rng.range(1, 90) * DAY))
    rows.push({ id: place.base + i + 1, grid_id: grid.id, households: h, residents, non_local_residents: nonLocal, updated_at: updated })
    kinds.forEach(([kind, { perThousand }], k) => {
      const count = rng.poisson((perThousand * residents) / 1000)
      let list = special.get(kind)
      if (!list) {
        list = []
        special.set(kind, list)
      }
      list.push(count)
      specialRows.push({ id: place.base + i * kinds.length + k + 1, grid_id: grid.id, kind, count, updated_at: updated })
    })
  })
  return { rows, specialRows, households, special }
}
