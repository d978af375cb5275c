/**
 * Exact validity checks on integer micro-degree geometry. Coordinates are integers below 2^29 and
 * differences within a township below 2^19, so every orientation determinant is an exact double.
 */

type Pt = readonly [number, number]

function orient(a: Pt, b: Pt, c: Pt): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
}

function same(a: Pt, b: Pt): boolean {
  return a[0] === b[0] && a[1] === b[1]
}

/** c is on the closed segment ab, given that a, b, c are collinear. */
function within(a: Pt, b: Pt, c: Pt): boolean {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0])
    && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])
}

/**
 * Whether two segments of a plane graph conflict: they cross or touch anywhere except at one common end
 * point, or they overlap along a line.
 */
export function segmentsConflict(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const shared = [[a, b, c, d], [a, b, d, c], [b, a, c, d], [b, a, d, c]] as const
  for (const [p, q, r, s] of shared) {
    if (same(p, r)) {
      // One common end point p: fine unless the segments are the same or fold onto each other.
      if (same(q, s))
        return true
      if (orient(p, q, s) !== 0)
        return false
      return (q[0] - p[0]) * (s[0] - p[0]) + (q[1] - p[1]) * (s[1] - p[1]) > 0
    }
  }
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  if (o1 * o2 < 0 && o3 * o4 < 0)
    return true
  return (o1 === 0 && within(a, b, c)) || (o2 === 0 && within(a, b, d))
    || (o3 === 0 && within(c, d, a)) || (o4 === 0 && within(c, d, b))
}

/**
 * Finds conflicting segments among polylines (flat integer [x0, y0, x1, y1, …]) using a uniform spatial
 * hash. Returns a description of the first conflict, or null when the polylines form a plane graph.
 */
export function findConflict(polylines: readonly (readonly number[])[], cellSize = 2000): string | null {
  const segs: number[] = []
  for (const line of polylines) {
    for (let i = 0; i + 3 < line.length; i += 2)
      segs.push(line[i]!, line[i + 1]!, line[i + 2]!, line[i + 3]!)
  }
  const count = segs.length / 4
  const cells = new Map<number, number[]>()
  const key = (cx: number, cy: number): number => cx * 1_000_003 + cy
  for (let s = 0; s < count; s++) {
    const x0 = Math.floor(Math.min(segs[4 * s]!, segs[4 * s + 2]!) / cellSize)
    const x1 = Math.floor(Math.max(segs[4 * s]!, segs[4 * s + 2]!) / cellSize)
    const y0 = Math.floor(Math.min(segs[4 * s + 1]!, segs[4 * s + 3]!) / cellSize)
    const y1 = Math.floor(Math.max(segs[4 * s + 1]!, segs[4 * s + 3]!) / cellSize)
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const k = key(cx, cy)
        const list = cells.get(k)
        if (list)
          list.push(s)
        else
          cells.set(k, [s])
      }
    }
  }
  const pt = (s: number, end: number): Pt => [segs[4 * s + 2 * end]!, segs[4 * s + 2 * end + 1]!]
  const seen = new Set<number>()
  for (const list of cells.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const s = list[i]!
        const t = list[j]!
        const pair = s * count + t
        if (seen.has(pair))
          continue
        seen.add(pair)
        if (segmentsConflict(pt(s, 0), pt(s, 1), pt(t, 0), pt(t, 1)))
          return `segments ${pt(s, 0)}–${pt(s, 1)} and ${pt(t, 0)}–${pt(t, 1)} cross or overlap`
      }
    }
  }
  return null
}

/** Twice the signed area of a closed integer ring (positive when counter-clockwise). */
export function signedArea2(ring: readonly number[]): number {
  let a = 0
  const x0 = ring[0]!
  const y0 = ring[1]!
  for (let i = 2; i + 3 < ring.length; i += 2)
    a += (ring[i]! - x0) * (ring[i + 3]! - y0) - (ring[i + 2]! - x0) * (ring[i + 1]! - y0)
  return a
}

/**
 * Checks a closed integer ring built from plane-graph chains: at least 4 positions, closed, no vertex
 * visited twice (a pinch), counter-clockwise. Returns a problem description or null.
 */
export function ringProblem(ring: readonly number[]): string | null {
  const n = ring.length / 2
  if (n < 4)
    return 'ring has fewer than 4 positions'
  if (ring[0] !== ring[2 * n - 2] || ring[1] !== ring[2 * n - 1])
    return 'ring is not closed'
  const seen = new Set<string>()
  for (let i = 0; i < n - 1; i++) {
    const k = `${ring[2 * i]},${ring[2 * i + 1]}`
    if (seen.has(k))
      return `ring visits ${k} twice`
    seen.add(k)
  }
  if (signedArea2(ring) <= 0)
    return 'ring is not counter-clockwise'
  return null
}
