import { MIN_TEXT_PX } from '../layout/profiles.ts'
import { METRES_PER_DEGREE, metresPerDegreeLon } from './geometry.ts'

/**
 * Decluttering many markers (no Cesium): markers are grouped by square geographic cells whose size
 * follows the camera's height, in a few fixed levels, so that groups are computed once per level
 * (not per frame) and stay put while the camera orbits.
 */

export interface ClusterInput {
  id: number
  lon: number
  lat: number
}

export interface Cluster {
  /** The cell's key ("ix,iy"). */
  key: string
  /** Mean position of the members. */
  lon: number
  lat: number
  ids: number[]
}

export interface Clustering {
  cellMetres: number
  /** Groups of two or more markers. */
  clusters: Cluster[]
  /** Markers alone in their cell: drawn as themselves. */
  singles: number[]
  /** Which cluster (index in `clusters`) a marker belongs to; absent for singles. */
  clusterOf: Map<number, number>
}

/** Cell sizes in metres, smallest first; below the first, no clustering. */
export const CLUSTER_LEVELS = [125, 250, 500, 1000, 2000, 4000] as const

/** A cell's wanted size on screen (CSS px): a cluster mark fits inside, with room between marks. */
export const CLUSTER_CELL_PX = 20

/**
 * The cell size for a scale (metres per CSS pixel where the camera looks): about CLUSTER_CELL_PX
 * pixels, snapped to a level; 0 (no clustering) when the camera is close.
 */
export function clusterCellMetres(metresPerPixel: number): number {
  const wanted = metresPerPixel * CLUSTER_CELL_PX
  if (!(wanted >= CLUSTER_LEVELS[0] * 0.75))
    return 0
  let best: number = CLUSTER_LEVELS[0]
  for (const level of CLUSTER_LEVELS) {
    if (Math.abs(Math.log2(level / wanted)) < Math.abs(Math.log2(best / wanted)))
      best = level
  }
  return best
}

/**
 * Metres per CSS pixel at the point the camera looks at: from its height, its pitch (an oblique
 * view looks further away than straight down), its vertical field of view and the canvas's height.
 */
export function metresPerPixel(height: number, pitchRad: number, fovyRad: number, canvasCssHeight: number): number {
  const distance = height / Math.max(0.35, Math.sin(-pitchRad))
  return distance * 2 * Math.tan(fovyRad / 2) / Math.max(1, canvasCssHeight)
}

/**
 * A cluster mark's diameter (CSS px): grows with the count (log), but stays inside its cell on
 * screen, so that marks never pile on each other (a carpet of marks reads as nothing from 5 m).
 */
export function clusterMarkPx(count: number, cellPx: number): number {
  const wanted = 10 + 4 * Math.log2(Math.max(2, count))
  return Math.max(9, Math.min(28, wanted, cellPx * 0.7))
}

/**
 * The font size (CSS px) of a cluster's count on a mark of `markPx`, or null when the count would not
 * fit the mark at the wall's smallest text (`MIN_TEXT_PX`): a count is written legibly or not at all
 * (55% of the mark, at least the minimum; digits are about 0.6 em wide).
 */
export function clusterCountPx(count: number, markPx: number): number | null {
  const px = Math.max(MIN_TEXT_PX, Math.round(markPx * 0.55))
  return String(count).length * px * 0.6 <= markPx ? px : null
}

/** Groups markers by cells of `cellMetres` (square at the latitude `refLat`); 0: every marker single. */
export function clusterByCell(points: Iterable<ClusterInput>, cellMetres: number, refLat: number): Clustering {
  const singles: number[] = []
  const clusters: Cluster[] = []
  const clusterOf = new Map<number, number>()
  if (cellMetres <= 0) {
    for (const p of points)
      singles.push(p.id)
    return { cellMetres, clusters, singles, clusterOf }
  }
  const cellLon = cellMetres / metresPerDegreeLon(refLat)
  const cellLat = cellMetres / METRES_PER_DEGREE
  const cells = new Map<string, ClusterInput[]>()
  for (const p of points) {
    const key = `${Math.floor(p.lon / cellLon)},${Math.floor(p.lat / cellLat)}`
    let members = cells.get(key)
    if (!members)
      cells.set(key, members = [])
    members.push(p)
  }
  for (const [key, members] of cells) {
    if (members.length === 1) {
      singles.push(members[0]!.id)
      continue
    }
    const index = clusters.length
    let lon = 0
    let lat = 0
    for (const m of members) {
      lon += m.lon
      lat += m.lat
      clusterOf.set(m.id, index)
    }
    clusters.push({ key, lon: lon / members.length, lat: lat / members.length, ids: members.map(m => m.id) })
  }
  return { cellMetres, clusters, singles, clusterOf }
}
