import type { Feature, LineString } from 'geojson'
import type { Random } from '../random.ts'
import type { LocalProjection } from './geometry.ts'
import type { Mesh } from './mesh.ts'
import type { RoadProps } from './types.ts'
import { chaikinOpen, fromMicro, simplifyOpen, smoothNoise, toMicro } from './geometry.ts'
import { siteDistance } from './mesh.ts'
import { MinHeap } from './heap.ts'

/**
 * Cheapest path between two atoms over the atoms where `cost` is finite (Dijkstra with early exit).
 * Returns the atoms from `from` to `to`.
 */
export function cheapestPath(mesh: Mesh, from: number, to: number, cost: Float64Array): number[] {
  const best = new Float64Array(mesh.n).fill(Infinity)
  const prev = new Int32Array(mesh.n).fill(-1)
  const done = new Uint8Array(mesh.n)
  const heap = new MinHeap()
  heap.push(0, from)
  best[from] = 0
  while (heap.size > 0) {
    const i = heap.pop()
    if (done[i])
      continue
    done[i] = 1
    if (i === to)
      break
    for (let e = mesh.offsets[i]!; e < mesh.offsets[i + 1]!; e++) {
      const j = mesh.adjacency[e]!
      if (done[j] || !Number.isFinite(cost[j]!))
        continue
      const d = best[i]! + siteDistance(mesh, i, j) * 0.5 * (cost[i]! + cost[j]!)
      if (d < best[j]!) {
        best[j] = d
        prev[j] = i
        heap.push(d, j)
      }
    }
  }
  if (!done[to])
    throw new Error('cheapestPath: target unreachable')
  const path = [to]
  while (path[path.length - 1] !== from)
    path.push(prev[path[path.length - 1]!]!)
  return path.reverse()
}

/** Inputs of the road network: the township's atoms and the places roads must link. */
export interface RoadInputs {
  mesh: Mesh
  projection: LocalProjection
  /** Hop depth of each atom from the township border (-1 outside). */
  townDepth: Int32Array
  /** Village centre atoms; index 0 is the township seat's village or community. */
  centres: readonly number[]
}

/**
 * Lays out a county road (县道) through the seat from border to border, and township roads (乡道) along
 * a minimum spanning tree of the village centres, split into a few long roads. Roads follow cheap
 * ground (a smooth cost field) and keep two atoms (~200 m) away from the township border.
 */
export function buildRoads(random: Random, input: RoadInputs): Feature<LineString, RoadProps>[] {
  const { mesh, projection, centres } = input
  const cost = groundCost(random, mesh, input.townDepth)
  const roads: Feature<LineString, RoadProps>[] = []
  const county = countyRoadPath(random, input, cost)
  if (county)
    roads.push(road(mesh, projection, county, `县道X${String(random.int(1, 99)).padStart(3, '0')}`, 'county'))
  const used = new Set<number>()
  for (const stops of longRoads(mesh, centres)) {
    const path: number[] = [centres[stops[0]!]!]
    for (let k = 1; k < stops.length; k++)
      path.push(...cheapestPath(mesh, centres[stops[k - 1]!]!, centres[stops[k]!]!, cost).slice(1))
    let number = random.int(1, 999)
    while (used.has(number))
      number = random.int(1, 999)
    used.add(number)
    roads.push(road(mesh, projection, path, `乡道Y${String(number).padStart(3, '0')}`, 'township'))
  }
  return roads
}

/** What a road pays to cross each atom: smooth noise, thirty times more near the border, infinite outside. */
function groundCost(random: Random, mesh: Mesh, townDepth: Int32Array): Float64Array {
  const noise = smoothNoise(random, 800, 4000)
  const cost = new Float64Array(mesh.n).fill(Infinity)
  for (let i = 0; i < mesh.n; i++) {
    const depth = townDepth[i]!
    if (depth < 0)
      continue
    cost[i] = (1 + 0.5 * (noise(mesh.points[2 * i]!, mesh.points[2 * i + 1]!) + 1)) * (depth < 2 ? 30 : 1)
  }
  return cost
}

