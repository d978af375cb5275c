import type { LocalProjection } from './geometry.ts'
import type { Mesh } from './mesh.ts'
import { binomialClosed, binomialOpen, chaikinClosed, chaikinOpen, simplifyOpen, toMicro } from './geometry.ts'
import { nextHalfedge } from './mesh.ts'

/**
 * A maximal border path between two regions of the finest partition (grids, or a grid and the outside,
 * label -1). Its ends are junctions where three regions meet; a chain without junctions is a closed loop.
 * Villages and the township are bounded by subsets of the same chains, so every level shares the very
 * same vertices.
 */
export interface Chain {
  /** Region on the left of the chain's direction. */
  left: number
  /** Region on the right. */
  right: number
  /** Voronoi vertices (triangle indices) along the chain; for a loop the first is not repeated. */
  vertices: number[]
  closed: boolean
  /** Output coordinates in integer micro-degrees, flat [lon, lat, …], after smoothing and rounding. */
  micro: number[]
}

/**
 * Finds the chains of the partition given by `label` (atom → region, -1 outside). A Voronoi edge is a
 * border edge when the atoms on its two sides have different labels; Voronoi vertices have degree 3,
 * so a vertex is on 0, 2 (a pass-through) or 3 (a junction) border edges and chains are unambiguous.
 */
export function extractChains(mesh: Mesh, label: Int32Array): Chain[] {
  const { triangles, halfedges } = mesh
  const isBorder = (h: number): boolean => {
    const a = label[triangles[h]!]!
    const b = label[triangles[nextHalfedge(h)]!]!
    if (a === b)
      return false
    if (halfedges[h] === -1)
      throw new Error('extractChains: a region reaches the hull of the mesh')
    return true
  }
  const nt = triangles.length / 3
  const degree = new Uint8Array(nt)
  for (let t = 0; t < nt; t++) {
    for (let k = 0; k < 3; k++) {
      if (isBorder(3 * t + k))
        degree[t]!++
    }
  }
  const visited = new Uint8Array(triangles.length)

  // Walking half-edge h leaves triangle(h) for triangle(opposite(h)). With Delaunator's clockwise
  // triangles, the atom at the origin of h lies to the left of that Voronoi edge.
  const walk = (start: number): Chain => {
    const first = Math.floor(start / 3)
    const vertices = [first]
    let h = start
    for (;;) {
      const opposite = halfedges[h]!
      visited[h] = 1
      visited[opposite] = 1
      const t = Math.floor(opposite / 3)
      if (degree[t] === 3 || t === first)
        break
      vertices.push(t)
      let next = -1
      for (let k = 0; k < 3; k++) {
        const g = 3 * t + k
        if (g !== opposite && isBorder(g))
          next = g
      }
      h = next
    }
    const last = Math.floor(halfedges[h]! / 3)
    const closed = last === first && degree[first] !== 3
    if (!closed)
      vertices.push(last)
    return {
      left: label[triangles[start]!]!,
      right: label[triangles[nextHalfedge(start)]!]!,
      vertices,
      closed,
      micro: [],
    }
  }

  const chains: Chain[] = []
  for (let t = 0; t < nt; t++) {
    if (degree[t] !== 3)
      continue
    for (let k = 0; k < 3; k++) {
      const h = 3 * t + k
      if (!visited[h] && isBorder(h))
        chains.push(walk(h))
    }
  }
  for (let h = 0; h < triangles.length; h++) {
    if (!visited[h] && isBorder(h))
      chains.push(walk(h))
  }
  return chains
}

/** How chains are smoothed before rounding. */
export interface SmoothOptions {
  /** Binomial passes (remove the atom-scale zig-zag). */
  binomial: number
  /** Chaikin passes (round the remaining corners). */
  chaikin: number
  /** Douglas–Peucker tolerance in metres. */
  tolerance: number
}

/**
 * Smooths each chain (ends fixed), simplifies it, projects it to [lon, lat] and rounds to micro-degrees,
 * dropping points that round onto their predecessor. Done once per chain, so the two regions on either
 * side get identical coordinates. Whether smoothing made chains cross is checked afterwards.
 */
