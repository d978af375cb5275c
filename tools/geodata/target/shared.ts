import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson'
import type { Frame } from '../geometry.ts'
import type { Level, LonLat, Parts, Unit } from '../types.ts'
import { labelPoint, partsArea, pointInPolygon, polygonArea, round7, toPlanar } from '../geometry.ts'

/** What an import wrote, or would write. */
export interface WriteSummary {
  inserted: string[]
  updated: string[]
  unchanged: string[]
  retired: string[]
}

/** How to write the validated units. */
export interface WriteOptions {
  level: Level
  /** Retire (database: active = false; files: remove) units of the same parents missing from the file. */
  retireMissing: boolean
  /** `--parent`, which also names the parents whose missing children are retired. */
  parent?: string
  frame: Frame
}

/** A ring rounded to 7 decimals; with `clean`, without the repeated positions rounding can make. */
function roundRing(ring: readonly Position[], clean: boolean): Position[] {
  const out: Position[] = []
  for (const p of ring) {
    const q = [round7(p[0]!), round7(p[1]!)]
    const last = out[out.length - 1]
    if (!clean || !last || last[0] !== q[0] || last[1] !== q[1])
      out.push(q)
  }
  return out
}

/**
 * The GeoJSON geometry of parts, coordinates rounded to 7 decimals (≈ 1 cm): a Polygon when one part.
 * `clean` (what the targets store) also drops positions that rounding made repeat; exports keep the
 * positions as they are.
 */
export function geometryOf(parts: Parts, clean = false): Polygon | MultiPolygon {
  const rounded = parts.map(rings => rings.map(ring => roundRing(ring, clean)))
  return rounded.length === 1 ? { type: 'Polygon', coordinates: rounded[0]! } : { type: 'MultiPolygon', coordinates: rounded }
}

/** The parts of a stored geometry (jsonb object or JSON text); empty when there is none. */
export function partsOfStored(value: unknown): Parts {
  const g = (typeof value === 'string' ? JSON.parse(value) : value) as Geometry | null
  if (!g)
    return []
  if (g.type === 'Polygon')
    return [g.coordinates]
  if (g.type === 'MultiPolygon')
    return g.coordinates
  return []
}

/** The largest part's rings (for a label point). */
function largestPart(parts: Parts, frame: Frame): Parts[number] {
  const planar = toPlanar(parts, frame)
  let best = 0
  planar.forEach((rings, i) => {
    if (polygonArea(rings) > polygonArea(planar[best]!))
      best = i
  })
  return parts[best]!
}

/** Derived values written with a boundary: area in km² (4 decimals) and a label point inside it. */
export function derived(unit: Unit, frame: Frame): { areaKm2: number, label: LonLat } {
  const areaKm2 = Math.round(partsArea(toPlanar(unit.parts, frame)) / 1e6 * 1e4) / 1e4
  const [lon, lat] = labelPoint(largestPart(unit.parts, frame), frame)
  return { areaKm2, label: [round7(lon), round7(lat)] }
}

/** Whether a point (a village centre, a township seat) still lies inside the new boundary. */
export function insideParts(point: readonly [number, number] | undefined | null, parts: Parts): boolean {
  return !!point && Number.isFinite(point[0]) && Number.isFinite(point[1]) && parts.some(rings => pointInPolygon(point as [number, number], rings))
}

/** Whether a stored geometry equals the new one (after rounding) and the name is unchanged. */
export function sameAsStored(stored: unknown, name: string | undefined, unit: Unit): boolean {
  return name === unit.name && JSON.stringify(geometryOf(partsOfStored(stored), true)) === JSON.stringify(geometryOf(unit.parts, true))
}

/** One unit of an exported layer, with the properties of the geodata/ files. */
export interface LayerFeature {
  code: string
  name: string
  parent: string | undefined
  parts: Parts
  properties: Record<string, unknown>
}

/** The three layers of a township's boundaries. */
export type Layers = Record<Level, LayerFeature[]>
