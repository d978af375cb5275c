import type { Feature, Polygon, Position } from 'geojson'
import type { Random } from '../random.ts'
import type { LocalProjection } from './geometry.ts'
import type { Mesh } from './mesh.ts'
import type { TownshipPlan } from './names.ts'
import type { Geography, GridProps, VillageProps } from './types.ts'
import { createRandom } from '../random.ts'
import { assembleRings, extractChains, finishChains } from './boundaries.ts'
import { compactness, fromMicro, localProjection, polygonAreaKm2, smoothNoise, toMicro } from './geometry.ts'
import { borderDepth, buildMesh, poissonDisc } from './mesh.ts'
import { DEFAULT_TOWNSHIP, planTownship } from './names.ts'
import { growRegions, recentre, spreadSources } from './regions.ts'
import { buildRoads } from './roads.ts'
import { findConflict, ringProblem } from './validate.ts'

/** Options of {@link generateGeography}. */
export interface GeographyOptions {
  /** Seed of the pseudo-random generator: the same options always give byte-identical output. */
  seed: number
  /**
   * 9-digit township code of one of the five seed counties (default 430821103, 东岳观镇). A township with
   * real villages in the seed data gets their names and codes; others get synthetic ones.
   */
  township?: string
  /** Number of villages and communities (default: the real count, or 16–20 by seed). */
  villages?: number
  /** Range of grids per village (default [6, 15]; communities near the seat get more, smaller grids). */
  gridsPerVillage?: [number, number]
  /** Place the township's centre here, [lon, lat], instead of near its county centre (used for tiling). */
  center?: [number, number]
  /** Target area in km² (default 75–135 by seed). */
  areaKm2?: number
  /** Diagnostics: called when an attempt fails a geometry check and the generator tries again. */
  onRetry?: (attempt: number, reason: string) => void
}

/** Smallest grid the generator accepts, in km² (a grid worker's patch is never smaller than a block). */
export const MIN_GRID_KM2 = 0.05
/** Smallest isoperimetric ratio 4πA/P² the generator accepts for a grid. */
export const MIN_GRID_COMPACTNESS = 0.15

/** Thrown when one attempt produced geometry that fails a check; the generator then tries another stream. */
class RetryableGeometryError extends Error {}

const MAX_ATTEMPTS = 8

/**
 * Generates a synthetic township: boundary, villages, grids and roads, all valid RFC 7946 geometry in
 * WGS84 rounded to 6 decimals, where the grids exactly partition the township and each village.
 * Deterministic: the same options give byte-identical output.
 */
export function generateGeography(options: GeographyOptions): Geography {
  if (!Number.isInteger(options.seed))
    throw new Error(`seed must be an integer, got ${options.seed}`)
  if (options.villages !== undefined && !(Number.isInteger(options.villages) && options.villages >= 1 && options.villages <= 50))
    throw new Error(`villages must be an integer in 1–50, got ${options.villages}`)
  const range = options.gridsPerVillage
  if (range && !(Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[0] >= 1 && range[0] <= range[1] && range[1] <= 30))
    throw new Error(`gridsPerVillage must be integers 1 ≤ min ≤ max ≤ 30, got [${range.join(', ')}]`)
  // The township code joins the seed, so two townships generated with one seed still differ.
  const root = createRandom(options.seed).fork(options.township ?? DEFAULT_TOWNSHIP)
  const plan = planTownship(root.fork('names'), options.township, options.villages)
  const placement = root.fork('placement')
  const center: [number, number] = options.center
    ?? [plan.countyCenter[0] + placement.range(-0.06, 0.06), plan.countyCenter[1] + placement.range(-0.05, 0.05)]
  let last: Error | undefined
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return buildTownship(plan, center, root.fork(`attempt ${attempt}`), options)
    }
    catch (error) {
      if (!(error instanceof RetryableGeometryError))
        throw error
      last = error
      options.onRetry?.(attempt, error.message)
    }
  }
  throw new Error(`generateGeography: no valid township after ${MAX_ATTEMPTS} attempts (${last?.message})`)
}