export function finishChains(mesh: Mesh, chains: Chain[], projection: LocalProjection, smooth: SmoothOptions = { binomial: 3, chaikin: 1, tolerance: 2 }): void {
  const c = mesh.circumcenters
  for (const chain of chains) {
    let xy: number[] = []
    for (const t of chain.vertices)
      xy.push(c[2 * t]!, c[2 * t + 1]!)
    if (chain.closed) {
      for (let p = 0; p < smooth.binomial; p++)
        xy = binomialClosed(xy)
      for (let p = 0; p < smooth.chaikin; p++)
        xy = chaikinClosed(xy)
      // Close the loop at its first point so it is simplified and stored like an open chain.
      xy.push(xy[0]!, xy[1]!)
    }
    else {
      for (let p = 0; p < smooth.binomial; p++)
        xy = binomialOpen(xy)
      for (let p = 0; p < smooth.chaikin; p++)
        xy = chaikinOpen(xy)
    }
    xy = simplifyOpen(xy, smooth.tolerance)
    const micro: number[] = []
    for (let i = 0; i < xy.length; i += 2) {
      const [lon, lat] = projection.toLonLat(xy[i]!, xy[i + 1]!)
      const x = toMicro(lon)
      const y = toMicro(lat)
      const m = micro.length
      if (m > 0 && micro[m - 2] === x && micro[m - 1] === y)
        continue
      micro.push(x, y)
    }
    chain.micro = micro
  }
}

/**
 * Assembles the border rings of the regions of a coarser level. `regionOf` maps a finest-level label
 * (or -1) to a region of this level (or -1 for nothing). Returns for each region its rings in integer
 * micro-degrees (closed, region on the left, so outer rings come out counter-clockwise).
 */
export function assembleRings(chains: readonly Chain[], regionOf: (label: number) => number, regions: number): number[][][] {
  const rings: number[][][] = Array.from({ length: regions }, () => [])
  // Directed pieces per region, keyed by their start junction (a vertex index); open chains only.
  const byStart: Map<number, { chain: Chain, forward: boolean }>[] = Array.from({ length: regions }, () => new Map())
  for (const chain of chains) {
    const l = regionOf(chain.left)
    const r = regionOf(chain.right)
    if (l === r)
      continue
    for (const [region, forward] of [[l, true], [r, false]] as const) {
      if (region < 0)
        continue
      if (chain.closed) {
        rings[region]!.push(closeRing(forward ? chain.micro : reversePoints(chain.micro)))
        continue
      }
      const start = forward ? chain.vertices[0]! : chain.vertices[chain.vertices.length - 1]!
      if (byStart[region]!.has(start))
        throw new Error('assembleRings: two border pieces leave one vertex')
      byStart[region]!.set(start, { chain, forward })
    }
  }
  for (let region = 0; region < regions; region++) {
    const pieces = byStart[region]!
    while (pieces.size > 0) {
      const [firstStart] = pieces.keys()
      let at = firstStart!
      const ring: number[] = []
      for (;;) {
        const piece = pieces.get(at)
        if (!piece)
          throw new Error('assembleRings: open border')
        pieces.delete(at)
        const pts = piece.forward ? piece.chain.micro : reversePoints(piece.chain.micro)
        appendPoints(ring, pts)
        at = piece.forward ? piece.chain.vertices[piece.chain.vertices.length - 1]! : piece.chain.vertices[0]!
        if (at === firstStart)
          break
      }
      rings[region]!.push(closeRing(ring))
    }
  }
  return rings
}

function reversePoints(micro: readonly number[]): number[] {
  const out: number[] = []
  for (let i = micro.length - 2; i >= 0; i -= 2)
    out.push(micro[i]!, micro[i + 1]!)
  return out
}

/** Appends points, skipping a first point equal to the current last one (the shared junction). */
function appendPoints(ring: number[], pts: readonly number[]): void {
  for (let i = 0; i < pts.length; i += 2) {
    const m = ring.length
    if (m > 0 && ring[m - 2] === pts[i] && ring[m - 1] === pts[i + 1])
      continue
    ring.push(pts[i]!, pts[i + 1]!)
  }
}

/** Ensures the ring ends on its first point (RFC 7946 closed ring) without a doubled point. */
function closeRing(flat: readonly number[]): number[] {
  const out = flat.slice()
  while (out.length >= 4 && out[out.length - 2] === out[0] && out[out.length - 1] === out[1])
    out.length -= 2
  out.push(out[0]!, out[1]!)
  return out
}
