import type { CesiumWidget, ImageryLayer } from 'cesium'
import type { BasemapConfig } from '#wire'
import type { AreaGeometry, Extent, HomeView } from './geometry.ts'
import type { MapPickId } from './picking.ts'
import type { GridLegend, GridShape } from './layers/grids.ts'
import type { VillageShape } from './layers/boundaries.ts'
import { Cartesian2, Cartesian3, Cartographic, Color, Math as CesiumMath, PointPrimitiveCollection, SceneTransforms } from 'cesium'
import { CameraControl } from './camera-control.ts'
import { extentOf, homeViewFor, outerRingsOf } from './geometry.ts'
import { BoundariesLayer, LAND_COLOUR } from './layers/boundaries.ts'
import { CamerasLayer } from './layers/cameras.ts'
import { GridsLayer } from './layers/grids.ts'
import { HeatLayer } from './layers/heat.ts'
import { IncidentsLayer } from './layers/incidents.ts'
import { choosePick } from './picking.ts'
import { createOfflineViewer, setBasemap, viewHome } from './viewer.ts'

/** The township's geography as the map draws it. */
export interface Geodata {
  township: AreaGeometry[]
  villages: VillageShape[]
  grids: GridShape[]
}

/** The map's start-up milestones, as User Timing marks `map:<name>` (DevTools' performance panel; the benchmarks read them). */
export type MapMilestone = 'viewerCreated' | 'firstFrame' | 'geodataApplied' | 'townshipDrawn' | 'ready'

/** Marks a milestone the first time it is reached. */
function markMilestone(milestone: MapMilestone): void {
  if (performance.getEntriesByName(`map:${milestone}`, 'mark').length === 0)
    performance.mark(`map:${milestone}`)
}

/** How long the map waits for its layers and tiles before it calls itself ready and stops re-rendering. */
const SETTLE_TIMEOUT_MS = 60_000

/**
 * The map's engine: the one Cesium widget and its layers, created once for the page and kept
 * when the Vue component that shows it is re-mounted (the wall re-mounts a failing part instead
 * of going blank). Nothing here is reactive; MapView binds the stores to it.
 */
export class MapEngine {
  readonly host: HTMLDivElement
  readonly credits: HTMLDivElement
  readonly viewer: CesiumWidget
  readonly boundaries: BoundariesLayer
  readonly grids: GridsLayer
  readonly cameras: CamerasLayer
  readonly heat: HeatLayer
  readonly incidents: IncidentsLayer
  readonly control: CameraControl
  extent: Extent | undefined
  /** The township boundary's vertices: what the home view frames. */
  private outline: number[][] = []
  home: HomeView | undefined
  /** Share of the canvas's height the legend strip covers at the bottom (the home view frames the rest). */
  coveredBottom = 0
  /** A ring around what is selected (a camera, an incident or an alarm), so the card's subject is found at a glance. */
  private readonly selectionRing = new PointPrimitiveCollection()
  private basemap: ImageryLayer | null = null
  private basemapKey: string | undefined
  onGridLegend: (legend: GridLegend) => void = () => {}
  /** The one wait for the map to settle (see `whenSettled`). */
  private settling: Promise<void> | undefined

  private constructor() {
    this.host = document.createElement('div')
    this.host.className = 'map-engine'
    this.host.style.cssText = 'position:absolute;inset:0'
    this.credits = document.createElement('div')
    this.credits.style.display = 'none'
    this.host.appendChild(this.credits)
    this.viewer = createOfflineViewer(this.host, this.credits)
    // Not once only: a second widget would be a bug (one for the app's life), which the browser tests count.
    performance.mark('map:viewerCreated')
    const scene = this.viewer.scene
    // (Village names go over the canvas, in the host: above every marker.)
    this.boundaries = new BoundariesLayer(scene, this.host)
    this.grids = new GridsLayer(scene, legend => this.onGridLegend(legend))
    this.heat = new HeatLayer(scene)
    this.cameras = new CamerasLayer(scene)
    this.incidents = new IncidentsLayer(scene)
    this.control = new CameraControl(this.viewer)
    scene.primitives.add(this.selectionRing)
    const removeFirstFrame = scene.postRender.addEventListener(() => {
      markMilestone('firstFrame')
      // The first frame that shows the township (its outline, land and grids), before tiles or heat.
      if (this.extent && (this.grids.count === 0 || this.grids.ready) && this.boundaries.ready) {
        markMilestone('townshipDrawn')
        removeFirstFrame()
      }
    })
    this.selectionRing.add({ show: false, pixelSize: 26, color: Color.TRANSPARENT, outlineColor: Color.fromCssColorString('#ffffff'), outlineWidth: 3, disableDepthTestDistance: Number.POSITIVE_INFINITY })
  }

  /** Rings a place (null: none). */
  mark(place: { lon: number, lat: number } | null): void {
    const ring = this.selectionRing.get(0)
    ring.show = place !== null
    if (place)
      ring.position = Cartesian3.fromDegrees(place.lon, place.lat, 20)
    this.viewer.scene.requestRender()
  }

  /** Creates the engine (throws when the device has no WebGL). */
  static create(): MapEngine {
    return new MapEngine()
  }

