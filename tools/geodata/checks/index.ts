import type { Divisions } from '../divisions.ts'
import type { Frame, XY } from '../geometry.ts'
import type { Level, Parts, Problem, ProblemKind, Repair, Unit } from '../types.ts'
import type { TopoItem } from './topology.ts'
import polygonClipping from 'polygon-clipping'
import { bbox, frameFor, labelPoint, partsArea, toLonLat, toPlanar } from '../geometry.ts'
import { LEVELS } from '../types.ts'
import { unitLabel } from '../units.ts'
import { checkCodes } from './codes.ts'
import { checkRings } from './rings.ts'
import { checkShape } from './shape.ts'
import { snap } from './snap.ts'
import { checkTopology } from './topology.ts'

/** A unit already in the target (database or geodata directory). */
export interface ContextUnit {
  code: string
  name: string
  parent: string | undefined
  parts: Parts
}

/** What the target holds around the imported units. */
export interface Context {
  /** Parents by code: the townships of imported villages, the villages of imported grids. */
  parents: ReadonlyMap<string, ContextUnit>
  /** Existing units of the imported level that the import keeps (not in the file). */
  siblings: readonly ContextUnit[]
  /** Existing children of the imported units (villages of a township, grids of villages). */
  children: readonly ContextUnit[]
  /** Whether a target was read (parents must then exist in it). */
  hasTarget: boolean
}

export const NO_CONTEXT: Context = { parents: new Map(), siblings: [], children: [], hasTarget: false }

/** How to validate. */
export interface ValidateOptions {
  level: Level
  /** Gaps, overlaps and parts outside the parent no wider than this (m) are snapped by --repair. */
  tolerance: number
  repair: boolean
  /** Problem kinds the user accepts (`--accept`): reported, not stopping the import. */
  accept: ReadonlySet<ProblemKind>
  divisions: Divisions
  orientationByFormat: boolean
}

/** The validation's outcome: the units as they would be written, problems, and the repairs applied. */
export interface Validation {
  units: Unit[]
  problems: Problem[]
  repairs: Repair[]
  frame: Frame
  /** Problems that stop the import (errors, and repairable ones without --repair). */
  blocking: number
}

interface Working {
  unit: Unit
  label: string
  sound: boolean
  planar: XY[][][]
}

function topoItem(label: string, code: string, parent: string | undefined, planar: XY[][][], fromFile: boolean): TopoItem {
  return { label, code, parent, parts: planar, fromFile, box: bbox(planar.flat(2)) }
}

function contextItem(u: ContextUnit, frame: Frame): TopoItem {
  return topoItem([u.code, u.name].filter(Boolean).join(' '), u.code, u.parent, toPlanar(u.parts, frame), false)
}

/**
 * A self-intersecting unit takes part in the topology as polygon-clipping resolves it (its folds
 * undone), so that its area is not reported as a gap around it; one that cannot be resolved does not.
 */
function resolved(w: Working): XY[][][] | undefined {
  if (w.sound)
    return w.planar
  try {
    return polygonClipping.union(w.planar as polygonClipping.MultiPolygon) as XY[][][]
  }
  catch {
    return undefined
  }
}

function topology(work: readonly Working[], context: Context, options: ValidateOptions, frame: Frame): Problem[] {
  const childLevel = LEVELS[LEVELS.indexOf(options.level) + 1]
  const items = [
    ...work.flatMap((w) => {
      const parts = w.planar.length > 0 ? resolved(w) : undefined
      return parts && parts.length > 0 ? [topoItem(w.label, w.unit.code, w.unit.parent, parts, true)] : []
    }),
    ...context.siblings.filter(u => u.parts.length > 0).map(u => contextItem(u, frame)),
  ]
  const parents = new Map([...context.parents].filter(([, u]) => u.parts.length > 0).map(([code, u]) => [code, contextItem(u, frame)]))
  return checkTopology({ items, parents, children: context.children.filter(u => u.parts.length > 0).map(u => contextItem(u, frame)), childLevel, tolerance: options.tolerance, frame })
}

