import type { Position } from 'geojson'
import type { Frame } from '../geometry.ts'
import type { Parts, Problem, Repair, Unit } from '../types.ts'
import { signedArea } from '../geometry.ts'
import { unitLabel } from '../units.ts'

/** Consecutive positions closer than this (m) are one vertex repeated. */
export const DUPLICATE_M = 0.001

/** The rings of a unit made valid where that is safe, and what was found on the way. */
export interface RingResult {
  /** Closed, without repeated vertices, exteriors counter-clockwise and holes clockwise. */
  parts: Parts
  problems: Problem[]
  /** The repairs that produced `parts` from the file's rings. */
  repairs: Repair[]
  /** A ring too short to be a polygon remains: no further geometry check makes sense. */
  degenerate: boolean
}

interface RingContext {
  label: string
  frame: Frame
  orientationByFormat: boolean
  where: string
  exterior: boolean
}

function distance(frame: Frame, a: Position, b: Position): number {
  const [ax, ay] = frame.toXY(a)
  const [bx, by] = frame.toXY(b)
  return Math.hypot(ax - bx, ay - by)
}

function closeRing(ring: Position[], c: RingContext, out: RingResult): Position[] {
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (ring.length > 1 && first[0] === last[0] && first[1] === last[1])
    return ring
  const gap = ring.length > 1 ? distance(c.frame, first, last) : 0
  if (ring.length > 1 && gap < DUPLICATE_M)
    return [...ring.slice(0, -1), first]
  out.problems.push({ kind: 'ring-unclosed', severity: 'repairable', features: [c.label], at: [first[0]!, first[1]!], areaM2: 0, message: `${c.where} is not closed (its last position is ${gap.toFixed(1)} m from its first)` })
  out.repairs.push({ kind: 'close-ring', feature: c.label, at: [first[0]!, first[1]!], detail: `closed ${c.where}` })
  return [...ring, first]
}

function removeDuplicates(ring: Position[], c: RingContext, out: RingResult): Position[] {
  const open = ring.slice(0, -1)
  const kept: Position[] = []
  open.forEach((p, i) => {
    const previous = kept[kept.length - 1]
    const wraps = i === open.length - 1 && kept.length > 1 && distance(c.frame, kept[0]!, p) < DUPLICATE_M
    if ((previous && distance(c.frame, previous, p) < DUPLICATE_M) || wraps) {
      out.problems.push({ kind: 'duplicate-vertex', severity: 'repairable', features: [c.label], at: [p[0]!, p[1]!], areaM2: 0, message: `${c.where} repeats the vertex at position ${i + 1}` })
      out.repairs.push({ kind: 'remove-duplicates', feature: c.label, at: [p[0]!, p[1]!], detail: `removed the repeated vertex at position ${i + 1} of ${c.where}` })
      return
    }
    kept.push(p)
  })
  return kept.length > 0 ? [...kept, kept[0]!] : []
}

function orient(ring: Position[], c: RingContext, out: RingResult): Position[] {
  const area = signedArea(ring.map(c.frame.toXY))
  // A ring folded onto itself has no orientation: its self-intersection is reported instead.
  if ((area > 0) === c.exterior || Math.abs(area) < 1e-6)
    return ring
  if (!c.orientationByFormat) {
    const p = ring[0]!
    out.problems.push({ kind: 'ring-orientation', severity: 'repairable', features: [c.label], at: [p[0]!, p[1]!], areaM2: Math.abs(area), message: `${c.where} runs ${c.exterior ? 'clockwise' : 'counter-clockwise'} (RFC 7946: exteriors counter-clockwise, holes clockwise)` })
    out.repairs.push({ kind: 'orient-ring', feature: c.label, at: [p[0]!, p[1]!], detail: `reversed ${c.where}` })
  }
  return [...ring].reverse()
}

/**
 * Checks and normalises every ring of a unit: closed (a ring whose last position is not its first is
 * closed), at least 4 positions, no repeated consecutive vertex (within 1 mm), RFC 7946 orientation.
 * Orientation is not reported for formats that define exteriors by it (Shapefile: clockwise).
 */
export function checkRings(unit: Unit, frame: Frame, orientationByFormat: boolean): RingResult {
  const label = unitLabel(unit)
  const out: RingResult = { parts: [], problems: [], repairs: [], degenerate: false }
  unit.parts.forEach((rings, partIndex) => {
    const kept: Position[][] = []
    rings.forEach((raw, ringIndex) => {
      const where = `${ringIndex === 0 ? 'the exterior ring' : `hole ${ringIndex}`}${unit.parts.length > 1 ? ` of part ${partIndex + 1}` : ''}`
      const c: RingContext = { label, frame, orientationByFormat, where, exterior: ringIndex === 0 }
      if (raw.length === 0)
        return
      let ring = closeRing(raw, c, out)
      ring = removeDuplicates(ring, c, out)
      const distinct = ring.length - 1
      if (distinct < 3) {
        const p = raw[0]!
        out.problems.push({ kind: 'ring-degenerate', severity: 'error', features: [label], at: [p[0]!, p[1]!], areaM2: 0, message: `${where} has ${Math.max(distinct, 0)} distinct positions (a ring needs at least 4 positions, 3 of them distinct)` })
        out.degenerate = true
        return
      }
      kept.push(orient(ring, c, out))
    })
    if (kept.length > 0)
      out.parts.push(kept)
  })
  if (out.parts.length === 0)
    out.degenerate = true
  return out
}
