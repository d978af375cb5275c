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

/**
 * The cell size for a camera height: roughly 1/36 of the height (≈ 25 px on a 1080-line canvas),
 * snapped to a level; 0 (no clustering) when the camera is close.
 */
export function clusterCellMetres(cameraHeight: number): number {
  const wanted = cameraHeight / 36
  if (!(wanted >= CLUSTER_LEVELS[0] * 0.75))
    return 0
  let best: number = CLUSTER_LEVELS[0]
  for (const level of CLUSTER_LEVELS) {
    if (Math.abs(Math.log2(level / wanted)) < Math.abs(Math.log2(best / wanted)))
      best = level
  }
  return best
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