/** Snaps the units named by repairable topology problems; returns the repairs made. */
function snapRepairable(work: Working[], problems: readonly Problem[], context: Context, options: ValidateOptions, frame: Frame): Repair[] {
  const involved = new Set(problems.filter(p => p.severity === 'repairable').flatMap(p => p.features))
  const mutable = work.filter(w => w.sound && involved.has(w.label))
  if (mutable.length === 0)
    return []
  const fixed = [
    ...work.filter(w => w.sound && !involved.has(w.label)).map(w => ({ label: w.label, parts: w.planar, mutable: false })),
    ...[...context.siblings, ...context.parents.values()].map(u => ({ label: u.code, parts: toPlanar(u.parts, frame), mutable: false })),
  ]
  const items = [...mutable.map(w => ({ label: w.label, parts: w.planar, mutable: true })), ...fixed]
  const outcomes = snap(items, options.tolerance)
  const repairs: Repair[] = []
  mutable.forEach((w, i) => {
    const o = outcomes[i]!
    w.planar = items[i]!.parts
    w.unit.parts = toLonLat(w.planar, frame)
    if (o.moved + o.inserted > 0)
      repairs.push({ kind: 'snap', feature: w.label, at: o.at && frame.toLonLat(o.at), detail: `snapped to its neighbours within ${options.tolerance} m: ${o.moved} vertices moved, ${o.inserted} inserted` })
  })
  return repairs
}

function resolveSeverities(problems: Problem[], options: ValidateOptions): Problem[] {
  return problems
    .filter(p => !(options.repair && p.severity === 'repairable'))
    .map(p => (p.severity === 'error' && options.accept.has(p.kind) ? { ...p, severity: 'accepted' as const } : p))
}

/**
 * Validates units before anything is written, applying the safe repairs with `--repair`: rings, shape,
 * codes and names, then topology among siblings and against the parents; with `--repair`, thin gaps
 * and overlaps are snapped and the topology checked again (what remains is an error).
 */
export function validate(units: Unit[], context: Context, options: ValidateOptions): Validation {
  const frame = frameFor([...units.map(u => u.parts), ...[...context.parents.values()].map(u => u.parts)])
  const problems: Problem[] = []
  const repairs: Repair[] = []
  const work: Working[] = []
  for (const unit of units) {
    const label = unitLabel(unit)
    const rings = checkRings(unit, frame, options.orientationByFormat)
    problems.push(...rings.problems)
    if (options.repair)
      repairs.push(...rings.repairs)
    const fixed: Unit = { ...unit, parts: rings.parts }
    const shape = rings.degenerate ? { problems: [], sound: false } : checkShape(rings.parts, options.level, label, frame)
    problems.push(...shape.problems)
    work.push({ unit: fixed, label, sound: shape.sound, planar: toPlanar(rings.parts, frame) })
  }
  problems.push(...checkCodes(work.map(w => w.unit), {
    level: options.level,
    divisions: options.divisions,
    at: u => (u.parts.length > 0 ? labelPoint(u.parts[0]!, frame) : [Number.NaN, Number.NaN]),
    area: u => partsArea(toPlanar(u.parts, frame)),
  }))
  problems.push(...missingParents(work, context, options.level, frame))
  let topo = topology(work, context, options, frame)
  if (options.repair && topo.some(p => p.severity === 'repairable')) {
    repairs.push(...snapRepairable(work, topo, context, options, frame))
    const recheck = work.filter(w => w.sound).flatMap(w => checkShape(w.unit.parts, options.level, w.label, frame).problems.filter(p => p.kind === 'self-intersection'))
    topo = [...recheck, ...topology(work, context, options, frame).map(p => (p.severity === 'repairable' ? { ...p, severity: 'error' as const, message: `${p.message} (left after snapping)` } : p))]
  }
  const resolved = resolveSeverities([...problems, ...topo], options)
  return { units: work.map(w => w.unit), problems: resolved, repairs, frame, blocking: resolved.filter(p => p.severity === 'error' || p.severity === 'repairable').length }
}

function missingParents(work: readonly Working[], context: Context, level: Level, frame: Frame): Problem[] {
  if (!context.hasTarget || level === 'township')
    return []
  const parentLevel = level === 'village' ? 'township' : 'village'
  return work.filter(w => w.unit.parent && !context.parents.has(w.unit.parent)).map(w => ({
    kind: 'parent-missing' as const,
    severity: 'error' as const,
    features: [w.label],
    at: w.unit.parts[0] ? labelPoint(w.unit.parts[0], frame) : undefined,
    areaM2: partsArea(w.planar),
    message: `its ${parentLevel} ${w.unit.parent} is not in the target: import the ${parentLevel} first`,
  }))
}
