import type { Feature, Polygon } from 'geojson'
import type { Geography, VillageProps } from '../geo/types.ts'
import type { Random } from '../random.ts'
import type { CaseCategoryRow, GridRow, TownshipRow, VillageRow } from '../rows.ts'
import { startOfLocalDay } from '../../server/src/domain/calendar.ts'
import { CATEGORIES } from '../../server/src/domain/categories.ts'
import { PolygonLocator, RoadSampler, round6, roadJunctions, roundPoint } from '../spatial.ts'

/** Ids of one township's rows lie in `[index × ID_STRIDE + 1, (index + 1) × ID_STRIDE)`. */
export const ID_STRIDE = 10_000_000

const DAY = 86_400_000

/** What the generator knows of the place, shared by every table it generates. */
export interface Place {
  geo: Geography
  base: number
  townshipId: number
  villages: VillageRow[]
  grids: GridRow[]
  gridVillage: number[]
  villageGrids: number[][]
  /** Households by grid (filled in by the population). */
  households: number[]
  locator: PolygonLocator
  roads: RoadSampler
  junctions: [number, number][]
  seat: [number, number]
}

/** The villages and grids as rows, and the indexes that place points in them. */
export function buildPlace(geo: Geography, index: number, now: number, rng: Random): Place {
  const base = index * ID_STRIDE
  const townshipId = index + 1
  const registryTime = (): Date => new Date(now - Math.round(rng.range(30, 400) * DAY))
  const villageIndex = new Map<string, number>()
  const villages: VillageRow[] = geo.villages.features.map((f: Feature<Polygon, VillageProps>, i) => {
    villageIndex.set(f.properties.code, i)
    return {
      id: base + i + 1,
      township_id: townshipId,
      code: f.properties.code,
      name: f.properties.name,
      kind: f.properties.kind,
      center_lat: round6(f.properties.center[1]),
      center_lon: round6(f.properties.center[0]),
      area_km2: Math.round(f.properties.areaKm2 * 1000) / 1000,
      boundary: f.geometry,
      active: true,
      updated_at: registryTime(),
    }
  })
  const villageGrids: number[][] = villages.map(() => [])
  const gridVillage: number[] = []
  const grids: GridRow[] = geo.grids.features.map((f, i) => {
    const v = villageIndex.get(f.properties.villageCode)
    if (v === undefined)
      throw new Error(`grid ${f.properties.code} names an unknown village ${f.properties.villageCode}`)
    villageGrids[v]!.push(i)
    gridVillage.push(v)
    return {
      id: base + i + 1,
      village_id: villages[v]!.id,
      code: f.properties.code,
      name: f.properties.name,
      boundary: f.geometry,
      label_lat: round6(f.properties.labelPoint[1]),
      label_lon: round6(f.properties.labelPoint[0]),
      area_km2: Math.round(f.properties.areaKm2 * 1000) / 1000,
      worker_name: '',
      worker_phone: '',
      active: true,
      updated_at: registryTime(),
    }
  })
  const kindWeight = { county: 3, township: 2, village: 1 }
  const roadLines = geo.roads.features.map(f => f.geometry)
  return {
    geo,
    base,
    townshipId,
    villages,
    grids,
    gridVillage,
    villageGrids,
    households: [],
    locator: new PolygonLocator(geo.grids.features.map(f => f.geometry)),
    roads: new RoadSampler(roadLines, geo.roads.features.map(f => kindWeight[f.properties.kind])),
    junctions: roadJunctions(roadLines),
    seat: geo.township.properties.seat,
  }
}

/** The households of village `v` (the sum of its grids'). */
export function villageHouseholds(place: Place, v: number): number {
  return place.villageGrids[v]!.reduce((a, g) => a + (place.households[g] ?? 0), 0)
}

/** A random point of grid `g` that stays inside it after rounding. */
export function interiorPoint(place: Place, rng: Random, g: number): [number, number] {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = roundPoint(place.locator.randomPointIn(rng, g))
    if (place.locator.locate(p[0], p[1]) === g)
      return p
  }
  return roundPoint([place.grids[g]!.label_lon, place.grids[g]!.label_lat])
}

/** The township's row. */
export function townshipRow(place: Place, now: number): TownshipRow {
  const p = place.geo.township.properties
  return {
    id: place.townshipId,
    code: p.code,
    name: p.name,
    county_code: p.code.slice(0, 6),
    county_name: p.county,
    seat_lat: round6(p.seat[1]),
    seat_lon: round6(p.seat[0]),
    boundary: place.geo.township.geometry,
    active: true,
    updated_at: new Date(startOfLocalDay(new Date(now)).getTime() - 400 * DAY),
  }
}

/** The default category tree as `case_categories` rows (the same in every township of a county). */
export function categoryRows(now: Date): CaseCategoryRow[] {
  // A fixed moment well before the year of cases, the same for every township.
  const updated = new Date(startOfLocalDay(now).getTime() - 400 * DAY)
  return CATEGORIES.map(c => ({ id: c.id, parent_id: c.parentId, code: c.code, name: c.name, name_en: c.nameEn, active: true, updated_at: updated }))
}
