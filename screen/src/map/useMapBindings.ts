import type { CasePoint, HeatBins } from '#wire'
import type { MapEngine } from './engine.ts'
import type { AreaGeometry } from './geometry.ts'
import type { HeatBin } from './heat-raster.ts'
import type { GridFigures, GridShape } from './layers/grids.ts'
import type { VillageShape } from './layers/boundaries.ts'
import { onScopeDispose, watch } from 'vue'
import { getJson } from '@/api/client.ts'
import { useAlertStore } from '@/stores/alerts.ts'
import { useAppStore } from '@/stores/app.ts'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'
import { useScreenStore } from '@/stores/screen.ts'

/** The parts of the geodata endpoints the map reads. */
interface FeatureCollection<P> {
  features: { id?: number, geometry: AreaGeometry, properties: P }[]
}
type GridProperties = GridFigures & { id: number, code: string, name: string, village: string | null, labelPoint: [number, number] | null }

/** Heat redraws at most this often while cases stream in (a redraw is tens of milliseconds). */
const HEAT_THROTTLE_MS = 2000
/** A filtered heatmap comes from the server: asked again at most this often. */
const HEAT_FETCH_THROTTLE_MS = 15_000
const HEAT_COLUMN = { 'today': 2, '7d': 3, '30d': 4 } as const
/** Urgent cases stay on the map this long after arriving, even once they have left the feed. */
const URGENT_KEEP_MS = 30 * 60_000

/** Loads the township's geography (retrying until the server answers). */
async function loadGeodata(): Promise<{ township: AreaGeometry[], villages: VillageShape[], grids: GridShape[], figures: Map<number, GridFigures> }> {
  const [township, villages, grids] = await Promise.all([
    getJson<FeatureCollection<unknown>>('/api/geodata/township'),
    getJson<FeatureCollection<{ name: string, center: [number, number] | null }>>('/api/geodata/villages'),
    getJson<FeatureCollection<GridProperties>>('/api/grids'),
  ])
  return {
    township: township.features.map(f => f.geometry),
    villages: villages.features.map(f => ({ id: f.id ?? 0, name: f.properties.name, center: f.properties.center, geometry: f.geometry })),
    grids: grids.features.map(f => ({ id: f.properties.id, code: f.properties.code, name: f.properties.name, village: f.properties.village, labelPoint: f.properties.labelPoint, geometry: f.geometry })),
    figures: new Map(grids.features.map(f => [f.properties.id, f.properties])),
  }
}

/**
 * Binds the screen's stores to the map engine: configuration → base layer and camera timing;
 * live data → layers, updated in place; the map store's toggles, metric, heat window and focus.
 * Every watcher and timer ends with the calling component's scope.
 */