/** The township outline as a noised radius around the centre: smooth lobes, never a circle or a box. */
export interface Outline {
  radius: (angle: number) => number
  maxRadius: number
  /** Radius of the disc of the same area, in metres. */
  equivalentRadius: number
}

/** Builds a star-shaped outline of the given area (m²) from a few random harmonics. */
export function makeOutline(random: Random, areaM2: number): Outline {
  const harmonics: [number, number, number][] = []
  const amplitudes = [0, 0, 0.22, 0.14, 0.09, 0.06, 0.05, 0.04]
  for (let k = 2; k < 16; k++) {
    const max = amplitudes[k] ?? 0.018
    harmonics.push([k, (k === 2 ? random.range(0.35, 1) : random.next()) * max, random.range(0, 2 * Math.PI)])
  }
  const raw = (angle: number): number => {
    let s = 0
    for (const [k, a, phase] of harmonics)
      s += a * Math.cos(k * angle + phase)
    return Math.exp(s)
  }
  // Area of the raw outline, ½∮r²dθ, to scale it to the target.
  const steps = 720
  let raw2 = 0
  let rawMax = 0
  for (let i = 0; i < steps; i++) {
    const r = raw(2 * Math.PI * i / steps)
    raw2 += r * r
    rawMax = Math.max(rawMax, r)
  }
  const scale = Math.sqrt(areaM2 / (0.5 * raw2 * 2 * Math.PI / steps))
  return { radius: angle => scale * raw(angle), maxRadius: scale * rawMax * 1.01, equivalentRadius: Math.sqrt(areaM2 / Math.PI) }
}

/** Number of atoms (Voronoi cells) a township is cut into: ~12,000 m² each at 100 km². */
const TARGET_ATOMS = 8000

function buildTownship(plan: TownshipPlan, center: [number, number], random: Random, options: GeographyOptions): Geography {
  const projection = localProjection(center[0], center[1])
  const areaM2 = (options.areaKm2 ?? random.fork('area').range(75, 135)) * 1e6
  const outline = makeOutline(random.fork('outline'), areaM2)

  // Atoms: Poisson-disc sites over the outline plus a margin, so that every atom inside is an interior
  // site of the triangulation with a bounded Voronoi cell.
  const spacing = Math.sqrt(areaM2 / TARGET_ATOMS / 1.45)
  const margin = 4 * spacing
  const inside = (x: number, y: number): boolean => Math.hypot(x, y) < outline.radius(Math.atan2(y, x))
  const points = poissonDisc(random.fork('atoms'), spacing, outline.maxRadius + margin + spacing,
    (x, y) => Math.hypot(x, y) < outline.radius(Math.atan2(y, x)) + margin)
  const mesh = buildMesh(points)
  const town = townshipAtoms(mesh, inside)
  const townDepth = borderDepth(mesh, town)

  const villages = placeVillages(mesh, random.fork('villages'), plan, town, townDepth, outline)
  const grids = placeGrids(mesh, random.fork('grids'), plan, villages.label, options.gridsPerVillage)

  // Borders: chains between grids (and the outside), smoothed and rounded once, shared by every level.
  const chains = extractChains(mesh, grids.label)
  finishChains(mesh, chains, projection)
  const conflict = findConflict(chains.map(c => c.micro))
  if (conflict)
    throw new RetryableGeometryError(conflict)
  const townRing = single(assembleRings(chains, l => (l >= 0 ? 0 : -1), 1), 'township')[0]!
  const villageRings = single(assembleRings(chains, l => (l >= 0 ? grids.village[l]! : -1), plan.villages.length), 'village')
  const gridRings = single(assembleRings(chains, l => l, grids.count), 'grid')

  const villageDepth = borderDepth(mesh, villages.label)
  const gridDepth = borderDepth(mesh, grids.label)
  const centres = plan.villages.map((_, v) => centreAtom(mesh, villages.label, villageDepth, v, villages.sources[v]!))
  const toPoint = (atom: number): [number, number] => lonLatMicro(projection, mesh, atom)

  const villageFeatures = plan.villages.map((village, v) => {
    const ring = toPositions(villageRings[v]!)
    const centre = toPoint(centres[v]!)
    if (!pointInRing(centre, ring))
      throw new RetryableGeometryError(`centre of ${village.name} is outside it`)
    const properties: VillageProps = {
      code: village.code,
      name: village.name,
      kind: village.kind,
      center: centre,
      areaKm2: round4(polygonAreaKm2([ring])),
      officialName: village.officialName,
      nameSource: village.real ? 'nbs-2023' : 'synthetic',
    }
    return polygonFeature(village.code, properties, ring)
  })

  const gridFeatures = gridsInOrder(mesh, grids, centres, gridDepth).map(({ grid, village, sequence, labelAtom }) => {
    const ring = toPositions(gridRings[grid]!)
    const area = polygonAreaKm2([ring])
    if (area < MIN_GRID_KM2)
      throw new RetryableGeometryError(`grid ${grid} has ${area.toFixed(4)} km²`)
    if (compactness(ring) < MIN_GRID_COMPACTNESS)
      throw new RetryableGeometryError(`grid ${grid} is a sliver`)
    const labelPoint = toPoint(labelAtom)
    if (!pointInRing(labelPoint, ring))
      throw new RetryableGeometryError(`label of grid ${grid} is outside it`)
    const v = plan.villages[village]!
    const code = `${v.code}${String(sequence).padStart(3, '0')}`
    const properties: GridProps = { code, name: `${v.name}第${sequence}网格`, villageCode: v.code, labelPoint, areaKm2: round4(area) }
    return polygonFeature(code, properties, ring)
  })

  const seat = villageFeatures[0]!.properties.center
  const roads = buildRoads(random.fork('roads'), { mesh, projection, townDepth, centres })
  return {
    township: townshipFeature(plan, options, toPositions(townRing), seat),
    villages: { type: 'FeatureCollection', features: villageFeatures },
    grids: { type: 'FeatureCollection', features: gridFeatures },
    roads: { type: 'FeatureCollection', features: roads },
  }
}

