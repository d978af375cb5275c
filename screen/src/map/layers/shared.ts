import type { Rgba } from '../colour.ts'
import { Cartesian3, Color, Material, Math as CesiumMath } from 'cesium'

/** Heights (metres) that keep flat layers apart on the ellipsoid without z-fighting, bottom to top. */
export const LAYER_HEIGHT = { mask: 1, gridFill: 2, heat: 4, gridLine: 8, villageLine: 10, townshipLine: 12, marker: 20 } as const

/** Tessellation fine enough that a flat polygon follows the Earth's curve (0.005° ≈ 550 m). */
export const GRANULARITY = CesiumMath.RADIANS_PER_DEGREE * 0.005

export function toColor(rgba: Rgba, result = new Color()): Color {
  return Color.fromBytes(rgba[0], rgba[1], rgba[2], rgba[3], result)
}

/** A ring of [lon, lat] as Cartesian positions at a height, closed. */
export function ringPositions(ring: readonly (readonly number[])[], height: number): Cartesian3[] {
  const flat: number[] = []
  for (const p of ring)
    flat.push(p[0]!, p[1]!, height)
  const first = ring[0]
  const last = ring[ring.length - 1]
  if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
    flat.push(first[0]!, first[1]!, height)
  return Cartesian3.fromDegreesArrayHeights(flat)
}

/** The font of the map's labels: the CJK fonts the wall has (no web font to fetch). */
export function labelFont(px: number, weight = 600): string {
  return `${weight} ${px}px "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif`
}

/**
 * A plain line's material, one per polyline: a polyline destroys its material when removed, so a
 * shared one would be destroyed twice (a second `removeAll`, e.g. new boundaries, would throw).
 * Equal materials are still drawn in one batch (the collection groups them by type and uniforms).
 */
export function lineMaterial(colour: Color): Material {
  return Material.fromType('Color', { color: colour })
}
