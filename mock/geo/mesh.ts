import type { Random } from '../random.ts'
import { Delaunay } from 'd3-delaunay'

/**
 * Bridson's Poisson-disc sampling: points no closer than `radius`, filling the region where `inside`
 * holds (within the box [-extent, extent]²), starting from the origin. Returns flat [x0, y0, x1, y1, …].
 */
export function poissonDisc(random: Random, radius: number, extent: number, inside: (x: number, y: number) => boolean, tries = 20): Float64Array {
  const cell = radius / Math.SQRT2
  const size = Math.ceil(2 * extent / cell) + 1
  const grid = new Int32Array(size * size).fill(-1)
  const xs: number[] = []
  const ys: number[] = []
  const active: number[] = []
  const r2 = radius * radius
  const cellOf = (v: number): number => Math.floor((v + extent) / cell)

  const add = (x: number, y: number): void => {
    const i = xs.length
    xs.push(x)
    ys.push(y)
    active.push(i)
    grid[cellOf(y) * size + cellOf(x)] = i
  }
  const farEnough = (x: number, y: number): boolean => {
    const cx = cellOf(x)
    const cy = cellOf(y)
    for (let gy = Math.max(0, cy - 2); gy <= Math.min(size - 1, cy + 2); gy++) {
      for (let gx = Math.max(0, cx - 2); gx <= Math.min(size - 1, cx + 2); gx++) {
        const j = grid[gy * size + gx]!
        if (j >= 0) {
          const dx = xs[j]! - x
          const dy = ys[j]! - y
          if (dx * dx + dy * dy < r2)
            return false
        }
      }
    }
    return true
  }

  add(random.range(-radius, radius) * 0.1, random.range(-radius, radius) * 0.1)
  while (active.length > 0) {
    const k = Math.floor(random.next() * active.length)
    const i = active[k]!
    let placed = false
    for (let t = 0; t < tries; t++) {
      const angle = random.range(0, 2 * Math.PI)
      const dist = radius * Math.sqrt(random.range(1, 4))
      const x = xs[i]! + dist * Math.cos(angle)
      const y = ys[i]! + dist * Math.sin(angle)
      if (Math.abs(x) >= extent || Math.abs(y) >= extent || !inside(x, y) || !farEnough(x, y))
        continue
      add(x, y)
      placed = true
      break
    }
    if (!placed) {
      active[k] = active[active.length - 1]!
      active.pop()
    }
  }
  const out = new Float64Array(xs.length * 2)
  for (let i = 0; i < xs.length; i++) {
    out[2 * i] = xs[i]!
    out[2 * i + 1] = ys[i]!
  }
  return out
}

/**
 * The fine planar subdivision everything is built from: the Voronoi cells ("atoms", ~100 m across) of
 * Poisson-disc points. Villages and grids are unions of atoms, so every border is a path of Voronoi
 * edges whose vertices (triangle circumcentres) are computed once and shared by both sides.
 */
export interface Mesh {
  /** Number of atoms. */
  n: number
  /** Atom sites, flat [x, y] in local metres. */
  points: Float64Array
  /** Delaunator triangles (site indices, 3 per triangle; clockwise in a y-up frame). */
  triangles: Uint32Array
  /** Opposite half-edge of each half-edge, or -1 on the hull. */
  halfedges: Int32Array
  /** Circumcentre of each triangle, flat [x, y]: the Voronoi vertices. */
  circumcenters: Float64Array
  /** Neighbour lists in CSR form: neighbours of i are adjacency[offsets[i] .. offsets[i + 1]). */
  offsets: Int32Array
  adjacency: Int32Array
  /** 1 for atoms whose Voronoi cell is unbounded or touches the hull (never used inside a township). */
  onHull: Uint8Array
}

/** Triangulates the sites and derives Voronoi vertices and neighbour lists. */
export function buildMesh(points: Float64Array): Mesh {
  const delaunay = new Delaunay(points)
  const { triangles, halfedges } = delaunay
  const n = points.length / 2
  const nt = triangles.length / 3
  const circumcenters = new Float64Array(nt * 2)
  for (let t = 0; t < nt; t++) {
    const a = triangles[3 * t]!
    const b = triangles[3 * t + 1]!
    const c = triangles[3 * t + 2]!
    const ax = points[2 * a]!
    const ay = points[2 * a + 1]!
    const bx = points[2 * b]! - ax
    const by = points[2 * b + 1]! - ay
    const cx = points[2 * c]! - ax
    const cy = points[2 * c + 1]! - ay
    const d = 2 * (bx * cy - by * cx)
    const b2 = bx * bx + by * by
    const c2 = cx * cx + cy * cy
    circumcenters[2 * t] = ax + (cy * b2 - by * c2) / d
    circumcenters[2 * t + 1] = ay + (bx * c2 - cx * b2) / d
  }

  const degree = new Int32Array(n + 1)
  const onHull = new Uint8Array(n)
  for (let e = 0; e < triangles.length; e++) {
    const a = triangles[e]!
    const b = triangles[nextHalfedge(e)]!
    degree[a]!++
    if (halfedges[e] === -1) {
      degree[b]!++
      onHull[a] = 1
      onHull[b] = 1
    }
  }
  const offsets = new Int32Array(n + 1)
  for (let i = 0; i < n; i++)
    offsets[i + 1] = offsets[i]! + degree[i]!
  const fill = offsets.slice(0, n)
  const adjacency = new Int32Array(offsets[n]!)
  for (let e = 0; e < triangles.length; e++) {
    const a = triangles[e]!
    const b = triangles[nextHalfedge(e)]!
    adjacency[fill[a]!++] = b
    if (halfedges[e] === -1)
      adjacency[fill[b]!++] = a
  }
  return { n, points, triangles, halfedges, circumcenters, offsets, adjacency, onHull }
}

/** Next half-edge in the same triangle. */
export function nextHalfedge(e: number): number {
  return e % 3 === 2 ? e - 2 : e + 1
}

/** Euclidean distance between two atom sites. */
export function siteDistance(mesh: Mesh, i: number, j: number): number {
  const dx = mesh.points[2 * i]! - mesh.points[2 * j]!
  const dy = mesh.points[2 * i + 1]! - mesh.points[2 * j + 1]!
  return Math.sqrt(dx * dx + dy * dy)
}

/**
 * Breadth-first hop distance of each atom from the border of its region: 0 for atoms with a neighbour in
 * another region (or outside, label -1), growing inwards. -1 for atoms outside every region.
 */
export function borderDepth(mesh: Mesh, label: Int32Array): Int32Array {
  const depth = new Int32Array(mesh.n).fill(-1)
  const queue = new Int32Array(mesh.n)
  let head = 0
  let tail = 0
  for (let i = 0; i < mesh.n; i++) {
    if (label[i]! < 0)
      continue
    for (let k = mesh.offsets[i]!; k < mesh.offsets[i + 1]!; k++) {
      if (label[mesh.adjacency[k]!] !== label[i]) {
        depth[i] = 0
        queue[tail++] = i
        break
      }
    }
  }
  while (head < tail) {
    const i = queue[head++]!
    for (let k = mesh.offsets[i]!; k < mesh.offsets[i + 1]!; k++) {
      const j = mesh.adjacency[k]!
      if (depth[j] === -1 && label[j] === label[i]) {
        depth[j] = depth[i]! + 1
        queue[tail++] = j
      }
    }
  }
  return depth
}