/** The township's own feature: its outline, seat and provenance (what is synthetic, where names come from). */
function townshipFeature(plan: TownshipPlan, options: GeographyOptions, ring: Position[], seat: [number, number]): Feature<Polygon, Geography['township']['properties']> {
  const names = plan.villages.some(v => v.real) ? 'names and codes: 2023 统计用区划代码 (NBS)' : `names${plan.realTownshipName ? ' of villages' : ''} synthetic`
  return {
    type: 'Feature',
    id: plan.code,
    properties: {
      code: plan.code,
      name: plan.name,
      county: plan.county,
      seat,
      synthetic: true,
      areaKm2: round4(polygonAreaKm2([ring])),
      seed: options.seed,
      provenance: `synthetic geometry (seed ${options.seed}); ${names}`,
    },
    geometry: { type: 'Polygon', coordinates: [ring] },
  }
}

/**
 * Labels the atoms inside the outline 0 and the rest -1, keeping only the connected piece around the
 * centre and filling any enclosed pocket, so the township is one polygon without holes.
 */
function townshipAtoms(mesh: Mesh, inside: (x: number, y: number) => boolean): Int32Array {
  const isIn = new Uint8Array(mesh.n)
  let start = -1
  let startD = Infinity
  for (let i = 0; i < mesh.n; i++) {
    const x = mesh.points[2 * i]!
    const y = mesh.points[2 * i + 1]!
    if (inside(x, y)) {
      isIn[i] = 1
      if (x * x + y * y < startD) {
        startD = x * x + y * y
        start = i
      }
    }
  }
  const label = new Int32Array(mesh.n).fill(-1)
  flood(mesh, [start], i => isIn[i] === 1, i => (label[i] = 0))
  const outside = new Uint8Array(mesh.n)
  const hull: number[] = []
  for (let i = 0; i < mesh.n; i++) {
    if (mesh.onHull[i])
      hull.push(i)
  }
  flood(mesh, hull, i => label[i] !== 0, i => (outside[i] = 1))
  for (let i = 0; i < mesh.n; i++) {
    if (!outside[i])
      label[i] = 0
    if (label[i] === 0 && mesh.onHull[i])
      throw new Error('township reaches the edge of the mesh')
  }
  return label
}

