import type { Position } from 'geojson'
import type { PlantedDefect } from './fixtures.ts'
import type { Frame } from './geometry.ts'
import type { LayerFeature } from './target/shared.ts'
import type { LonLat } from './types.ts'
import { crossings } from './checks/crossings.ts'
import { labelPoint } from './geometry.ts'

/**
 * Deliberate defects planted into copies of the small township's layers, each with the feature, kind
 * and place the validation must report.
 */

const key = (p: Position): string => `${p[0]},${p[1]}`

function copy(features: readonly LayerFeature[]): LayerFeature[] {
  return features.map(f => ({ ...f, properties: { ...f.properties }, parts: f.parts.map(rings => rings.map(ring => ring.map(p => [...p]))) }))
}

/** Which features use each vertex. */
function owners(features: readonly LayerFeature[]): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>()
  features.forEach((f, i) => f.parts[0]![0]!.forEach(p => map.set(key(p), (map.get(key(p)) ?? new Set()).add(i))))
  return map
}

/**
 * Index of a vertex of feature `i` whose ring neighbours share its owners: `i` alone (on the outline),
 * or `i` and exactly one neighbour of the same village; `accept` may refuse a candidate.
 */
function findVertex(features: readonly LayerFeature[], i: number, who: Map<string, Set<number>>, shared: boolean, accept: (k: number) => boolean = () => true): { index: number, other: number } | undefined {
  const ring = features[i]!.parts[0]![0]!
  const n = ring.length - 1
  for (let k = 2; k < n - 2; k++) {
    if (!accept(k))
      continue
    const o = [...who.get(key(ring[k]!))!]
    const sameAround = [-2, -1, 1, 2].every(d => [...who.get(key(ring[k + d]!))!].sort().join() === [...o].sort().join())
    if (!sameAround)
      continue
    if (!shared && o.length === 1)
      return { index: k, other: -1 }
    const other = o.find(j => j !== i)
    if (shared && o.length === 2 && other !== undefined && features[other]!.parent === features[i]!.parent)
      return { index: k, other }
  }
  return undefined
}

/** Moves vertex k of a ring along its outward normal by `metres` (negative: inward), keeping the ring closed. */
function moveVertex(ring: Position[], k: number, metres: number, frame: Frame): LonLat {
  const [px, py] = frame.toXY(ring[k - 1]!)
  const [qx, qy] = frame.toXY(ring[k + 1]!)
  const [vx, vy] = frame.toXY(ring[k]!)
  const len = Math.hypot(qx - px, qy - py)
  const moved = frame.toLonLat([vx + (qy - py) / len * metres, vy - (qx - px) / len * metres])
  ring[k] = moved
  return moved
}

function pick(features: readonly LayerFeature[], used: Set<number>, who: Map<string, Set<number>>, shared: boolean, accept?: (i: number, k: number) => boolean): { i: number, index: number, other: number } {
  for (let i = 0; i < features.length; i++) {
    const v = used.has(i) ? undefined : findVertex(features, i, who, shared, accept && (k => accept(i, k)))
    if (v && !used.has(v.other)) {
      used.add(i)
      if (v.other >= 0)
        used.add(v.other)
      return { i, ...v }
    }
  }
  throw new Error('fixtures: no grid fits the defect')
}

function free(used: Set<number>, count: number): number {
  for (let i = 0; i < count; i++) {
    if (!used.has(i)) {
      used.add(i)
      return i
    }
  }
  throw new Error('fixtures: not enough grids')
}

