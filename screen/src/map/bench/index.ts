import type { MapEngine } from '../engine.ts'
import { firstFrameWhere, measureFrames, rendered } from './frames.ts'
import { syntheticLoad } from './load.ts'
import { layerReadouts, milestones, placeReadouts, viewReadouts } from './readouts.ts'

/**
 * Hooks for benchmarks and browser tests on `window.__map`: synthetic load (cameras as primitives,
 * or the naive one-Entity-per-camera baseline, grids, a heatmap), frame timing, and read-outs
 * (where a place shows, what a click picks, what the layers draw, the view). Loaded by MapView
 * only with `?bench=1`, as a chunk of its own: a wall never loads it.
 */
export function createHooks(engine: MapEngine) {
  const viewer = engine.viewer
  // For the page's life, as the widget it counts.
  let framesDrawn = 0
  viewer.scene.postRender.addEventListener(() => framesDrawn++)
  const layers = layerReadouts(engine)
  return {
    ...syntheticLoad(engine),
    ...placeReadouts(engine),
    ...layers,
    ...viewReadouts(engine),
    /** The map's start-up milestones (ms since navigation). */
    get timings() {
      return milestones()
    },
    /** How many Cesium widgets this page has created: one for the app's whole life. */
    get viewersCreated() {
      return performance.getEntriesByName('map:viewerCreated', 'mark').length
    },
    /** Frames drawn since the hooks were installed (requestRenderMode: only on change or animation). */
    get frames() {
      return framesDrawn
    },
    measureFrames: (frames = 20, options: { waitForGpu?: boolean } = {}) => measureFrames(engine, frames, options),
    /** The samples per pixel the map draws with (set: to compare; 1 on a software renderer, else Cesium's 4). */
    msaa(samples?: number): number {
      if (samples !== undefined)
        viewer.scene.msaaSamples = samples
      return viewer.scene.msaaSamples
    },
    /** Resolves after the next frame has been drawn (e.g. after toggling a layer). */
    rendered: () => rendered(viewer),
    /** Resolves with `Date.now()` of the end of the first frame that draws a camera in a colour (e.g. after a status change). */
    cameraDrawnAs: (id: number, hex: string, timeoutMs = 30_000) => firstFrameWhere(viewer, () => layers.cameraColour(id) === hex, timeoutMs),
  }
}

/** The hooks on `window.__map` (with `?bench=1`); browser tests import this type. */
export type MapHooks = ReturnType<typeof createHooks>

declare global {
  interface Window {
    /** The map's hooks for benchmarks and browser tests (only with `?bench=1`). */
    __map?: MapHooks
  }
}

/** One set of hooks per engine: a re-mounted map reinstalls them without adding a frame counter to the scene. */
const installed = new WeakMap<MapEngine, MapHooks>()

/** Installs the hooks on `window.__map` (the engine's own, when it has been replaced). */
export function installBenchHooks(engine: MapEngine): void {
  let hooks = installed.get(engine)
  if (!hooks) {
    hooks = createHooks(engine)
    installed.set(engine, hooks)
  }
  window.__map = hooks
}