/** The county road's atoms: from two points two atoms inside the border, roughly opposite each other across the seat. */
function countyRoadPath(random: Random, input: RoadInputs, cost: Float64Array): number[] | undefined {
  const { mesh, townDepth } = input
  const seat = input.centres[0]!
  const sx = mesh.points[2 * seat]!
  const sy = mesh.points[2 * seat + 1]!
  const heading = random.range(0, Math.PI)
  const endAt = (angle: number): number => {
    let best = -1
    let bestScore = -Infinity
    for (let i = 0; i < mesh.n; i++) {
      if (townDepth[i] !== 2)
        continue
      const score = Math.cos(Math.atan2(mesh.points[2 * i + 1]! - sy, mesh.points[2 * i]! - sx) - angle)
      if (score > bestScore) {
        bestScore = score
        best = i
      }
    }
    return best
  }
  const a = endAt(heading + random.range(-0.3, 0.3))
  const b = endAt(heading + Math.PI + random.range(-0.3, 0.3))
  if (a < 0 || b < 0)
    return undefined
  return [...cheapestPath(mesh, a, seat, cost), ...cheapestPath(mesh, seat, b, cost).slice(1)]
}

/** Prim's minimum spanning tree over the centres, rooted at the seat (index 0): each one's parent, in the order they joined. */
function spanningTree(mesh: Mesh, centres: readonly number[]): { parent: Int32Array, order: number[] } {
  const n = centres.length
  const parent = new Int32Array(n).fill(-1)
  const inTree = new Uint8Array(n)
  const dist = new Float64Array(n).fill(Infinity)
  dist[0] = 0
  const order: number[] = []
  for (let step = 0; step < n; step++) {
    let u = -1
    for (let v = 0; v < n; v++) {
      if (!inTree[v] && (u < 0 || dist[v]! < dist[u]!))
        u = v
    }
    inTree[u] = 1
    order.push(u)
    for (let v = 0; v < n; v++) {
      const d = siteDistance(mesh, centres[u]!, centres[v]!)
      if (!inTree[v] && d < dist[v]!) {
        dist[v] = d
        parent[v] = u
      }
    }
  }
  return { parent, order }
}

/**
 * The spanning tree split into long roads, as lists of centre indexes: each road continues through the
 * child with the deepest subtree, and a new one starts at every other child (and at the root).
 */
function longRoads(mesh: Mesh, centres: readonly number[]): number[][] {
  const { parent, order } = spanningTree(mesh, centres)
  const n = centres.length
  const height = new Float64Array(n)
  for (let k = order.length - 1; k > 0; k--) {
    const v = order[k]!
    const p = parent[v]!
    height[p] = Math.max(height[p]!, height[v]! + siteDistance(mesh, centres[p]!, centres[v]!))
  }
  const heavy = new Int32Array(n).fill(-1)
  for (let v = 1; v < n; v++) {
    const p = parent[v]!
    const h = heavy[p]!
    if (h < 0 || height[v]! + siteDistance(mesh, centres[p]!, centres[v]!) > height[h]! + siteDistance(mesh, centres[p]!, centres[h]!))
      heavy[p] = v
  }
  const roads: number[][] = []
  for (const start of order) {
    const p = parent[start]!
    if (p >= 0 && heavy[p] === start)
      continue
    const stops = p >= 0 ? [p, start] : [start]
    let v = start
    while (heavy[v]! >= 0) {
      v = heavy[v]!
      stops.push(v)
    }
    if (stops.length >= 2)
      roads.push(stops)
  }
  return roads
}

/** Smooths an atom path into a rounded WGS84 LineString feature. */
function road(mesh: Mesh, projection: LocalProjection, path: readonly number[], name: string, kind: RoadProps['kind']): Feature<LineString, RoadProps> {
  let xy: number[] = []
  for (const i of path)
    xy.push(mesh.points[2 * i]!, mesh.points[2 * i + 1]!)
  xy = simplifyOpen(chaikinOpen(chaikinOpen(xy)), 3)
  const coordinates: [number, number][] = []
  for (let i = 0; i < xy.length; i += 2) {
    const [lon, lat] = projection.toLonLat(xy[i]!, xy[i + 1]!)
    const p: [number, number] = [fromMicro(toMicro(lon)), fromMicro(toMicro(lat))]
    const last = coordinates[coordinates.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1])
      coordinates.push(p)
  }
  return { type: 'Feature', properties: { name, kind }, geometry: { type: 'LineString', coordinates } }
}