/** Grids with a self-intersection, an overlap, a gap, a duplicate vertex, an unclosed ring and a wrong code. */
export function plantGridDefects(grids: readonly LayerFeature[], frame: Frame): { features: LayerFeature[], defects: PlantedDefect[] } {
  const features = copy(grids)
  const who = owners(features)
  const used = new Set<number>()
  const defects: PlantedDefect[] = []
  // Two consecutive outline vertices swapped: the first place where that makes the ring cross itself.
  const swapped = (i: number, k: number): Position[] => {
    const ring = [...features[i]!.parts[0]![0]!]
    ;[ring[k], ring[k + 1]] = [ring[k + 1]!, ring[k]!]
    return ring
  }
  const cross = pick(features, used, who, false, (i, k) => crossings([swapped(i, k).map(frame.toXY)]).length > 0)
  const ring0 = features[cross.i]!.parts[0]![0]!
  const [a, b] = [ring0[cross.index]!, ring0[cross.index + 1]!]
  ;[ring0[cross.index], ring0[cross.index + 1]] = [b, a]
  defects.push({ kind: 'self-intersection', code: features[cross.i]!.code, at: [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2] })
  const over = pick(features, used, who, true)
  defects.push({ kind: 'overlap', code: features[over.i]!.code, at: moveVertex(features[over.i]!.parts[0]![0]!, over.index, 30, frame) })
  const gap = pick(features, used, who, true)
  defects.push({ kind: 'gap', code: features[gap.i]!.code, at: moveVertex(features[gap.i]!.parts[0]![0]!, gap.index, -30, frame) })
  const dup = free(used, features.length)
  const ring3 = features[dup]!.parts[0]![0]!
  ring3.splice(5, 0, [...ring3[5]!])
  defects.push({ kind: 'duplicate-vertex', code: features[dup]!.code, at: ring3[5]! as LonLat })
  const open = free(used, features.length)
  features[open]!.parts[0]![0]!.pop()
  defects.push({ kind: 'ring-unclosed', code: features[open]!.code, at: features[open]!.parts[0]![0]![0]! as LonLat })
  const wrong = features[free(used, features.length)]!
  const otherVillage = grids.find(g => g.parent !== wrong.parent)!.parent!
  wrong.code = `${otherVillage}9${wrong.code.slice(13)}`
  wrong.properties.code = wrong.code
  defects.push({ kind: 'code-parent-mismatch', code: wrong.code, at: labelPoint(wrong.parts[0]!, frame) })
  return { features, defects }
}

/** Grids with only safe defects: a duplicate vertex, an unclosed ring, a clockwise ring, an overlap and a gap 0.3 m wide. */
export function plantRepairableDefects(grids: readonly LayerFeature[], frame: Frame): { features: LayerFeature[], defects: PlantedDefect[] } {
  const features = copy(grids)
  const who = owners(features)
  const used = new Set<number>()
  const defects: PlantedDefect[] = []
  const over = pick(features, used, who, true)
  defects.push({ kind: 'overlap', code: features[over.i]!.code, at: moveVertex(features[over.i]!.parts[0]![0]!, over.index, 0.3, frame) })
  const gap = pick(features, used, who, true)
  defects.push({ kind: 'gap', code: features[gap.i]!.code, at: moveVertex(features[gap.i]!.parts[0]![0]!, gap.index, -0.3, frame) })
  const dupIndex = free(used, features.length)
  const dup = features[dupIndex]!.parts[0]![0]!
  dup.splice(5, 0, [...dup[5]!])
  defects.push({ kind: 'duplicate-vertex', code: features[dupIndex]!.code, at: dup[5]! as LonLat })
  const openIndex = free(used, features.length)
  features[openIndex]!.parts[0]![0]!.pop()
  defects.push({ kind: 'ring-unclosed', code: features[openIndex]!.code, at: features[openIndex]!.parts[0]![0]![0]! as LonLat })
  const cwIndex = free(used, features.length)
  features[cwIndex]!.parts[0]![0]!.reverse()
  defects.push({ kind: 'ring-orientation', code: features[cwIndex]!.code, at: features[cwIndex]!.parts[0]![0]![0]! as LonLat })
  return { features, defects }
}

/** Villages with a misspelled name (江西村 → 江酉村) and a code that is not in the official list. */
export function plantVillageDefects(villages: readonly LayerFeature[], frame: Frame): { features: LayerFeature[], defects: PlantedDefect[] } {
  const features = copy(villages)
  const defects: PlantedDefect[] = []
  const misspelled = features.find(f => f.name === '江西村') ?? features[1]!
  misspelled.name = misspelled.name.replace('西', '酉')
  misspelled.properties.name = misspelled.name
  defects.push({ kind: 'name-mismatch', code: misspelled.code, at: labelPoint(misspelled.parts[0]!, frame) })
  const recoded = features.find(f => f !== misspelled && f.code.slice(9, 10) === '2') ?? features[2]!
  recoded.code = `${recoded.code.slice(0, 9)}299`
  recoded.properties.code = recoded.code
  defects.push({ kind: 'code-unknown', code: recoded.code, at: labelPoint(recoded.parts[0]!, frame) })
  return { features, defects }
}