export function useMapBindings(engine: MapEngine, onGeodata: () => void): { liveHeatDrawn: Promise<void> } {
  const app = useAppStore()
  const live = useLiveStore()
  const map = useMapStore()
  const alerts = useAlertStore()
  const screen = useScreenStore()
  let disposed = false
  let geodataRetry: ReturnType<typeof setTimeout> | undefined
  let heatTimer: ReturnType<typeof setTimeout> | undefined
  let heatDrawnAt = 0
  let fetchedHeat: { key: string, at: number, bins: HeatBins } | undefined

  const attempt = async (delay: number): Promise<void> => {
    try {
      const geo = await loadGeodata()
      if (disposed)
        return
      engine.setGeodata(geo)
      engine.grids.setFigures(geo.figures)
      drawHeat()
      onGeodata()
    }
    catch (error) {
      console.warn('map geodata not loaded yet', error)
      if (!disposed)
        geodataRetry = setTimeout(() => void attempt(Math.min(delay * 2, 15_000)), delay)
    }
  }
  if (engine.extent)
    onGeodata()
  else
    void attempt(1000)

  watch(() => app.config?.map, (config) => {
    if (!config)
      return
    engine.setBasemap(config.basemap)
    engine.control.setTiming(config)
  }, { immediate: true })

  watch(() => map.layers, (layers) => {
    engine.grids.show = layers.grids
    engine.cameras.show = layers.cameras
    engine.heat.show = layers.heat
    engine.incidents.show = layers.incidents
  }, { immediate: true })
  watch(() => map.gridMetric, metric => engine.grids.setMetric(metric), { immediate: true })
  watch(() => map.gridExtruded, extruded => engine.grids.setExtruded(extruded), { immediate: true })
  engine.onGridLegend = (legend) => {
    map.gridLegend = legend
  }

  watch(() => live.rankings, (rankings) => {
    if (rankings && engine.extent)
      engine.grids.setFigures(new Map(rankings.grids.map(g => [g.id, g])))
  })

  // Every camera frame counts (two frames in one tick must not lose the first one's changes): sync.
  const syncCameras = (): void => {
    const changed = live.changedCameras
    if (changed === null || engine.cameras.count === 0) {
      engine.cameras.setAll(live.cameras.values())
      return
    }
    engine.cameras.update(changed)
    if (engine.cameras.count !== live.cameras.size)
      engine.cameras.setAll(live.cameras.values())
  }
  watch(() => live.camerasVersion, syncCameras, { flush: 'sync' })
  if (live.cameras.size > 0)
    syncCameras()

  // Heat: all categories from the live cells (every window at once); one category from the server.
  async function heatBins(): Promise<{ bins: HeatBin[], cellDeg: number } | null> {
    const window = map.heatWindow
    const category = map.heatCategory
    if (category === null) {
      const column = HEAT_COLUMN[window]
      const bins: HeatBin[] = []
      for (const cell of live.heat.values()) {
        if (cell[column] > 0)
          bins.push([cell[0], cell[1], cell[column]])
      }
      return { bins, cellDeg: live.heatCellDeg }
    }
    const key = `${window}:${category}`
    if (!fetchedHeat || fetchedHeat.key !== key || Date.now() - fetchedHeat.at > HEAT_FETCH_THROTTLE_MS)
      fetchedHeat = { key, at: Date.now(), bins: await getJson<HeatBins>(`/api/heat?window=${window}&category=${category}`) }
    return { bins: fetchedHeat.bins.cells, cellDeg: fetchedHeat.bins.cellDeg }
  }

  // Resolves once heat has been drawn from live data (not the empty heat before the first snapshot).
  let resolveLiveHeat = (): void => {}
  const liveHeatDrawn = new Promise<void>(resolve => (resolveLiveHeat = resolve))
  function drawHeat(): void {
    clearTimeout(heatTimer)
    heatTimer = undefined
    heatDrawnAt = Date.now()
    const fromLive = live.state.snapshots > 0
    void heatBins().then((result) => {
      if (!result || disposed || !engine.extent)
        return
      const drawn = engine.heat.setBins(result.bins, result.cellDeg)
      if (drawn)
        map.heatLegend = { topCount: drawn.topCount, total: drawn.total }
      if (fromLive)
        resolveLiveHeat()
    }).catch(error => console.warn('heat not drawn', error))
  }
  function scheduleHeat(): void {
    if (heatTimer)
      return
    heatTimer = setTimeout(drawHeat, Math.max(0, HEAT_THROTTLE_MS - (Date.now() - heatDrawnAt)))
  }
  watch([() => map.heatWindow, () => map.heatCategory], drawHeat)
  watch(() => live.heatVersion, scheduleHeat)
  // The first snapshot's heat is drawn at once (later changes are throttled).
  watch(() => live.state.snapshots > 0, (arrived) => {
    if (arrived)
      drawHeat()
  }, { immediate: true })

  // Incidents: the open cases of the feed, and urgent ones for a while after they arrive (pulsing).
  const urgentSeen = new Map<number, { incident: CasePoint, at: number }>()
  const showIncidents = (feed: readonly CasePoint[], urgent: readonly CasePoint[]): void => {
    const now = Date.now()
    const pulse: number[] = []
    for (const incident of urgent) {
      if (!urgentSeen.has(incident.id))
        pulse.push(incident.id)
      urgentSeen.set(incident.id, { incident, at: urgentSeen.get(incident.id)?.at ?? now })
    }
    for (const [id, seen] of urgentSeen) {
      if (now - seen.at > URGENT_KEEP_MS)
        urgentSeen.delete(id)
    }
    const byId = new Map<number, CasePoint>([...urgentSeen].map(([id, seen]) => [id, seen.incident]))
    for (const incident of feed)
      byId.set(incident.id, incident)
    engine.incidents.setCases(byId.values(), pulse)
  }
  watch([() => live.feed, () => live.urgent], ([feed, urgent]) => showIncidents(feed, urgent), { immediate: true })
  // The urgent-case alert (which consumes live.urgent): pulse its case and fly there; home comes later by itself.
  watch(() => alerts.alertCase, (incident) => {
    if (!incident)
      return
    showIncidents(live.feed, [incident])
    map.focusCase(incident)
  })
  watch(() => live.alarms, alarms => engine.incidents.setAlarms(alarms?.alarms ?? []), { immediate: true })

  // The selected marker gets a ring (grids show their card only: the grid is the area around the click).
  watch([() => map.selection, () => live.camerasVersion], ([selection]) => {
    let place: { lon: number, lat: number } | null | undefined = null
    if (selection?.kind === 'camera')
      place = live.cameras.get(selection.id) ?? engine.cameras.camera(selection.id)
    else if (selection?.kind === 'incident')
      place = engine.incidents.incident(selection.id)
    else if (selection?.kind === 'alarm') {
      const alarm = engine.incidents.alarm(selection.id)
      place = alarm && alarm.lon !== null && alarm.lat !== null ? { lon: alarm.lon, lat: alarm.lat } : null
    }
    engine.mark(place ?? null)
  }, { immediate: true })

  watch(() => map.focus, (focus) => {
    if (focus)
      engine.control.flyTo(focus.lon, focus.lat, focus.range)
  })
  watch(() => map.homeRequests, () => engine.control.goHome())
  // The wall scales its 1920×1080 canvas: render at the pixels it really covers.
  watch(() => screen.pixelRatio, (ratio) => {
    engine.viewer.resolutionScale = ratio
  }, { immediate: true })

  onScopeDispose(() => {
    disposed = true
    resolveLiveHeat()
    clearTimeout(geodataRetry)
    clearTimeout(heatTimer)
    engine.onGridLegend = () => {}
  })
  return { liveHeatDrawn }
}
