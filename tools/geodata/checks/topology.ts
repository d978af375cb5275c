import type { Frame, XY } from '../geometry.ts'
import type { Problem, ProblemKind, Severity } from '../types.ts'
import polygonClipping from 'polygon-clipping'
import { boxesMeet, distanceToRings, measurePiece, toLonLat } from '../geometry.ts'

/** Pieces narrower than this (m) are rounding noise, not gaps or overlaps. */
export const NOISE_M = 0.02

/** A polygon taking part in the topology checks, in the local plane. */
export interface TopoItem {
  label: string
  code: string
  parent: string | undefined
  parts: XY[][][]
  /** From the imported file (else an existing sibling in the target, kept as it is). */
  fromFile: boolean
  box: number[]
}

/** What the topology checks compare. */
export interface TopoInput {
  items: TopoItem[]
  /** Parent polygons by code (the township of villages, the villages of grids). */
  parents: ReadonlyMap<string, TopoItem>
  /** Existing children of the imported units, which the new boundaries should still contain. */
  children: readonly TopoItem[]
  childLevel: string | undefined
  tolerance: number
  frame: Frame
}

type MultiPolygon = polygonClipping.MultiPolygon

function clip(op: 'intersection' | 'difference' | 'union', a: XY[][][], ...b: XY[][][][]): MultiPolygon | Error {
  try {
    return polygonClipping[op](a as MultiPolygon, ...(b as MultiPolygon[]))
  }
  catch (error) {
    return error as Error
  }
}

interface PieceOptions {
  kind: ProblemKind
  features: string[]
  message: (width: string, area: string) => string
  /** Severity of a piece wider than the tolerance (thinner ones are repairable). */
  wide: Severity
  thin: Severity
}

function pieceProblems(pieces: MultiPolygon, input: TopoInput, o: PieceOptions): Problem[] {
  const out: Problem[] = []
  for (const rings of pieces) {
    const m = measurePiece(rings as XY[][])
    if (m.widthM < NOISE_M || m.areaM2 < 0.001)
      continue
    out.push({
      kind: o.kind,
      severity: m.widthM <= input.tolerance ? o.thin : o.wide,
      features: o.features,
      at: input.frame.toLonLat(m.at),
      areaM2: m.areaM2,
      widthM: m.widthM,
      message: o.message(`${m.widthM.toFixed(2)} m`, `${m.areaM2.toFixed(1)} m²`),
      pieces: toLonLat([rings as XY[][]], input.frame),
    })
  }
  return out
}

function failed(kind: ProblemKind, features: string[], error: Error): Problem {
  return { kind, severity: 'error', features, at: undefined, areaM2: 0, message: `could not be compared (${error.message}): check the geometry` }
}

function overlaps(group: readonly TopoItem[], input: TopoInput): Problem[] {
  const out: Problem[] = []
  for (let i = 0; i < group.length; i++) {
    for (let j = i + 1; j < group.length; j++) {
      const [a, b] = [group[i]!, group[j]!]
      if ((!a.fromFile && !b.fromFile) || !boxesMeet(a.box, b.box))
        continue
      const pieces = clip('intersection', a.parts, b.parts)
      if (pieces instanceof Error)
        out.push(failed('overlap', [a.label, b.label], pieces))
      else
        out.push(...pieceProblems(pieces, input, { kind: 'overlap', features: [a.label, b.label], wide: 'error', thin: 'repairable', message: (w, s) => `overlap ${s}, up to ${w} wide` }))
    }
  }
  return out
}

function neighboursOf(problem: Problem, group: readonly TopoItem[], input: TopoInput, parent: TopoItem | undefined): string[] {
  const at = input.frame.toXY(problem.at!)
  const reach = (problem.widthM ?? 0) / 2 + Math.max(1, input.tolerance)
  const near = group.filter(item => distanceToRings(at, item.parts.flat()) <= reach).map(item => item.label)
  return parent && distanceToRings(at, parent.parts.flat()) <= reach ? [...near, parent.label] : near
}

function gaps(group: readonly TopoItem[], parent: TopoItem | undefined, input: TopoInput): Problem[] {
  const members = group.map(item => item.parts)
  let pieces: MultiPolygon | Error
  if (parent) {
    pieces = clip('difference', parent.parts, ...members)
  }
  else {
    const union = clip('union', members[0]!, ...members.slice(1))
    pieces = union instanceof Error ? union : union.flatMap(rings => rings.slice(1).map(hole => [[...hole].reverse()]))
  }
  if (pieces instanceof Error)
    return [failed('gap', group.map(item => item.label).slice(0, 3), pieces)]
  const where = parent ? `inside ${parent.label}` : 'enclosed by its neighbours'
  const found = pieceProblems(pieces, input, { kind: 'gap', features: [], wide: 'error', thin: 'repairable', message: (w, s) => `gap ${s} ${where} covered by no ${group.length > 1 ? 'sibling' : 'unit'}, up to ${w} wide` })
  for (const problem of found)
    problem.features = neighboursOf(problem, group, input, parent)
  return found
}

function outside(item: TopoItem, parent: TopoItem, input: TopoInput, kind: ProblemKind, wide: Severity, thin: Severity, message: (w: string, s: string) => string): Problem[] {
  // Wholly outside: the piece is the unit itself, measured like any other piece (never a snap).
  if (!boxesMeet(item.box, parent.box))
    return pieceProblems(item.parts as MultiPolygon, input, { kind, features: [item.label, parent.label], wide, thin: wide, message: (w, s) => message(w, `all of it (${s})`) })
  const pieces = clip('difference', item.parts, parent.parts)
  if (pieces instanceof Error)
    return [failed(kind, [item.label, parent.label], pieces)]
  return pieceProblems(pieces, input, { kind, features: [item.label, parent.label], wide, thin, message })
}

/**
 * Topology between siblings and against parents, in the local plane with polygon-clipping: overlaps
 * between siblings, gaps (inside the parent when it is known, else holes enclosed by the siblings),
 * parts of a unit outside its parent, and existing children left outside a new boundary (a warning:
 * re-import them next). Each piece is measured by its area and width; one no wider than the tolerance
 * is repairable by snapping.
 */
export function checkTopology(input: TopoInput): Problem[] {
  const groups = new Map<string, TopoItem[]>()
  for (const item of input.items) {
    const key = item.parent ?? ''
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  const problems: Problem[] = []
  for (const [parentCode, group] of groups) {
    if (!group.some(item => item.fromFile))
      continue
    const parent = input.parents.get(parentCode)
    problems.push(...overlaps(group, input), ...gaps(group, parent, input))
    if (parent) {
      for (const item of group.filter(i => i.fromFile))
        problems.push(...outside(item, parent, input, 'outside-parent', 'error', 'repairable', (w, s) => `${s} outside ${parent.label}, up to ${w} wide`))
    }
  }
  const imported = new Map(input.items.filter(i => i.fromFile).map(i => [i.code, i]))
  for (const child of input.children) {
    const parent = imported.get(child.parent ?? '')
    if (parent)
      problems.push(...outside(child, parent, input, 'children-outside', 'warning', 'warning', (w, s) => `the existing ${input.childLevel ?? 'child'} ${child.label} would have ${s} outside the new boundary (up to ${w} wide): import the ${input.childLevel ?? 'children'}s again after this`))
  }
  return problems
}
