import type { CameraPoint } from '#wire'
import type { Extent } from '../geometry.ts'
import type { HeatBin } from '../heat-raster.ts'
import type { GridFigures, GridShape } from '../layers/grids.ts'

/** Ids of synthetic cameras and grids start here, far above any real one's. */
export const SYNTHETIC_ID = 900_000_000

/** A deterministic pseudo-random sequence (mulberry32), so that runs compare. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random point of the extent. */
function pointIn(e: Extent, r: () => number): [number, number] {
  return [e.west + r() * (e.east - e.west), e.south + r() * (e.north - e.south)]
}

/** n cameras spread over the extent, one in ten offline and one in ten alarming. */
export function syntheticCameras(n: number, seed: number, extent: Extent): CameraPoint[] {
  const r = random(seed)
  const statuses = ['online', 'online', 'online', 'online', 'online', 'online', 'online', 'online', 'offline', 'alarm']
  return Array.from({ length: n }, (_, i) => {
    const [lon, lat] = pointIn(extent, r)
    return {
      id: SYNTHETIC_ID + i,
      code: `SYN${i}`,
      name: `synthetic ${i}`,
      kind: 'public_security',
      lon,
      lat,
      villageId: null,
      gridId: null,
      status: statuses[Math.floor(r() * statuses.length)]!,
      lastHeartbeatAt: null,
      hasStream: false,
    }
  })
}

/** n grids as the Voronoi cells of random points over the extent, with random figures. */
export async function syntheticGrids(n: number, seed: number, extent: Extent): Promise<{ shapes: GridShape[], figures: Map<number, GridFigures> }> {
  // Only benchmarks need it: a chunk of its own.
  const { Delaunay } = await import('d3-delaunay')
  const r = random(seed)
  const e = extent
  const points = Array.from({ length: n }, () => pointIn(e, r))
  const voronoi = Delaunay.from(points).voronoi([e.west, e.south, e.east, e.north])
  const shapes: GridShape[] = points.map((p, i) => ({
    id: SYNTHETIC_ID + i,
    code: `SYN-G${i}`,
    name: `网格${i + 1}`,
    village: null,
    geometry: { type: 'Polygon', coordinates: [voronoi.cellPolygon(i)] },
    labelPoint: p,
  }))
  const figures = new Map(shapes.map(g => [g.id, { open: Math.floor(r() * 20), overdue: Math.floor(r() * 3), today: Math.floor(r() * 5), last30Days: Math.floor(r() * 150) }]))
  return { shapes, figures }
}

/** Heat bins of about `cases` cases over the extent, clustered around a dozen hot spots (as around markets and schools). */
export function syntheticHeatBins(cases: number, seed: number, extent: Extent, cellDeg: number): HeatBin[] {
  const r = random(seed)
  const cells = new Map<string, HeatBin>()
  const spots = Array.from({ length: 12 }, () => pointIn(extent, r))
  for (let i = 0; i < cases; i++) {
    const [x, y] = spots[i % spots.length]!
    const lon = Math.floor((x + (r() - 0.5) * (r() * 0.06)) / cellDeg) * cellDeg
    const lat = Math.floor((y + (r() - 0.5) * (r() * 0.06)) / cellDeg) * cellDeg
    const key = `${lon},${lat}`
    const bin = cells.get(key)
    cells.set(key, [lon, lat, (bin?.[2] ?? 0) + 1])
  }
  return [...cells.values()]
}
