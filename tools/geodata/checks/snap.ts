import type { XY } from '../geometry.ts'
import { bbox, boxesMeet, closestOnSegment } from '../geometry.ts'
import { DUPLICATE_M } from './rings.ts'

/** A polygon taking part in snapping; only `mutable` ones change. */
export interface SnapItem {
  label: string
  /** Parts, rings closed; replaced by the snapped rings. */
  parts: XY[][][]
  mutable: boolean
}

/** What snapping did to one item. */
export interface SnapOutcome {
  moved: number
  inserted: number
  /** The first vertex that changed. */
  at: XY | undefined
}

const SAME = 1e-9

const key = (p: XY): string => `${p[0]},${p[1]}`

class VertexGrid {
  private readonly cells = new Map<string, { p: XY, owner: number }[]>()
  constructor(private readonly size: number) {}

  add(p: XY, owner: number): void {
    const k = `${Math.floor(p[0] / this.size)},${Math.floor(p[1] / this.size)}`
    const list = this.cells.get(k)
    if (list)
      list.push({ p, owner })
    else
      this.cells.set(k, [{ p, owner }])
  }

  /** The nearest vertex of another owner within `size`. */
  nearest(p: XY, owner: number): XY | undefined {
    const cx = Math.floor(p[0] / this.size)
    const cy = Math.floor(p[1] / this.size)
    let best: XY | undefined
    let bestDistance = this.size
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const v of this.cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          const d = Math.hypot(v.p[0] - p[0], v.p[1] - p[1])
          if (v.owner !== owner && d <= bestDistance) {
            best = v.p
            bestDistance = d
          }
        }
      }
    }
    return best
  }
}

function openRings(parts: XY[][][]): XY[][] {
  return parts.flatMap(rings => rings.map(ring => ring.slice(0, -1)))
}

/** The segment of `rings` nearest to p within `tolerance` (and not touching it already). */
function nearestSegment(p: XY, rings: XY[][], tolerance: number): { ring: XY[], index: number, point: XY } | undefined {
  let best: { ring: XY[], index: number, point: XY } | undefined
  let bestDistance = tolerance
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!
      const b = ring[(i + 1) % ring.length]!
      if (Math.min(a[0], b[0]) - tolerance > p[0] || Math.max(a[0], b[0]) + tolerance < p[0] || Math.min(a[1], b[1]) - tolerance > p[1] || Math.max(a[1], b[1]) + tolerance < p[1])
        continue
      const { point, distance } = closestOnSegment(p, a, b)
      if (distance <= bestDistance) {
        best = { ring, index: i, point }
        bestDistance = distance
      }
    }
  }
  return best && bestDistance > SAME ? best : undefined
}

function note(outcome: SnapOutcome, p: XY, field: 'moved' | 'inserted'): void {
  outcome[field]++
  outcome.at ??= [p[0], p[1]]
}

/** Vertices of mutable items move onto the nearest vertex of an earlier or fixed item within the tolerance. */
function snapVertices(items: readonly SnapItem[], rings: XY[][][], outcomes: SnapOutcome[], tolerance: number): void {
  const grid = new VertexGrid(tolerance)
  items.forEach((item, i) => {
    if (!item.mutable)
      rings[i]!.flat().forEach(p => grid.add(p, i))
  })
  items.forEach((item, i) => {
    if (!item.mutable)
      return
    for (const ring of rings[i]!) {
      ring.forEach((p, k) => {
        const w = grid.nearest(p, i)
        if (w && Math.hypot(w[0] - p[0], w[1] - p[1]) > SAME) {
          ring[k] = [w[0], w[1]]
          note(outcomes[i]!, p, 'moved')
        }
      })
    }
    rings[i]!.flat().forEach(p => grid.add(p, i))
  })
}

/** One mutable item X against another item Y: X's vertices onto Y's edges, a fixed Y's vertices into X's edges. */
function snapEdges(x: number, y: number, items: readonly SnapItem[], rings: XY[][][], outcomes: SnapOutcome[], tolerance: number): void {
  const [rx, ry] = [rings[x]!, rings[y]!]
  const yKeys = new Set(ry.flat().map(key))
  for (const ring of rx) {
    ring.forEach((p, k) => {
      if (yKeys.has(key(p)))
        return
      const hit = nearestSegment(p, ry, tolerance)
      if (!hit)
        return
      if (items[y]!.mutable) {
        hit.ring.splice(hit.index + 1, 0, [p[0], p[1]])
        yKeys.add(key(p))
        note(outcomes[y]!, p, 'inserted')
      }
      else {
        ring[k] = hit.point
        note(outcomes[x]!, p, 'moved')
      }
    })
  }
  if (items[y]!.mutable)
    return
  const xKeys = new Set(rx.flat().map(key))
  for (const w of ry.flat()) {
    const hit = xKeys.has(key(w)) ? undefined : nearestSegment(w, rx, tolerance)
    if (hit) {
      hit.ring.splice(hit.index + 1, 0, [w[0], w[1]])
      xKeys.add(key(w))
      note(outcomes[x]!, w, 'inserted')
    }
  }
}

/** Closes a snapped ring, dropping vertices that snapping brought within a millimetre of the previous one. */
function closeClean(ring: XY[]): XY[] {
  const kept: XY[] = []
  for (const p of ring) {
    const last = kept[kept.length - 1]
    if (!last || Math.hypot(last[0] - p[0], last[1] - p[1]) >= DUPLICATE_M)
      kept.push(p)
  }
  while (kept.length > 1 && Math.hypot(kept[0]![0] - kept[kept.length - 1]![0], kept[0]![1] - kept[kept.length - 1]![1]) < DUPLICATE_M)
    kept.pop()
  return [...kept, kept[0]!]
}

/**
 * Snaps the borders of mutable polygons onto their neighbours' within `tolerance` metres, so that
 * neighbours share the very same vertices along their common border: first vertex to vertex, then
 * vertex to edge (inserting the vertex into the neighbour's edge when the neighbour may change too).
 * No vertex moves farther than the tolerance. Fixed items (the parent, existing siblings) never change.
 */
export function snap(items: SnapItem[], tolerance: number): SnapOutcome[] {
  const rings = items.map(item => openRings(item.parts))
  const outcomes: SnapOutcome[] = items.map(() => ({ moved: 0, inserted: 0, at: undefined }))
  snapVertices(items, rings, outcomes, tolerance)
  const boxes = rings.map(r => bbox(r.flat()))
  items.forEach((item, x) => {
    if (!item.mutable)
      return
    items.forEach((_, y) => {
      if (x !== y && boxesMeet(boxes[x]!, boxes[y]!, tolerance))
        snapEdges(x, y, items, rings, outcomes, tolerance)
    })
  })
  items.forEach((item, i) => {
    let next = 0
    item.parts = item.parts.map(part => part.map(() => closeClean(rings[i]![next++]!)))
  })
  return outcomes
}
