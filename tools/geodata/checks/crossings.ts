import type { XY } from '../geometry.ts'

/**
 * Points where the rings of one polygon cross or touch themselves or each other: segments that cross,
 * a vertex lying on another segment, a vertex visited twice, collinear segments that overlap.
 * Segments are bucketed in a uniform grid, so the cost grows with the number of segments, not its
 * square. Adjacent segments of a ring (sharing their common vertex) are not crossings.
 */
export function crossings(rings: readonly (readonly XY[])[]): XY[] {
  const segs: { ring: number, i: number, n: number, a: XY, b: XY }[] = []
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++)
      segs.push({ ring: r, i, n: ring.length - 1, a: ring[i]!, b: ring[i + 1]! })
  })
  if (segs.length < 2)
    return []
  const cell = cellSize(segs)
  const cells = new Map<string, number[]>()
  segs.forEach((s, k) => {
    for (let cx = Math.floor(Math.min(s.a[0], s.b[0]) / cell); cx <= Math.floor(Math.max(s.a[0], s.b[0]) / cell); cx++) {
      for (let cy = Math.floor(Math.min(s.a[1], s.b[1]) / cell); cy <= Math.floor(Math.max(s.a[1], s.b[1]) / cell); cy++) {
        const key = `${cx},${cy}`
        const list = cells.get(key)
        if (list)
          list.push(k)
        else
          cells.set(key, [k])
      }
    }
  })
  const found: XY[] = []
  const seen = new Set<number>()
  for (const list of cells.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [p, q] = [segs[list[x]!]!, segs[list[y]!]!]
        const pair = Math.min(list[x]!, list[y]!) * segs.length + Math.max(list[x]!, list[y]!)
        if (seen.has(pair) || adjacent(p, q))
          continue
        seen.add(pair)
        const point = meet(p.a, p.b, q.a, q.b)
        if (point && !found.some(f => Math.hypot(f[0] - point[0], f[1] - point[1]) < 0.001))
          found.push(point)
      }
    }
  }
  return found
}

function cellSize(segs: readonly { a: XY, b: XY }[]): number {
  let length = 0
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  for (const s of segs) {
    length += Math.hypot(s.b[0] - s.a[0], s.b[1] - s.a[1])
    minX = Math.min(minX, s.a[0])
    maxX = Math.max(maxX, s.a[0])
    minY = Math.min(minY, s.a[1])
    maxY = Math.max(maxY, s.a[1])
  }
  return Math.max(length / segs.length, Math.hypot(maxX - minX, maxY - minY) / 2048, 0.01)
}

function adjacent(p: { ring: number, i: number, n: number }, q: { ring: number, i: number, n: number }): boolean {
  if (p.ring !== q.ring)
    return false
  const d = Math.abs(p.i - q.i)
  return d === 1 || d === p.n - 1
}

function orient(a: XY, b: XY, c: XY): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
}

function onSegment(a: XY, b: XY, c: XY): boolean {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])
}

/** Where segments ab and cd meet (a crossing or a touch), or null. */
export function meet(a: XY, b: XY, c: XY, d: XY): XY | null {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  if (o1 * o2 < 0 && o3 * o4 < 0) {
    const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
    const t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
  }
  if (o1 === 0 && onSegment(a, b, c))
    return c
  if (o2 === 0 && onSegment(a, b, d))
    return d
  if (o3 === 0 && onSegment(c, d, a))
    return a
  if (o4 === 0 && onSegment(c, d, b))
    return b
  return null
}
