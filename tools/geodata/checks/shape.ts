import type { Frame, XY } from '../geometry.ts'
import type { Level, Parts, Problem } from '../types.ts'
import polygonClipping from 'polygon-clipping'
import { measurePiece, partsArea, polygonArea, signedArea, toLonLat, toPlanar } from '../geometry.ts'
import { crossings } from './crossings.ts'

/** A polygon (part) whose largest inscribed circle is narrower than this (m) is a sliver. */
export const SLIVER_WIDTH_M = 5

/** Plausible areas by level, km²: beyond them the units or the CRS are wrong, or the feature is. */
export const AREA_RANGE_KM2: Record<Level, [number, number]> = {
  township: [1, 20000],
  village: [0.01, 5000],
  grid: [0.0005, 500],
}

/** Area of the folds of a self-intersecting polygon: resolved area minus signed area, halved. */
function foldArea(rings: XY[][]): number {
  try {
    const resolved = polygonClipping.union(rings as polygonClipping.Polygon)
    const signed = signedArea(rings[0]!) - rings.slice(1).reduce((s, r) => s + Math.abs(signedArea(r)), 0)
    return Math.max(0, (partsArea(resolved) - Math.abs(signed)) / 2)
  }
  catch {
    return 0
  }
}

/** Self-intersections of each part (and parts crossing each other); returns whether any was found. */
function checkCrossings(planar: XY[][][], label: string, frame: Frame, problems: Problem[]): boolean {
  let found = false
  planar.forEach((rings) => {
    const points = crossings(rings)
    if (points.length === 0)
      return
    found = true
    const fold = foldArea(rings)
    for (const p of points.slice(0, 10))
      problems.push({ kind: 'self-intersection', severity: 'error', features: [label], at: frame.toLonLat(p), areaM2: fold, message: `crosses or touches itself (folded area ${fold.toFixed(1)} m²)` })
  })
  if (!found && planar.length > 1 && crossings(planar.flat()).length > 0) {
    const p = crossings(planar.flat())[0]!
    problems.push({ kind: 'self-intersection', severity: 'error', features: [label], at: frame.toLonLat(p), areaM2: 0, message: 'its parts cross or touch each other' })
    found = true
  }
  return found
}

/**
 * Geometry checks of one unit whose rings are already normalised: self-intersections, more than one
 * part where the contract stores a Polygon (villages, grids), slivers, implausible areas. Returns the
 * problems and whether the geometry is sound enough for the topology checks.
 */
export function checkShape(parts: Parts, level: Level, label: string, frame: Frame): { problems: Problem[], sound: boolean } {
  const problems: Problem[] = []
  const planar = toPlanar(parts, frame)
  const crossed = checkCrossings(planar, label, frame, problems)
  if (parts.length > 1 && level !== 'township') {
    const p = parts[1]![0]![0]!
    problems.push({ kind: 'multipart', severity: 'error', features: [label], at: [p[0]!, p[1]!], areaM2: partsArea(planar.slice(1)), message: `has ${parts.length} parts: the contract stores a ${level} as one Polygon (an enclave needs its own ${level})` })
  }
  if (!crossed) {
    planar.forEach((rings) => {
      const piece = measurePiece(rings)
      if (piece.widthM < SLIVER_WIDTH_M)
        problems.push({ kind: 'sliver', severity: 'error', features: [label], at: frame.toLonLat(piece.at), areaM2: polygonArea(rings), widthM: piece.widthM, message: `${planar.length > 1 ? 'a part ' : ''}is a sliver: at most ${piece.widthM.toFixed(2)} m wide`, pieces: toLonLat([rings], frame) })
    })
  }
  const km2 = partsArea(planar) / 1e6
  const [min, max] = AREA_RANGE_KM2[level]
  if (km2 < min || km2 > max) {
    const pole = measurePiece(planar[0]!).at
    problems.push({ kind: 'area-implausible', severity: 'error', features: [label], at: frame.toLonLat(pole), areaM2: km2 * 1e6, message: `area ${km2 < 0.1 ? km2.toFixed(5) : km2.toFixed(2)} km² is implausible for a ${level} (expected ${min}–${max} km²)` })
  }
  return { problems, sound: !crossed }
}