function flood(mesh: Mesh, starts: readonly number[], allowed: (i: number) => boolean, visit: (i: number) => void): void {
  const seen = new Uint8Array(mesh.n)
  const stack = starts.filter(allowed)
  for (const s of stack) seen[s] = 1
  while (stack.length > 0) {
    const i = stack.pop()!
    visit(i)
    for (let k = mesh.offsets[i]!; k < mesh.offsets[i + 1]!; k++) {
      const j = mesh.adjacency[k]!
      if (!seen[j] && allowed(j)) {
        seen[j] = 1
        stack.push(j)
      }
    }
  }
}

/** Per-atom travel cost exp(amplitude · noise): borders bend around "hills" like real ones. */
function costField(mesh: Mesh, random: Random, minWavelength: number, maxWavelength: number, amplitude: number): Float64Array {
  const noise = smoothNoise(random, minWavelength, maxWavelength)
  const cost = new Float64Array(mesh.n)
  for (let i = 0; i < mesh.n; i++)
    cost[i] = Math.exp(amplitude * noise(mesh.points[2 * i]!, mesh.points[2 * i + 1]!))
  return cost
}

interface Villages {
  /** Village index of each atom, -1 outside. */
  label: Int32Array
  /** Source atom of each village (its seat-to-be). */
  sources: number[]
}

/**
 * Grows the villages: the communities start at and around the seat (pinned, and slower, so they stay
 * small), the villages spread over the rest and are relaxed a few Lloyd steps to even, round shapes.
 * Village codes follow the clock around the seat, as real code lists often follow the map.
 */
function placeVillages(mesh: Mesh, random: Random, plan: TownshipPlan, town: Int32Array, townDepth: Int32Array, outline: Outline): Villages {
  const count = plan.villages.length
  const communities = plan.villages.filter(v => v.kind === 'community').length
  const inner: number[] = []
  for (let i = 0; i < mesh.n; i++) {
    if (townDepth[i]! >= 3)
      inner.push(i)
  }
  // The seat: near, not at, the middle of the township.
  const angle = random.range(0, 2 * Math.PI)
  const offset = random.range(0, 0.3) * outline.equivalentRadius
  const seat = nearestAtom(mesh, inner, offset * Math.cos(angle), offset * Math.sin(angle))
  const seatX = mesh.points[2 * seat]!
  const seatY = mesh.points[2 * seat + 1]!
  const communityRadius = outline.equivalentRadius * Math.min(0.6, 0.12 + 0.08 * Math.sqrt(communities))
  const nearSeat = inner.filter(i => Math.hypot(mesh.points[2 * i]! - seatX, mesh.points[2 * i + 1]! - seatY) < communityRadius)
  const communitySources = communities > 0 ? [seat, ...spreadSources(mesh, random, nearSeat, communities - 1, [seat])] : []
  const villageSources = spreadSources(mesh, random, inner, count - communities - (communities > 0 ? 0 : 1), communities > 0 ? communitySources : [seat])
  if (communities === 0)
    villageSources.unshift(seat)

  // Order the village slots clockwise from a random bearing around the seat; the seat village comes first.
  const bearing = random.range(0, 2 * Math.PI)
  const clock = (atom: number): number => {
    const a = Math.atan2(mesh.points[2 * atom]! - seatX, mesh.points[2 * atom + 1]! - seatY) - bearing
    return ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
  }
  const head = communities > 0 ? [] : [villageSources.shift()!]
  villageSources.sort((a, b) => clock(a) - clock(b))
  const sources = [...communitySources, ...head, ...villageSources]
  // Relative sizes: villages vary about twofold, communities (the built-up seat) are a fraction of one.
  const sizes = plan.villages.map(v => (v.kind === 'community' ? random.range(0.2, 0.35) : random.range(0.6, 1.5)))
  const sizeSum = sizes.reduce((a, b) => a + b, 0)
  const speeds = sizes.map(Math.sqrt)
  const pinned = plan.villages.map(v => v.kind === 'community')
  const cost = costField(mesh, random, 800, 5000, 0.6)
  let label = growRegions(mesh, { sources, speeds, cost, domain: town })
  for (let step = 0; step < 4; step++) {
    // Lloyd step for the villages, and a speed correction towards each region's share of the area
    // (area grows with the square of speed).
    recentre(mesh, label, sources, pinned)
    const atoms = new Float64Array(count)
    let total = 0
    for (let i = 0; i < mesh.n; i++) {
      if (label[i]! >= 0) {
        atoms[label[i]!]!++
        total++
      }
    }
    for (let k = 0; k < count; k++) {
      const target = total * sizes[k]! / sizeSum
      speeds[k] = speeds[k]! * Math.min(1.33, Math.max(0.75, Math.sqrt(target / Math.max(1, atoms[k]!))))
    }
    label = growRegions(mesh, { sources, speeds, cost, domain: town })
  }
  return { label, sources }
}

