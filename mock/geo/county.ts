import type { Position } from 'geojson'
import type { Geography } from './types.ts'
import { createRandom } from '../random.ts'
import { COUNTIES, TOWNSHIPS } from './divisions.ts'
import { generateGeography } from './township.ts'

/** Twenty townships of one county, side by side, for benchmarks at county scale. */
export interface CountyGeography {
  /** 6-digit county code. */
  code: string
  /** Province, prefecture and county, e.g. "湖南省张家界市慈利县". */
  name: string
  townships: Geography[]
}

/** Tile size in degrees (~30 km × 30 km): a township of at most ~135 km² with its lobes fits in one. */
const TILE_LON = 0.31
const TILE_LAT = 0.27
const COLUMNS = 5

/**
 * Generates `count` (default 20) townships of a seed county (default 慈利县 430821: real township codes
 * and names, synthetic villages except where the seed data has real ones, synthetic codes and names
 * once the county's list runs out) on a 5-column grid of tiles around the county centre. Each township is an
 * ordinary {@link generateGeography} result with its own seed, centred in its own tile; one whose
 * bounding box leaves its tile is generated again with the next seed, so townships never overlap.
 * Between tiles there is a gap rather than shared borders (enough for load tests, not a map).
 */
export function generateCountyGeography(seed: number, count = 20, county = '430821'): CountyGeography {
  const info = COUNTIES[county]
  if (!info)
    throw new Error(`unknown county ${county}`)
  const codes = Object.keys(TOWNSHIPS).filter(c => c.startsWith(county)).sort()
  // Counties listing fewer townships than asked for get synthetic 镇 codes (1xx) not in the list.
  for (let digits = 100; codes.length < count && digits < 200; digits++) {
    const code = `${county}${digits}`
    if (!TOWNSHIPS[code])
      codes.push(code)
  }
  const random = createRandom(seed)
  const rows = Math.ceil(count / COLUMNS)
  const townships = codes.slice(0, count).map((township, k) => {
    const col = k % COLUMNS
    const row = Math.floor(k / COLUMNS)
    const center: [number, number] = [
      info.center[0] + (col - (COLUMNS - 1) / 2) * TILE_LON,
      info.center[1] + ((rows - 1) / 2 - row) * TILE_LAT,
    ]
    for (let attempt = 0; attempt < 8; attempt++) {
      const geo = generateGeography({ seed: random.int(0, 2 ** 31 - 1), township, center })
      const [minLon, minLat, maxLon, maxLat] = bbox(geo.township.geometry.coordinates[0]!)
      if (minLon > center[0] - TILE_LON / 2 && maxLon < center[0] + TILE_LON / 2 && minLat > center[1] - TILE_LAT / 2 && maxLat < center[1] + TILE_LAT / 2)
        return geo
    }
    throw new Error(`township ${township} does not fit its tile`)
  })
  return { code: county, name: info.name, townships }
}

function bbox(ring: readonly Position[]): [number, number, number, number] {
  let minLon = Infinity
  let minLat = Infinity
  let maxLon = -Infinity
  let maxLat = -Infinity
  for (const [lon, lat] of ring as [number, number][]) {
    minLon = Math.min(minLon, lon)
    maxLon = Math.max(maxLon, lon)
    minLat = Math.min(minLat, lat)
    maxLat = Math.max(maxLat, lat)
  }
  return [minLon, minLat, maxLon, maxLat]
}
