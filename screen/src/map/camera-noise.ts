import type { Cartesian3 as Cartesian3Type, Matrix4 as Matrix4Type } from 'cesium'
import { Cartesian3, Matrix4 } from 'cesium'

/** The parts of a camera this guard compares and restores (a Cesium `Camera`; a plain object in unit tests). */
export interface CameraState {
  position: Cartesian3Type
  direction: Cartesian3Type
  up: Cartesian3Type
  right: Cartesian3Type
  transform: Matrix4Type
  frustum: { equalsEpsilon: (other: never, epsilon: number) => boolean }
}

/** What the guard needs of a Cesium scene: its pre-update event, its camera and (private) the last drawn camera. */
export interface NoiseScene {
  preUpdate: { addEventListener: (listener: () => void) => () => void }
  camera: CameraState
}

/** Differences up to this (unit vectors; positions relative to their size) are rounding, not movement. */
export const CAMERA_NOISE = 1e-12

const SCRATCH = new Cartesian3()

/** Largest component difference of two vectors (positions scaled as Cesium scales them). */
function difference(a: Cartesian3Type, b: Cartesian3Type, scale = 1): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.z - b.z)) * scale
}

/**
 * Whether `camera` differs from `last` only by rounding: something, but nothing above `tolerance`
 * (position, direction, up, right), the same transform and frustum.
 */
export function onlyRounding(camera: CameraState, last: CameraState, tolerance = CAMERA_NOISE): boolean {
  if (!Matrix4.equals(camera.transform, last.transform) || !camera.frustum.equalsEpsilon(last.frustum as never, 0))
    return false
  // (Checked before every frame, drawn or not: no allocation.)
  const scale = 1 / Math.max(1, Cartesian3.maximumComponent(Cartesian3.abs(camera.position, SCRATCH)), Cartesian3.maximumComponent(Cartesian3.abs(last.position, SCRATCH)))
  const largest = Math.max(difference(camera.position, last.position, scale), difference(camera.direction, last.direction), difference(camera.up, last.up), difference(camera.right, last.right))
  return largest > 0 && largest <= tolerance
}

/**
 * Cesium draws a frame whenever the camera differs from the last drawn one by more than 1e-15
 * (`View.checkForCameraUpdates`, in the scene's render, after `preUpdate`). On the wall, after the
 * map was re-mounted, the camera's direction and up came out of each frame 1.0–1.4e-15 off the
 * frame before (rounding in Cesium's own per-frame camera update): the map drew every frame, for
 * ever, with nothing moving. Before Cesium compares, a change that is only rounding is undone — the
 * camera put back to the last drawn one — so that the map draws when something moved, and idles
 * otherwise. Reads the scene's private `_view._cameraClone`; without it (another Cesium) it does
 * nothing. Returns the function that removes the guard.
 */
export function ignoreCameraRounding(scene: NoiseScene, tolerance = CAMERA_NOISE): () => void {
  return scene.preUpdate.addEventListener(() => {
    const view: unknown = Reflect.get(scene, '_view')
    const last: unknown = typeof view === 'object' && view !== null ? Reflect.get(view, '_cameraClone') : undefined
    if (typeof last !== 'object' || last === null || !('direction' in last))
      return
    const drawn = last as CameraState
    const camera = scene.camera
    if (!onlyRounding(camera, drawn, tolerance))
      return
    Cartesian3.clone(drawn.position, camera.position)
    Cartesian3.clone(drawn.direction, camera.direction)
    Cartesian3.clone(drawn.up, camera.up)
    Cartesian3.clone(drawn.right, camera.right)
  })
}
