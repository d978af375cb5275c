import type { CesiumWidget, ImageryLayer } from 'cesium'
import type { BasemapConfig } from '#wire'
import type { AreaGeometry, Extent, HomeView } from './geometry.ts'
import type { MapPickId } from './picking.ts'
import type { GridLegend, GridShape } from './layers/grids.ts'
import type { VillageShape } from './layers/boundaries.ts'
import { Cartesian2, Cartesian3, Cartographic, Color, Math as CesiumMath, Matrix4, PointPrimitiveCollection, SceneTransforms } from 'cesium'
import { CameraControl } from './camera-control.ts'
import { ignoreCameraRounding } from './camera-noise.ts'
import { extentOf, homeViewFor, outerRingsOf } from './geometry.ts'
import { BoundariesLayer, LAND_COLOUR } from './layers/boundaries.ts'
import { CamerasLayer } from './layers/cameras.ts'
import { GridsLayer } from './layers/grids.ts'
import { HeatLayer } from './layers/heat.ts'
import { IncidentsLayer } from './layers/incidents.ts'
import { choosePick } from './picking.ts'
import { idleWhileTilesHang, waitForSettle } from './settle.ts'
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
export const SETTLE_TIMEOUT_MS = 60_000

/** Where the camera was (world coordinates) and whether it was at home: what a rebuilt map restores. */
export interface SavedView {
  position: Cartesian3
  heading: number
  pitch: number
  roll: number
  atHome: boolean
}

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
  /** Ends the settle wait when the engine is destroyed. */
  private readonly lifetime = new AbortController()
  /** Called once when the canvas's WebGL context is lost (the GPU reset, the driver restarted): the map must be rebuilt. */
  onContextLost: () => void = () => {}
  private lostContext = false
  private readonly contextLost = (event: Event): void => {
    // Nothing more can be drawn on this context: stop the render loop before it fails on it.
    event.preventDefault()
    this.lostContext = true
    this.viewer.useDefaultRenderLoop = false
    this.onContextLost()
  }

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
    // Draw when the camera moved, not when rounding nudged it (a frame every display refresh for ever).
    ignoreCameraRounding(scene)
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
    this.viewer.canvas.addEventListener('webglcontextlost', this.contextLost)
  }

  /** Whether the canvas's WebGL context was lost (the engine must be replaced). */
  get lost(): boolean {
    return this.lostContext
  }

  /** Where the camera is now (the orbit's frame undone). */
  saveView(): SavedView {
    const camera = this.viewer.camera
    return { position: Cartesian3.clone(camera.positionWC), heading: camera.heading, pitch: camera.pitch, roll: camera.roll, atHome: this.control['atHome'] }
  }

  /** Puts the camera back where `saveView` found it (also as JSON, from before a reload); away from home, it returns home later as after a flight. */
  restoreView(view: SavedView): void {
    if (view.atHome)
      return this.control.goHome(0)
    this.viewer.camera.lookAtTransform(Matrix4.IDENTITY)
    this.viewer.camera.setView({ destination: Cartesian3.clone(view.position), orientation: { heading: view.heading, pitch: view.pitch, roll: view.roll } })
    // Away from home (a case flown to, a hand on the map): not re-framed, and back home after the usual time.
    this.control.activity()
    this.control.holdAway()
    this.viewer.scene.requestRender()
  }

  /**
   * Releases everything the engine made: its layers' primitives and listeners, the camera's
   * timers and input listeners, the widget and its WebGL context, the host element.
   */
  destroy(): void {
    if (this.viewer.isDestroyed())
      return
    this.lifetime.abort()
    this.viewer.canvas.removeEventListener('webglcontextlost', this.contextLost)
    this.control.destroy()
    for (const layer of [this.incidents, this.cameras, this.heat, this.grids, this.boundaries])
      layer.destroy()
    this.viewer.scene.primitives.remove(this.selectionRing)
    // Free the GPU's share now rather than when the canvas is collected (browsers cap live contexts).
    const canvas = this.viewer.canvas
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl')
    this.viewer.destroy()
    if (gl && !gl.isContextLost())
      gl.getExtension('WEBGL_lose_context')?.loseContext()
    this.host.remove()
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

  /**
   * Draws one frame close up over the township's middle, then puts the camera back, before the map
   * calls itself ready: what shows only close up (the grids' names, a text shader of their own in
   * the opaque and the translucent pass) is compiled now, while the map is loading. Compiled at the
   * first flight instead, it held the page's main thread ≈3 s under software WebGL, just when a case
   * pushed from the console or an urgent alert wants the map to move. The close-up frame is never
   * shown: the next frame, drawn before the page paints, is the home view again.
   */
  private warmUp(): void {
    if (!this.extent || this.viewer.isDestroyed())
      return
    const camera = this.viewer.camera
    const transform = Matrix4.clone(camera.transform)
    const back = { destination: Cartesian3.clone(camera.positionWC), orientation: { heading: camera.heading, pitch: camera.pitch, roll: camera.roll } }
    camera.lookAtTransform(Matrix4.IDENTITY)
    const { west, south, east, north } = this.extent
    camera.setView({ destination: Cartesian3.fromDegrees((west + east) / 2, (south + north) / 2, 1500), orientation: { heading: 0, pitch: -CesiumMath.PI_OVER_TWO, roll: 0 } })
    this.viewer.scene.requestRender()
    this.viewer.render()
    camera.setView(back)
    if (!Matrix4.equals(transform, Matrix4.IDENTITY))
      camera.lookAtTransform(transform)
    this.viewer.scene.requestRender()
  }

  /**
   * Resolves after the first frame drawn once everything has settled, or after `timeoutMs` (tiles
   * that never come must not keep the map rendering for ever: what is drawn then is what the wall
   * shows, and rendering goes idle). One wait per engine, however often the map is mounted.
   */
  whenSettled(timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    this.settling ??= waitForSettle(this.viewer.scene, {
      settled: () => this.settled,
      gone: () => this.viewer.isDestroyed(),
      timeoutMs,
      signal: this.lifetime.signal,
    }).then((settled) => {
      if (this.viewer.isDestroyed())
        return
      // Given up on tiles that never come: Cesium itself would go on drawing every frame while they load.
      if (!settled)
        idleWhileTilesHang(this.viewer.scene, this.lifetime.signal)
      this.warmUp()
      markMilestone('ready')
      this.control.orbitAllowed = true
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

/** Destroys the page's map engine (its WebGL context was lost): the next `mapEngine()` builds a new one. */
export function replaceMapEngine(): void {
  engine?.destroy()
  engine = undefined
}
