import type { Entity } from 'cesium'
import type { CameraPoint } from '#wire'
import type { MapEngine } from './engine.ts'
import type { HeatBin } from './heat-raster.ts'
import type { GridFigures, GridShape } from './layers/grids.ts'
import { Cartesian3, Color, CustomDataSource, HeadingPitchRange, Math as CesiumMath, Matrix4, Transforms } from 'cesium'
import { cameraColour } from './colour.ts'
import { mapTimings, viewersCreated } from './engine.ts'
import { clientToElement, elementToClient } from './picking.ts'
import { toColor } from './layers/shared.ts'

/** Ids of synthetic cameras start here, far above any real camera's. */
const SYNTHETIC_ID = 900_000_000

/** A deterministic pseudo-random sequence (mulberry32), so that runs compare. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Hooks for benchmarks and browser tests, installed on `window.__map` only with `?bench=1`:
 * synthetic load (cameras as primitives, or the naive one-Entity-per-camera baseline, and a
 * synthetic heatmap), frame timing, and a few read-outs (where a place shows, a camera's colour).
 */
export function installBenchHooks(engine: MapEngine): void {
  if (!new URLSearchParams(location.search).has('bench'))
    return
  const viewer = engine.viewer
  const entities: Entity[] = []
  let entitySource: CustomDataSource | undefined
  let synthetic: number[] = []
  let realGrids: { shapes: GridShape[], figures: Map<number, GridFigures> } | undefined

  const extent = (): { west: number, south: number, east: number, north: number } => engine.extent ?? { west: 111.1, south: 29.42, east: 111.24, north: 29.53 }

  const syntheticCameras = (n: number, seed: number): CameraPoint[] => {
    const r = random(seed)
    const e = extent()
    const statuses = ['online', 'online', 'online', 'online', 'online', 'online', 'online', 'online', 'offline', 'alarm']
    return Array.from({ length: n }, (_, i) => ({
      id: SYNTHETIC_ID + i,
      code: `SYN${i}`,
      name: `synthetic ${i}`,
      kind: 'public_security',
      lon: e.west + r() * (e.east - e.west),
      lat: e.south + r() * (e.north - e.south),
      villageId: null,
      gridId: null,
      status: statuses[Math.floor(r() * statuses.length)]!,
      lastHeartbeatAt: null,
      hasStream: false,
    }))
  }

  /** Resolves after the first frame drawn once `done()` holds (primitives are built by workers over several frames). */
  const settled = (done: () => boolean): Promise<void> => new Promise((resolve) => {
    const remove = viewer.scene.postRender.addEventListener(() => {
      if (done()) {
        remove()
        resolve()
      }
      else {
        setTimeout(() => viewer.scene.requestRender(), 50)
      }
    })
    viewer.scene.requestRender()
  })

  let framesDrawn = 0
  viewer.scene.postRender.addEventListener(() => framesDrawn++)

  const hooks = {
    timings: mapTimings,
    /** Frames drawn since the page loaded (requestRenderMode: only on change or animation). */
    get frames() {
      return framesDrawn
    },
    get viewersCreated() {
      return viewersCreated
    },
    /** Adds n synthetic cameras to the primitive layer (replacing earlier synthetic ones). */
    addSyntheticCameras(n: number, seed = 1): number {
      engine.cameras.remove(synthetic)
      const cameras = syntheticCameras(n, seed)
      synthetic = cameras.map(c => c.id)
      engine.cameras.update(cameras)
      return engine.cameras.count
    },
    clearSyntheticCameras(): void {
      engine.cameras.remove(synthetic)
      synthetic = []
    },
    /**
     * The naive baseline: n cameras as one Entity each, as point graphics coloured by status, or
     * (`'billboard'`) as icons, the way a first implementation usually draws camera markers.
     */
    addEntityCameras(n: number, seed = 1, as: 'point' | 'billboard' = 'point'): number {
      hooks.clearEntityCameras()
      const icons = new Map<string, HTMLCanvasElement>()
      const icon = (status: string): HTMLCanvasElement => {
        let canvas = icons.get(status)
        if (!canvas) {
          canvas = document.createElement('canvas')
          canvas.width = canvas.height = 16
          const c = canvas.getContext('2d')!
          c.fillStyle = toColor(cameraColour(status)).toCssColorString()
          c.beginPath()
          c.arc(8, 8, 6, 0, Math.PI * 2)
          c.fill()
          icons.set(status, canvas)
        }
        return canvas
      }
      // In a data source of their own, destroyed when cleared: Cesium pools the primitives of removed
      // entities (hidden, still drawn through), which would slow whatever is measured next.
      entitySource = new CustomDataSource('naive-cameras')
      void viewer.dataSources.add(entitySource)
      const collection = entitySource.entities
      collection.suspendEvents()
      for (const camera of syntheticCameras(n, seed)) {
        const position = Cartesian3.fromDegrees(camera.lon, camera.lat, 20)
        entities.push(collection.add(as === 'billboard'
          ? { position, billboard: { image: icon(camera.status), disableDepthTestDistance: Number.POSITIVE_INFINITY } }
          : { position, point: { pixelSize: 7, color: toColor(cameraColour(camera.status)), outlineColor: Color.BLACK, outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY } }))
      }
      collection.resumeEvents()
      return entities.length
    },
    clearEntityCameras(): void {
      if (entitySource)
        viewer.dataSources.remove(entitySource, true)
      entitySource = undefined
      entities.length = 0
    },
    /**
     * Replaces the township's grids by n synthetic ones (Voronoi cells over the township's extent,
     * with random figures), e.g. 300 for a larger township than the mock's. Resolves once they are drawn.
     */
    async setSyntheticGrids(n: number, seed = 3): Promise<number> {
      realGrids ??= engine.grids.current
      // Only benchmarks need it: not in the wall's bundle.
      const { Delaunay } = await import('d3-delaunay')
      const r = random(seed)
      const e = extent()
      const points = Array.from({ length: n }, () => [e.west + r() * (e.east - e.west), e.south + r() * (e.north - e.south)] as [number, number])
      const voronoi = Delaunay.from(points).voronoi([e.west, e.south, e.east, e.north])
      const shapes: GridShape[] = points.map((p, i) => ({
        id: SYNTHETIC_ID + i,
        code: `SYN-G${i}`,
        name: `网格${i + 1}`,
        village: null,
        geometry: { type: 'Polygon', coordinates: [voronoi.cellPolygon(i)] },
        labelPoint: p,
      }))
      engine.grids.setShapes(shapes)
      engine.grids.setFigures(new Map(shapes.map(g => [g.id, { open: Math.floor(r() * 20), overdue: Math.floor(r() * 3), today: Math.floor(r() * 5), last30Days: Math.floor(r() * 150) }])))
      await settled(() => engine.grids.ready)
      return engine.grids.count
    },
    async restoreGrids(): Promise<number> {
      if (realGrids) {
        engine.grids.setShapes(realGrids.shapes)
        engine.grids.setFigures(realGrids.figures)
        realGrids = undefined
        await settled(() => engine.grids.ready)
      }
      return engine.grids.count
    },
    /** Draws a synthetic heatmap of about `cases` cases over the township; returns the client-side time (ms). */
    heatFromCases(cases: number, seed = 2, cellDeg = 0.001): { ms: number, cells: number } {
      const r = random(seed)
      const e = extent()
      const cells = new Map<string, HeatBin>()
      // Cases cluster around a few hot spots, as they do around markets and schools.
      const spots = Array.from({ length: 12 }, () => [e.west + r() * (e.east - e.west), e.south + r() * (e.north - e.south)] as const)
      for (let i = 0; i < cases; i++) {
        const [x, y] = spots[i % spots.length]!
        const lon = Math.floor((x + (r() - 0.5) * (r() * 0.06)) / cellDeg) * cellDeg
        const lat = Math.floor((y + (r() - 0.5) * (r() * 0.06)) / cellDeg) * cellDeg
        const key = `${lon},${lat}`
        const bin = cells.get(key)
        cells.set(key, [lon, lat, (bin?.[2] ?? 0) + 1])
      }
      const started = performance.now()
      engine.heat.setBins([...cells.values()], cellDeg)
      return { ms: performance.now() - started, cells: cells.size }
    },
    /**
     * Renders `frames` frames back to back from the home view, orbiting half a degree each time
     * (so nothing is cached and the township stays in view), and waits for the GPU after each (reading one pixel back forces the frame to
     * finish, even where gl.finish returns at once). Returns per-frame times in ms.
     */
    measureFrames(frames = 20, options: { waitForGpu?: boolean } = {}): { frames: number, meanMs: number, p50Ms: number, p95Ms: number, maxMs: number } {
      // Cesium's own context (private API; a second getContext() call could pick another type).
      const gl = (viewer.scene as unknown as { context: { _gl: WebGLRenderingContext } }).context._gl
      const pixel = new Uint8Array(4)
      const times: number[] = []
      const home = engine.home
      const centre = home ? Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(home.target.lon, home.target.lat, 0)) : undefined
      for (let i = 0; i < frames; i++) {
        if (home && centre)
          viewer.camera.lookAtTransform(centre, new HeadingPitchRange(CesiumMath.toRadians(home.heading + i * 0.5), CesiumMath.toRadians(home.pitch), home.range))
        const t0 = performance.now()
        viewer.render()
        // Without waiting: the CPU's share (scene update and command submission) only.
        if (options.waitForGpu !== false)
          gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel)
        times.push(performance.now() - t0)
      }
      viewer.camera.lookAtTransform(Matrix4.IDENTITY)
      engine.control.goHome(0)
      times.sort((a, b) => a - b)
      const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
      return { frames, meanMs: times.reduce((s, t) => s + t, 0) / frames, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: times[times.length - 1]! }
    },
    /** Where a place shows: the map's own CSS pixels, and the client (viewport) point under any CSS scale. */
    project(lon: number, lat: number): { x: number, y: number, clientX: number, clientY: number } | null {
      const p = engine.project(lon, lat)
      if (!p)
        return null
      const canvas = viewer.canvas
      const client = elementToClient(p.x, p.y, canvas.getBoundingClientRect(), { width: canvas.clientWidth, height: canvas.clientHeight })
      return { ...p, ...client }
    },
    /** What a client point picks (the same path as a click). */
    pickClient(clientX: number, clientY: number): unknown {
      const canvas = viewer.canvas
      const p = clientToElement(clientX, clientY, canvas.getBoundingClientRect(), { width: canvas.clientWidth, height: canvas.clientHeight })
      return engine.pick(p.x, p.y)
    },
    cameraColour: (id: number) => engine.cameras.colourOf(id),
    /** Resolves with `Date.now()` of the end of the first frame that draws a camera in a colour (e.g. after a status change). */
    cameraDrawnAs(id: number, hex: string, timeoutMs = 30_000): Promise<number | null> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          remove()
          resolve(null)
        }, timeoutMs)
        const remove = viewer.scene.postRender.addEventListener(() => {
          if (engine.cameras.colourOf(id) === hex) {
            remove()
            clearTimeout(timer)
            resolve(Date.now())
          }
        })
      })
    },
    cameraIsSingle: (id: number) => engine.cameras.isSingle(id),
    clusters: () => engine.cameras.clusters.map(c => ({ lon: c.lon, lat: c.lat, ids: c.ids })),
    goHome: () => engine.control.goHome(0),
    /** The home view (where the camera returns), and how many urgent cases pulse now. */
    home: () => engine.home,
    pulsing: () => engine.incidents.pulsing,
    grids: () => engine.grids.state,
    /** The heat image drawn last: its case total and top cell count. */
    heat: () => engine.heat.last,
    /** Where the camera is: heading and pitch (degrees), height (m), and whether it is orbiting. */
    view: () => ({ heading: CesiumMath.toDegrees(viewer.camera.heading), pitch: CesiumMath.toDegrees(viewer.camera.pitch), height: viewer.camera.positionCartographic.height, orbiting: engine.control.isOrbiting }),
    flyTo: (lon: number, lat: number, range = 1500) => engine.control.flyTo(lon, lat, range, 0),
    /** Resolves after the next frame has been drawn (e.g. after toggling a layer). */
    rendered(): Promise<number> {
      return new Promise((resolve) => {
        const remove = viewer.scene.postRender.addEventListener(() => {
          remove()
          resolve(performance.now())
        })
        viewer.scene.requestRender()
      })
    },
  }
  ;(window as unknown as { __map: typeof hooks }).__map = hooks
}
