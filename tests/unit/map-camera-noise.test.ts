import { Cartesian3, Matrix4, PerspectiveFrustum } from 'cesium'
import { describe, expect, it } from 'vitest'
import { ignoreCameraRounding, onlyRounding } from '../../screen/src/map/camera-noise.ts'

function camera(direction = new Cartesian3(0.6, 0.8, 0)) {
  const frustum = new PerspectiveFrustum({ fov: 1, aspectRatio: 16 / 9, near: 1, far: 1e7 })
  return {
    position: new Cartesian3(-2_300_000, 5_000_000, 3_100_000),
    direction: Cartesian3.clone(direction),
    up: new Cartesian3(0, 0, 1),
    right: new Cartesian3(0.8, -0.6, 0),
    transform: Matrix4.clone(Matrix4.IDENTITY),
    frustum,
  }
}

/** A scene whose render raises preUpdate, then compares the camera with the last drawn one as Cesium does (ε = 1e-15). */
function scene() {
  const listeners: (() => void)[] = []
  const last = camera()
  const s = {
    camera: camera(),
    _view: { _cameraClone: last },
    preUpdate: { addEventListener: (l: () => void) => (listeners.push(l), () => listeners.splice(listeners.indexOf(l), 1)) },
    /** One frame: true when Cesium would draw it because the camera changed. */
    frame(): boolean {
      for (const l of [...listeners]) l()
      const changed = !Cartesian3.equalsEpsilon(s.camera.direction, last.direction, 1e-15) || !Cartesian3.equalsEpsilon(s.camera.up, last.up, 1e-15)
        || !Cartesian3.equalsEpsilon(Cartesian3.divideByScalar(s.camera.position, 5e6, new Cartesian3()), Cartesian3.divideByScalar(last.position, 5e6, new Cartesian3()), 1e-15)
      if (changed) {
        Cartesian3.clone(s.camera.position, last.position)
        Cartesian3.clone(s.camera.direction, last.direction)
        Cartesian3.clone(s.camera.up, last.up)
      }
      return changed
    },
  }
  return s
}

describe('the map draws when the camera moved, not when rounding nudged it', () => {
  it('tells rounding (≈1e-15) from a move, and leaves other transforms alone', () => {
    const a = camera()
    const nudged = camera()
    nudged.direction.x += 1.2e-15
    nudged.up.z -= 1.1e-15
    expect(onlyRounding(nudged, a)).toBe(true)
    const turned = camera(new Cartesian3(0.6001, 0.79992, 0))
    expect(onlyRounding(turned, a)).toBe(false)
    expect(onlyRounding(camera(), a)).toBe(false)
    const orbiting = camera()
    orbiting.direction.x += 1e-15
    orbiting.transform = Matrix4.fromTranslation(new Cartesian3(1, 0, 0))
    expect(onlyRounding(orbiting, a)).toBe(false)
  })

  it('draws no frame for a camera nudged by rounding every frame, and every frame of a real move', () => {
    const s = scene()
    const remove = ignoreCameraRounding(s)
    // Rounding each frame (what was seen after re-mounts): without the guard, every frame is drawn.
    const drawn = Array.from({ length: 20 }, (_, i) => {
      s.camera.direction.x += (i % 2 ? 1 : -1) * 1.2e-15
      s.camera.up.z += 1.1e-15
      return s.frame()
    })
    expect(drawn.filter(Boolean)).toHaveLength(0)
    // A slow orbit's step (1e-4 rad a frame) is drawn each time.
    const moved = Array.from({ length: 5 }, () => {
      s.camera.direction.x += 1e-4
      return s.frame()
    })
    expect(moved.every(Boolean)).toBe(true)
    remove()
    s.camera.direction.x += 1.2e-15
    expect(s.frame()).toBe(true)
  })

  it('does nothing on a scene without the last drawn camera (another Cesium)', () => {
    const s = scene()
    Reflect.deleteProperty(s, '_view')
    ignoreCameraRounding(s)
    s.camera.direction.x += 1.2e-15
    // The guard stands aside: Cesium's own comparison decides (the frame is drawn).
    expect(s.frame()).toBe(true)
  })
})