interface Grids {
  /** Grid index of each atom, -1 outside. */
  label: Int32Array
  /** Village of each grid. */
  village: number[]
  /** Source atom of each grid. */
  sources: number[]
  count: number
}

/**
 * Splits every village into grids: the count follows the village's area (communities weigh 3×, so they
 * get more, smaller grids), within the allowed range and keeping at least ~10 atoms per grid; the grids
 * grow from well-spread sources inside their village only, then relax.
 */
function placeGrids(mesh: Mesh, random: Random, plan: TownshipPlan, villageOf: Int32Array, range: [number, number] = [6, 15]): Grids {
  const count = plan.villages.length
  const atoms: number[][] = Array.from({ length: count }, () => [])
  for (let i = 0; i < mesh.n; i++) {
    const v = villageOf[i]!
    if (v >= 0)
      atoms[v]!.push(i)
  }
  const weight = plan.villages.map((v, k) => atoms[k]!.length * (v.kind === 'community' ? 3 : 1))
  const total = weight.reduce((a, b) => a + b, 0)
  const target = Math.max(random.int(140, 200), count * range[0])
  const perVillage = weight.map((w, k) => {
    const wanted = Math.min(range[1], Math.max(range[0], Math.round(target * w / total)))
    return Math.max(1, Math.min(wanted, Math.floor(atoms[k]!.length / 10)))
  })
  const depth = borderDepth(mesh, villageOf)
  const sources: number[] = []
  const village: number[] = []
  perVillage.forEach((n, v) => {
    const deep = atoms[v]!.filter(i => depth[i]! >= 1)
    const picked = spreadSources(mesh, random, deep.length >= n * 3 ? deep : atoms[v]!, n)
    sources.push(...picked)
    for (let k = 0; k < n; k++) village.push(v)
  })
  const cost = costField(mesh, random, 400, 2500, 0.25)
  let label = growRegions(mesh, { sources, cost, domain: villageOf })
  for (let step = 0; step < 4; step++) {
    recentre(mesh, label, sources)
    label = growRegions(mesh, { sources, cost, domain: villageOf })
  }
  return { label, village, sources, count: sources.length }
}

/** The village's centre: an atom at least two atoms inside the village, nearest the village's source. */
function centreAtom(mesh: Mesh, label: Int32Array, depth: Int32Array, region: number, source: number): number {
  let maxDepth = 0
  for (let i = 0; i < mesh.n; i++) {
    if (label[i] === region)
      maxDepth = Math.max(maxDepth, depth[i]!)
  }
  const need = Math.min(2, maxDepth)
  if (depth[source]! >= need)
    return source
  const candidates: number[] = []
  for (let i = 0; i < mesh.n; i++) {
    if (label[i] === region && depth[i]! >= need)
      candidates.push(i)
  }
  return nearestAtom(mesh, candidates, mesh.points[2 * source]!, mesh.points[2 * source + 1]!)
}

/**
 * Numbers the grids of each village: 第1网格 is the one holding the village centre, the rest follow
 * clockwise from north. Each grid's label point is its deepest atom (nearest the centroid among equals).
 */
