import type { Entity } from 'cesium'
import type { MapEngine } from '../engine.ts'
import type { Extent } from '../geometry.ts'
import type { GridFigures, GridShape } from '../layers/grids.ts'
import { Cartesian3, Color, CustomDataSource } from 'cesium'
import { cameraColour } from '../colour.ts'
import { toColor } from '../layers/shared.ts'
import { settled } from './frames.ts'
import { syntheticCameras, syntheticGrids, syntheticHeatBins } from './synthetic.ts'

/** Where synthetic load goes: the township's extent, or the mock's before it is known. */
function extentOf(engine: MapEngine): Extent {
  return engine.extent ?? { west: 111.1, south: 29.42, east: 111.24, north: 29.53 }
}

/** A camera's status as a 16 px round icon (the naive baseline's billboards), one canvas per status. */
function iconMaker(): (status: string) => HTMLCanvasElement {
  const icons = new Map<string, HTMLCanvasElement>()
  return (status) => {
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
}

/** Synthetic cameras on the real layer, and the naive one-Entity-per-camera baseline to compare with. */
function cameraLoad(engine: MapEngine) {
  const viewer = engine.viewer
  let synthetic: number[] = []
  let entitySource: CustomDataSource | undefined
  const entities: Entity[] = []
  const load = {
    /** Adds n synthetic cameras to the primitive layer (replacing earlier synthetic ones). */
    addSyntheticCameras(n: number, seed = 1): number {
      engine.cameras.remove(synthetic)
      const cameras = syntheticCameras(n, seed, extentOf(engine))
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
      load.clearEntityCameras()
      const icon = iconMaker()
      // In a data source of their own, destroyed when cleared: Cesium pools the primitives of removed
      // entities (hidden, still drawn through), which would slow whatever is measured next.
      entitySource = new CustomDataSource('naive-cameras')
      void viewer.dataSources.add(entitySource)
      const collection = entitySource.entities
      collection.suspendEvents()
      for (const camera of syntheticCameras(n, seed, extentOf(engine))) {
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
  }
  return load
}

/** Synthetic grids in place of the township's (and back), and a synthetic heatmap. */
function areaLoad(engine: MapEngine) {
  let realGrids: { shapes: GridShape[], figures: Map<number, GridFigures> } | undefined
  return {
    /**
     * Replaces the township's grids by n synthetic ones (Voronoi cells over the township's extent,
     * with random figures), e.g. 300 for a larger township than the mock's. Resolves once they are drawn.
     */
    async setSyntheticGrids(n: number, seed = 3): Promise<number> {
      realGrids ??= { shapes: engine.grids['shapes'], figures: engine.grids['figures'] }
      const grids = await syntheticGrids(n, seed, extentOf(engine))
      engine.grids.setShapes(grids.shapes)
      engine.grids.setFigures(grids.figures)
      await settled(engine.viewer, () => engine.grids.ready)
      return engine.grids.count
    },
    async restoreGrids(): Promise<number> {
      if (realGrids) {
        engine.grids.setShapes(realGrids.shapes)
        engine.grids.setFigures(realGrids.figures)
        realGrids = undefined
        await settled(engine.viewer, () => engine.grids.ready)
      }
      return engine.grids.count
    },
    /** Draws a synthetic heatmap of about `cases` cases over the township; returns the client-side time (ms). */
    heatFromCases(cases: number, seed = 2, cellDeg = 0.001): { ms: number, cells: number } {
      const bins = syntheticHeatBins(cases, seed, extentOf(engine), cellDeg)
      const started = performance.now()
      engine.heat.setBins(bins, cellDeg)
      return { ms: performance.now() - started, cells: bins.length }
    },
  }
}

/** Synthetic load for the benchmarks: cameras (the layer's and the naive baseline), grids and heat. */
export function syntheticLoad(engine: MapEngine) {
  return { ...cameraLoad(engine), ...areaLoad(engine) }
}
