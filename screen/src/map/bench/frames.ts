import type { CesiumWidget } from 'cesium'
import type { MapEngine } from '../engine.ts'
import { Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4, Transforms } from 'cesium'

export interface FrameStats {
  frames: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  maxMs: number
}

/** Resolves after the first frame drawn once `done()` holds (primitives are built by workers over several frames). */
export function settled(viewer: CesiumWidget, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
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
}

/** Resolves (with `performance.now()`) after the next frame has been drawn. */
export function rendered(viewer: CesiumWidget): Promise<number> {
  return new Promise((resolve) => {
    const remove = viewer.scene.postRender.addEventListener(() => {
      remove()
      resolve(performance.now())
    })
    viewer.scene.requestRender()
  })
}

/** Cesium's own WebGL context: asking the canvas again for the type it has returns it (another type: null). */
function glOf(viewer: CesiumWidget): WebGLRenderingContext | WebGL2RenderingContext {
  const gl = viewer.canvas.getContext('webgl2') ?? viewer.canvas.getContext('webgl')
  if (!gl)
    throw new Error('the map has no WebGL context')
  return gl
}

function stats(times: number[]): FrameStats {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { frames: sorted.length, meanMs: sorted.reduce((s, t) => s + t, 0) / sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted[sorted.length - 1]! }
}

/**
 * Renders `frames` frames back to back from the home view, orbiting half a degree each time (so
 * nothing is cached and the township stays in view), and waits for the GPU after each (reading one
 * pixel back forces the frame to finish, even where gl.finish returns at once); `waitForGpu: false`
 * measures the CPU's share only (scene update and command submission). Returns per-frame times in ms.
 */
export function measureFrames(engine: MapEngine, frames = 20, options: { waitForGpu?: boolean } = {}): FrameStats {
  const viewer = engine.viewer
  const gl = glOf(viewer)
  const pixel = new Uint8Array(4)
  const times: number[] = []
  const home = engine.home
  const centre = home ? Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(home.target.lon, home.target.lat, 0)) : undefined
  for (let i = 0; i < frames; i++) {
    if (home && centre)
      viewer.camera.lookAtTransform(centre, new HeadingPitchRange(CesiumMath.toRadians(home.heading + i * 0.5), CesiumMath.toRadians(home.pitch), home.range))
    const t0 = performance.now()
    viewer.render()
    if (options.waitForGpu !== false)
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel)
    times.push(performance.now() - t0)
  }
  viewer.camera.lookAtTransform(Matrix4.IDENTITY)
  engine.control.goHome(0)
  return stats(times)
}

/** Resolves with `Date.now()` at the end of the first frame after which `check()` holds, or null after `timeoutMs`. */
export function firstFrameWhere(viewer: CesiumWidget, check: () => boolean, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      remove()
      resolve(null)
    }, timeoutMs)
    const remove = viewer.scene.postRender.addEventListener(() => {
      if (check()) {
        remove()
        clearTimeout(timer)
        resolve(Date.now())
      }
    })
  })
}
