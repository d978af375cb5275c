import type { MapEngine, MapMilestone } from '../engine.ts'
import type { GridMetric } from '../layers/grids.ts'
import type { MapPickId } from '../picking.ts'
import { Cartesian2, Cartographic, Math as CesiumMath } from 'cesium'
import type { Extent } from '../geometry.ts'
import { heatBands } from '../heat-raster.ts'
import { clientToElement, elementToClient } from '../picking.ts'

/** The map's start-up milestones (ms since navigation), from the engine's User Timing marks. */
export function milestones(): Partial<Record<MapMilestone, number>> {
  const marks = performance.getEntriesByType('mark').filter(m => m.name.startsWith('map:'))
  const result: Partial<Record<MapMilestone, number>> = {}
  for (const name of ['viewerCreated', 'firstFrame', 'geodataApplied', 'townshipDrawn', 'ready'] as const) {
    const mark = marks.find(m => m.name === `map:${name}`)
    if (mark)
      result[name] = mark.startTime
  }
  return result
}

/** Where a place and a client point are, and what a click there picks (through the wall's CSS scale). */
export function placeReadouts(engine: MapEngine) {
  const canvas = engine.viewer.canvas
  const layout = (): { width: number, height: number } => ({ width: canvas.clientWidth, height: canvas.clientHeight })
  return {
    /** Where a place shows: the map's own CSS pixels, and the client (viewport) point under any CSS scale. */
    project(lon: number, lat: number): { x: number, y: number, clientX: number, clientY: number } | null {
      const p = engine.project(lon, lat)
      return p ? { ...p, ...elementToClient(p.x, p.y, canvas.getBoundingClientRect(), layout()) } : null
    },
    /** The ground (lon, lat) under a client point, or null off the globe. */
    groundAt(clientX: number, clientY: number): { lon: number, lat: number } | null {
      const p = clientToElement(clientX, clientY, canvas.getBoundingClientRect(), layout())
      const ground = engine.viewer.camera.pickEllipsoid(new Cartesian2(p.x, p.y))
      if (!ground)
        return null
      const place = Cartographic.fromCartesian(ground)
      return { lon: CesiumMath.toDegrees(place.longitude), lat: CesiumMath.toDegrees(place.latitude) }
    },
    /** What a client point picks (the same path as a click). */
    pickClient(clientX: number, clientY: number): MapPickId | null {
      const p = clientToElement(clientX, clientY, canvas.getBoundingClientRect(), layout())
      return engine.pick(p.x, p.y)
    },
  }
}

/**
 * What the layers draw now. The layers carry no test-only members: these read their private
 * state (TypeScript allows `layer['field']`), so a renamed field breaks this file's typecheck.
 */
export function layerReadouts(engine: MapEngine) {
  const { cameras, grids, incidents, heat } = engine
  return {
    /** How much each layer draws now: cameras, grids, case and alarm marks, the heat's case total. */
    drawn: () => ({ cameras: cameras.count, grids: grids['shapes'].length, incidents: incidents['marks'].size, heatTotal: heat['last']?.total ?? null }),
    /** The colour a camera's point is drawn in now. */
    cameraColour: (id: number): string | undefined => cameras['byId'].get(id)?.point.color.toCssHexString(),
    /** Whether a camera is drawn as itself (not hidden in a cluster). */
    cameraIsSingle(id: number): boolean {
      const entry = cameras['byId'].get(id)
      return entry !== undefined && entry.point.show && cameras['points'].show
    },
    /** The clusters drawn now (where, and which cameras). */
    clusters: () => (cameras['clustering']?.clusters ?? []).map(c => ({ lon: c.lon, lat: c.lat, ids: c.ids })),
    /** How many urgent cases pulse now. */
    pulsing: (): number => [...incidents['marks'].values()].filter(mark => mark.pulseUntil > incidents['now']()).length,
    /** The class (0 = lowest) each grid is coloured in now, by grid id. */
    gridClasses: (): Record<number, number> => Object.fromEntries(grids['classes']),
    /** The grids' metric, class breaks, and whether the extruded grids and the names are drawn. */
    grids: (): { metric: GridMetric, breaks: number[], extruded: boolean, extrudedDrawn: boolean, namesShown: boolean } => {
      const extruded = grids['extrudedFill']
      return { metric: grids['metric'], breaks: grids.legend.breaks, extruded: grids['extruded'], extrudedDrawn: extruded?.ready === true && extruded.show, namesShown: grids['labels'].show }
    },
    /** The grids drawn now (ids), as the geography was last loaded. */
    gridIds: (): number[] => grids['shapes'].map(g => g.id),
    /** The heat image drawn last: its case total and top cell count. */
    heat: () => {
      const last = heat['last']
      return last && { topCount: last.topCount, total: last.total, width: last.width, height: last.height, ms: last.ms }
    },
    /** How the heat drawn over a box (degrees) spreads over the ramp: five bands' shares, and the share at the top colour. */
    heatBands(box: Extent): ReturnType<typeof heatBands> | null {
      const image = heat['last']
      const extent = heat['extent']
      return image && extent ? heatBands(image, extent, box) : null
    },
    /** The village names drawn now: their text and client boxes. */
    villageLabels: () => engine.boundaries['labels'].drawn().map(({ id, name, element }) => {
      const r = element.getBoundingClientRect()
      return { id, name, x: r.x, y: r.y, width: r.width, height: r.height }
    }),
  }
}

/** Where the camera is and where it goes. */
export function viewReadouts(engine: MapEngine) {
  const camera = engine.viewer.camera
  return {
    /** The home view (where the camera returns). */
    home: () => engine.home,
    /** Whether the base layer's tiles in view have all loaded (true without a base layer). */
    tilesLoaded: () => !engine.viewer.scene.globe.show || engine.viewer.scene.globe.tilesLoaded,
    /** Heading and pitch (degrees), height (m), and whether it is orbiting. */
    view: () => ({ heading: CesiumMath.toDegrees(camera.heading), pitch: CesiumMath.toDegrees(camera.pitch), height: camera.positionCartographic.height, orbiting: engine.control['orbiting'] }),
    flyTo: (lon: number, lat: number, range = 1500) => engine.control.flyTo(lon, lat, range, 0),
    goHome: () => engine.control.goHome(0),
  }
}
