import type { Random } from '../random.ts'
import type { Mesh } from './mesh.ts'
import { MinHeap } from './heap.ts'
import { siteDistance } from './mesh.ts'

/** How regions grow over the atom graph. */
export interface GrowOptions {
  /** Source atom of each region (region k starts at sources[k]). */
  sources: readonly number[]
  /** Relative growth speed of each region (default 1): slower regions end up smaller. */
  speeds?: readonly number[]
  /** Per-atom travel cost factor (> 0): a smooth field makes borders meander. */
  cost: Float64Array
  /**
   * The part of the mesh each atom belongs to (-1: not available). A region may only take atoms of the
   * part its source is in, so grids never cross a village border.
   */
  domain: Int32Array
}

/**
 * Grows regions from their sources over the atom graph (a multi-source Dijkstra where each region
 * travels at its own speed), returning each atom's region or -1. Every atom is claimed from an adjacent
 * atom of the same region, so every region is connected.
 */
export function growRegions(mesh: Mesh, options: GrowOptions): Int32Array {
  const { sources, speeds, cost, domain } = options
  const label = new Int32Array(mesh.n).fill(-1)
  const best = new Float64Array(mesh.n).fill(Infinity)
  const claim = new Int32Array(mesh.n).fill(-1)
  const heap = new MinHeap()
  sources.forEach((s, k) => {
    best[s] = 0
    claim[s] = k
    heap.push(0, s)
  })
  while (heap.size > 0) {
    const i = heap.pop()
    if (label[i] !== -1 || heap.lastKey > best[i]!)
      continue
    const k = claim[i]!
    label[i] = k
    const speed = speeds?.[k] ?? 1
    const d = heap.lastKey
    for (let e = mesh.offsets[i]!; e < mesh.offsets[i + 1]!; e++) {
      const j = mesh.adjacency[e]!
      if (label[j] !== -1 || domain[j] !== domain[i])
        continue
      const nd = d + siteDistance(mesh, i, j) * 0.5 * (cost[i]! + cost[j]!) / speed
      if (nd < best[j]!) {
        best[j] = nd
        claim[j] = k
        heap.push(nd, j)
      }
    }
  }
  return label
}

/**
 * One Lloyd step on the atom graph: moves each unpinned region's source to its atom nearest the
 * region's centroid. A few steps turn uneven seedings into regions of similar size and round shape.
 */
export function recentre(mesh: Mesh, label: Int32Array, sources: number[], pinned: readonly boolean[] = []): void {
  const count = sources.length
  const sx = new Float64Array(count)
  const sy = new Float64Array(count)
  const n = new Float64Array(count)
  for (let i = 0; i < mesh.n; i++) {
    const k = label[i]!
    if (k < 0)
      continue
    sx[k]! += mesh.points[2 * i]!
    sy[k]! += mesh.points[2 * i + 1]!
    n[k]!++
  }
  const bestD = new Float64Array(count).fill(Infinity)
  const bestI = new Int32Array(count).fill(-1)
  for (let i = 0; i < mesh.n; i++) {
    const k = label[i]!
    if (k < 0 || pinned[k])
      continue
    const dx = mesh.points[2 * i]! - sx[k]! / n[k]!
    const dy = mesh.points[2 * i + 1]! - sy[k]! / n[k]!
    const d = dx * dx + dy * dy
    if (d < bestD[k]!) {
      bestD[k] = d
      bestI[k] = i
    }
  }
  for (let k = 0; k < count; k++) {
    if (bestI[k]! >= 0)
      sources[k] = bestI[k]!
  }
}

/**
 * Picks `count` well-spread atoms among `candidates` (Mitchell's best-candidate sampling): each new
 * one is the farthest from those already chosen (`fixed` included) out of a few random tries.
 */
export function spreadSources(mesh: Mesh, random: Random, candidates: readonly number[], count: number, fixed: readonly number[] = [], tries = 12): number[] {
  const chosen: number[] = []
  const all = [...fixed]
  for (let c = 0; c < count; c++) {
    let bestAtom = -1
    let bestDist = -1
    for (let t = 0; t < tries; t++) {
      const atom = random.pick(candidates)
      let d = Infinity
      for (const s of all)
        d = Math.min(d, siteDistance(mesh, atom, s))
      if (all.includes(atom))
        d = -1
      if (d > bestDist) {
        bestDist = d
        bestAtom = atom
      }
    }
    if (bestDist < 0)
      throw new Error('spreadSources: no free candidate atom')
    chosen.push(bestAtom)
    all.push(bestAtom)
  }
  return chosen
}