  /** Shows the map inside `parent` (the widget's canvas follows the parent's size). */
  attach(parent: HTMLElement, initial?: { lon: number, lat: number, height: number }): void {
    parent.prepend(this.host)
    if (!this.home && initial)
      viewHome(this.viewer, initial)
    this.viewer.resize()
    this.viewer.scene.requestRender()
  }

  detach(): void {
    this.host.remove()
  }

  setBasemap(config: BasemapConfig): void {
    const key = JSON.stringify(config)
    if (key === this.basemapKey)
      return
    this.basemapKey = key
    this.basemap = setBasemap(this.viewer, config, this.basemap)
    this.applyGround()
  }

  /** Over imagery, the mask dims the globe; without, the grids' fill (or the land polygon) is the land. */
  private applyGround(gridCount = this.grids.count): void {
    const globe = this.viewer.scene.globe.show
    this.grids.setLand(globe ? null : LAND_COLOUR)
    this.boundaries.setGround(globe ? 'mask' : gridCount > 0 ? 'none' : 'land')
  }

  get basemapApplied(): boolean {
    return this.basemapKey !== undefined
  }

  /** Draws the township, villages and grids, and frames the township (flying there from wherever the camera is). */
  setGeodata(geo: Geodata): void {
    const extent = extentOf(geo.township) ?? extentOf(geo.villages.map(v => v.geometry))
    if (!extent)
      return
    // Drawn again (boundaries imported meanwhile): the camera moves home only if it was there.
    const first = !this.extent
    this.extent = extent
    this.outline = geo.township.flatMap(outerRingsOf).flat().map(p => [...p])
    // The ground first, so that the grids' fill is built once, opaque or not as it will stay.
    this.applyGround(geo.grids.length)
    this.boundaries.set(geo.township, extent, geo.villages)
    this.grids.setShapes(geo.grids)
    this.heat.setExtent(extent)
    markMilestone('geodataApplied')
    this.frameHome(first)
  }

  /** Recomputes the home view for the canvas's shape; `go`: move the camera there. */
  frameHome(go: boolean): void {
    if (!this.extent)
      return
    const canvas = this.viewer.canvas
    const aspect = canvas.clientWidth > 0 && canvas.clientHeight > 0 ? canvas.clientWidth / canvas.clientHeight : 16 / 9
    this.home = homeViewFor(this.extent, { aspect, fovDeg: 60, tiltDeg: 48, coveredBottom: this.coveredBottom }, this.outline)
    this.control.setHome(this.home, go ? 0 : undefined)
  }

  /** The most specific thing at a point of the canvas (its own CSS pixels). */
  pick(x: number, y: number): MapPickId | null {
    const point = new Cartesian2(x, y)
    const picked = choosePick((this.viewer.scene.drillPick(point, 6, 9, 9) as { id?: unknown }[]).map(p => p.id))
    if (picked)
      return picked
    // The grid under the click, from the ground point and the grids' boundaries.
    const ground = this.viewer.camera.pickEllipsoid(point)
    if (!ground)
      return null
    const place = Cartographic.fromCartesian(ground)
    const id = this.grids.gridAt(CesiumMath.toDegrees(place.longitude), CesiumMath.toDegrees(place.latitude))
    return id === null ? null : { kind: 'grid', id }
  }

  /** Where a place shows on the canvas (its own CSS pixels), or null when it is behind the globe or off screen. */
  project(lon: number, lat: number, height = 20): { x: number, y: number } | null {
    const position = SceneTransforms.worldToWindowCoordinates(this.viewer.scene, Cartesian3.fromDegrees(lon, lat, height))
    if (!position)
      return null
    const canvas = this.viewer.canvas
    return position.x >= 0 && position.y >= 0 && position.x <= canvas.clientWidth && position.y <= canvas.clientHeight ? { x: position.x, y: position.y } : null
  }

  /** Whether everything has been built and the globe (when drawn) has loaded its tiles. */
  get settled(): boolean {
    const globe = this.viewer.scene.globe
    return this.extent !== undefined && this.basemapApplied && this.grids.ready && this.heat.ready && this.boundaries.ready && (!globe.show || globe.tilesLoaded)
  }

  /** Resolves after the first frame drawn once everything has settled. */
  whenSettled(timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    // One wait per engine, however often the map is mounted: a remount must not add a render loop.
    this.settling ??= new Promise((resolve) => {
      const scene = this.viewer.scene
      const started = performance.now()
      let timer: ReturnType<typeof setTimeout> | undefined
      const finish = (): void => {
        remove()
        clearTimeout(timer)
        markMilestone('ready')
        this.control.orbitAllowed = true
        resolve()
      }
      const remove = scene.postRender.addEventListener(() => {
        if (this.viewer.isDestroyed()) {
          remove()
          clearTimeout(timer)
          resolve()
          return
        }
        // Tiles that never come (an unreachable intranet tile server) must not keep the map rendering
        // for ever: after the limit, what is drawn is what the wall shows, and rendering goes idle.
        if (this.settled || performance.now() - started > timeoutMs) {
          finish()
          return
        }
        // Layers are built by workers and tiles arrive over the network: keep looking.
        clearTimeout(timer)
        timer = setTimeout(() => !this.viewer.isDestroyed() && scene.requestRender(), 100)
      })
      scene.requestRender()
    })
    return this.settling
  }
}

let engine: MapEngine | undefined

/** The page's one map engine, created on first use. */
export function mapEngine(): MapEngine {
  engine ??= MapEngine.create()
  return engine
}
