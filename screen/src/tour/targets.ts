import type { CameraPoint, CasePoint, TourBusiest, TourFlight, UnitRanking } from '#wire'

/** Where a step's flight lands: a point, how far to look from, and the card to open (if any). */
export interface TourTarget {
  lon: number
  lat: number
  range: number
  /** The map card to open (a `MapSelection` of the map store). */
  selection: { kind: 'grid' | 'camera' | 'incident', id: number } | null
}

/** A place a village or grid flight may pick: its figures and where it lies. */
export interface TourPlace {
  id: number
  code: string
  name: string
  point: [number, number] | null
  figures: UnitRanking | undefined
}

/** How far the camera stands from each kind of place unless the step says (metres). */
export const DEFAULT_RANGE = { village: 4500, grid: 2200, case: 1600, camera: 900 } as const

/** The place a village or grid flight names: by code, by name, or the busiest by a figure (ties: the lower id). */
export function pickPlace(places: readonly TourPlace[], by: { code?: string, name?: string, busiest?: TourBusiest }): TourPlace | null {
  const located = places.filter(p => p.point !== null)
  if (by.code !== undefined)
    return located.find(p => p.code === by.code) ?? null
  if (by.name !== undefined)
    return located.find(p => p.name === by.name) ?? located.find(p => p.name.includes(by.name!)) ?? null
  const figure = by.busiest ?? 'open'
  let best: TourPlace | null = null
  for (const place of located) {
    const value = place.figures?.[figure] ?? -1
    const bestValue = best?.figures?.[figure] ?? -1
    if (best === null || value > bestValue || (value === bestValue && place.id < best.id))
      best = place
  }
  return best
}

/** The newest of the cases (by report time), or null. */
export function newestCase(cases: readonly CasePoint[]): CasePoint | null {
  return cases.reduce<CasePoint | null>((newest, c) => (newest === null || c.reportedAt > newest.reportedAt ? c : newest), null)
}

/** A camera by its code among the live cameras. */
export function cameraByCode(cameras: Iterable<CameraPoint>, code: string): CameraPoint | null {
  for (const camera of cameras) {
    if (camera.code === code)
      return camera
  }
  return null
}

/** A flight's range: the step's own, else the default for its kind. */
export function rangeOf(flight: Exclude<TourFlight, { to: 'home' }>): number {
  return flight.range ?? DEFAULT_RANGE[flight.to]
}
