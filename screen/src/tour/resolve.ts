import type { CasePoint, TourFlight } from '#wire'
import type { TourPlace, TourTarget } from './targets.ts'
import { answer, api } from '@/api/rpc.ts'
import { useLiveStore } from '@/stores/live.ts'
import { cameraByCode, newestCase, pickPlace, rangeOf } from './targets.ts'

/** The statuses of an open case (the server's `OPEN_STATUSES`). */
const OPEN = 'reported,accepted,dispatched,processing,fed_back'

/**
 * Finds where a tour's flights land, on the wall's own API and live data: villages and grids from
 * the geodata (fetched once per tour) with the live figures, cases from the case search, cameras
 * from the live cameras. Remembers the last case shown, for "the camera nearest the case".
 */
export function createResolver() {
  const live = useLiveStore()
  let villages: Promise<TourPlace[]> | undefined
  let grids: Promise<TourPlace[]> | undefined
  let lastCase: CasePoint | null = null

  const loadVillages = async (): Promise<TourPlace[]> => {
    const collection = await answer(api.geodata.villages.$get())
    const figures = new Map((live.rankings?.villages ?? []).map(v => [v.code, v]))
    return collection.features.map((f, i) => ({ id: f.id ?? i, code: f.properties.code, name: f.properties.name, point: f.properties.center, figures: figures.get(f.properties.code) }))
  }
  const loadGrids = async (): Promise<TourPlace[]> => {
    const collection = await answer(api.grids.$get())
    return collection.features.map(f => ({ id: f.properties.id, code: f.properties.code, name: f.properties.name, point: f.properties.labelPoint, figures: f.properties }))
  }

  async function caseTarget(flight: Extract<TourFlight, { to: 'case' }>): Promise<CasePoint | null> {
    if (flight.code !== undefined)
      return (await answer(api.cases.$get({ query: { code: flight.code, pageSize: '1' } }))).cases[0] ?? null
    // The latest open 紧急 or 重大 case (the search takes one level at a time).
    const pages = await Promise.all((['urgent', 'major'] as const).map(level => answer(api.cases.$get({ query: { status: OPEN, level, pageSize: '1' } }))))
    return newestCase(pages.flatMap(page => page.cases))
  }

  /** Where a flight lands, or null when its place is not found (the step then keeps the view). */
  async function resolve(flight: Exclude<TourFlight, { to: 'home' }>): Promise<TourTarget | null> {
    const range = rangeOf(flight)
    switch (flight.to) {
      case 'village': {
        // Figures change; the boundaries do not: the geodata once, the figures from the live store each time.
        villages ??= loadVillages()
        const figures = new Map((live.rankings?.villages ?? []).map(v => [v.code, v]))
        const place = pickPlace((await villages).map(v => ({ ...v, figures: figures.get(v.code) ?? v.figures })), flight)
        return place?.point ? { lon: place.point[0], lat: place.point[1], range, selection: null } : null
      }
      case 'grid': {
        grids ??= loadGrids()
        const figures = new Map((live.rankings?.grids ?? []).map(g => [g.id, g]))
        const place = pickPlace((await grids).map(g => ({ ...g, figures: figures.get(g.id) ?? g.figures })), flight)
        return place?.point ? { lon: place.point[0], lat: place.point[1], range, selection: flight.card ? { kind: 'grid', id: place.id } : null } : null
      }
      case 'case': {
        const found = await caseTarget(flight)
        if (!found)
          return null
        lastCase = found
        return { lon: found.lon, lat: found.lat, range, selection: flight.card === false ? null : { kind: 'incident', id: found.id } }
      }
      case 'camera': {
        let camera = flight.code !== undefined ? cameraByCode(live.cameras.values(), flight.code) : null
        if (flight.nearest === 'case' && lastCase)
          camera = (await answer(api.cases[':id'].$get({ param: { id: String(lastCase.id) } }))).nearestCameras[0] ?? null
        return camera ? { lon: camera.lon, lat: camera.lat, range, selection: flight.card === false ? null : { kind: 'camera', id: camera.id } } : null
      }
    }
  }

  return { resolve }
}