function gridsInOrder(mesh: Mesh, grids: Grids, centres: readonly number[], depth: Int32Array): { grid: number, village: number, sequence: number, labelAtom: number }[] {
  const labelAtom = new Int32Array(grids.count).fill(-1)
  const cx = new Float64Array(grids.count)
  const cy = new Float64Array(grids.count)
  const n = new Float64Array(grids.count)
  for (let i = 0; i < mesh.n; i++) {
    const g = grids.label[i]!
    if (g < 0)
      continue
    cx[g]! += mesh.points[2 * i]!
    cy[g]! += mesh.points[2 * i + 1]!
    n[g]!++
  }
  const score = (i: number, g: number): number => {
    const dx = mesh.points[2 * i]! - cx[g]! / n[g]!
    const dy = mesh.points[2 * i + 1]! - cy[g]! / n[g]!
    return depth[i]! * 1e9 - (dx * dx + dy * dy)
  }
  for (let i = 0; i < mesh.n; i++) {
    const g = grids.label[i]!
    if (g >= 0 && (labelAtom[g]! < 0 || score(i, g) > score(labelAtom[g]!, g)))
      labelAtom[g] = i
  }
  const out: { grid: number, village: number, sequence: number, labelAtom: number }[] = []
  centres.forEach((centre, v) => {
    const own = grids.village.map((vv, g) => (vv === v ? g : -1)).filter(g => g >= 0)
    const first = grids.label[centre]!
    const ox = mesh.points[2 * centre]!
    const oy = mesh.points[2 * centre + 1]!
    const bearing = (g: number): number => {
      const a = Math.atan2(cx[g]! / n[g]! - ox, cy[g]! / n[g]! - oy)
      return a < 0 ? a + 2 * Math.PI : a
    }
    const rest = own.filter(g => g !== first).sort((a, b) => bearing(a) - bearing(b))
    ;[first, ...rest].forEach((grid, k) => out.push({ grid, village: v, sequence: k + 1, labelAtom: labelAtom[grid]! }))
  })
  return out
}

function nearestAtom(mesh: Mesh, candidates: readonly number[], x: number, y: number): number {
  let best = -1
  let bestD = Infinity
  for (const i of candidates) {
    const d = (mesh.points[2 * i]! - x) ** 2 + (mesh.points[2 * i + 1]! - y) ** 2
    if (d < bestD) {
      bestD = d
      best = i
    }
  }
  if (best < 0)
    throw new RetryableGeometryError('no candidate atom')
  return best
}

/** Every region must come out as exactly one valid counter-clockwise ring (no holes, no pieces). */
function single(rings: number[][][], what: string): number[][] {
  return rings.map((list, k) => {
    if (list.length !== 1)
      throw new RetryableGeometryError(`${what} ${k} has ${list.length} rings`)
    const problem = ringProblem(list[0]!)
    if (problem)
      throw new RetryableGeometryError(`${what} ${k}: ${problem}`)
    return list[0]!
  })
}

function toPositions(micro: readonly number[]): Position[] {
  const out: Position[] = []
  for (let i = 0; i < micro.length; i += 2)
    out.push([fromMicro(micro[i]!), fromMicro(micro[i + 1]!)])
  return out
}

function lonLatMicro(projection: LocalProjection, mesh: Mesh, atom: number): [number, number] {
  const [lon, lat] = projection.toLonLat(mesh.points[2 * atom]!, mesh.points[2 * atom + 1]!)
  return [fromMicro(toMicro(lon)), fromMicro(toMicro(lat))]
}

/** Even–odd point-in-ring test on [lon, lat] positions. */
export function pointInRing(p: readonly [number, number] | Position, ring: readonly Position[]): boolean {
  const x = p[0]!
  const y = p[1]!
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!
    const yi = ring[i]![1]!
    const xj = ring[j]![0]!
    const yj = ring[j]![1]!
    if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
      inside = !inside
  }
  return inside
}

function polygonFeature<P>(id: string, properties: P, ring: Position[]): Feature<Polygon, P> {
  return { type: 'Feature', id, properties, geometry: { type: 'Polygon', coordinates: [ring] } }
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4
}
