import type { CesiumWidget } from 'cesium'
import type { HomeView } from './geometry.ts'
import { BoundingSphere, Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4, Transforms } from 'cesium'

export interface CameraTiming {
  /** Seconds for one idle orbit; 0: no orbit. */
  orbitSeconds: number
  /** Seconds without interaction before the orbit starts. */
  idleSeconds: number
  /** Seconds a fly-to stays before returning home. */
  returnHomeSeconds: number
}

/**
 * The map's camera: the home view that frames the township, a slow orbit around it when nobody
 * touches the map, and fly-to that returns home after a while. Any user input stops the orbit and
 * restarts the clocks. The orbit is the only idle animation, and it is configurable (0 = off). A card
 * holds the map away from home like a flight does (`holdAway`): the return home closes it.
 */
export class CameraControl {
  private home: HomeView | undefined
  private timing: CameraTiming = { orbitSeconds: 0, idleSeconds: 90, returnHomeSeconds: 60 }
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private returnTimer: ReturnType<typeof setTimeout> | undefined
  private orbitFrame = 0
  private orbiting = false
  private away = false
  /** The camera is (flying) at home, untouched since: safe to re-frame when the canvas changes shape. */
  private atHome = false
  /** No orbit before the map has settled once (tiles still loading would never settle while it turns). */
  orbitAllowed = false
  /** Called when the map goes home by itself after `returnHomeSeconds` untouched (the cards close then). */
  onReturnHome: () => void = () => {}
  private readonly onInput = (): void => this.activity()
  private readonly inputEvents = ['pointerdown', 'wheel', 'touchstart', 'keydown'] as const

  constructor(private readonly viewer: CesiumWidget) {
    for (const type of this.inputEvents)
      viewer.container.addEventListener(type, this.onInput, { passive: true })
  }

  setTiming(timing: CameraTiming): void {
    this.timing = timing
    this.stopOrbit()
    this.armIdle()
  }

  /** Sets the home view; `go`: fly there now (seconds; 0 = jump). Re-frames when the camera is at home anyway. */
  setHome(home: HomeView, go?: number): void {
    this.home = home
    if (go !== undefined)
      this.goHome(go)
    else if (this.atHome && !this.orbiting)
      this.goHome(0)
  }

  goHome(seconds = 2): void {
    this.stopOrbit()
    this.away = false
    clearTimeout(this.returnTimer)
    const home = this.home
    this.atHome = home !== undefined
    if (!home)
      return
    const destination = Cartesian3.fromDegrees(home.position.lon, home.position.lat, home.position.height)
    const orientation = { heading: CesiumMath.toRadians(home.heading), pitch: CesiumMath.toRadians(home.pitch), roll: 0 }
    if (seconds > 0)
      this.viewer.camera.flyTo({ destination, orientation, duration: seconds })
    else
      this.viewer.camera.setView({ destination, orientation })
    this.viewer.scene.requestRender()
    this.armIdle()
  }

  /** Flies to look at a point from `range` metres, then returns home after the configured time. */
  flyTo(lon: number, lat: number, range = 2200, seconds = 2): void {
    this.stopOrbit()
    this.away = true
    this.atHome = false
    const target = Cartesian3.fromDegrees(lon, lat, 0)
    this.viewer.camera.flyToBoundingSphere(new BoundingSphere(target, 1), {
      offset: new HeadingPitchRange(0, CesiumMath.toRadians(-45), range),
      duration: seconds,
    })
    this.armReturn()
  }

  /**
   * Something is shown that belongs to a moment (a card): return home — and let it go — after the
   * configured time untouched, even if the camera never left home.
   */
  holdAway(): void {
    this.away = true
    this.armReturn()
  }

  /** Called on any user input: stops the orbit and restarts the idle and return clocks. */
  activity(): void {
    this.atHome = false
    this.stopOrbit()
    this.armIdle()
    if (this.away)
      this.armReturn()
  }

  private armReturn(): void {
    clearTimeout(this.returnTimer)
    this.returnTimer = setTimeout(() => {
      this.goHome(3)
      this.onReturnHome()
    }, this.timing.returnHomeSeconds * 1000)
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer)
    if (this.timing.orbitSeconds <= 0)
      return
    this.idleTimer = setTimeout(() => {
      if (this.away || !this.orbitAllowed)
        return this.armIdle()
      this.startOrbit()
    }, this.timing.idleSeconds * 1000)
  }

  private startOrbit(): void {
    const home = this.home
    if (!home || this.orbiting || this.timing.orbitSeconds <= 0)
      return
    this.orbiting = true
    // Turn about the vertical through the township's centre, keeping the home framing (which
    // leaves room for the legend) instead of re-aiming at the centre: no jump when it starts.
    this.viewer.camera.lookAtTransform(Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(home.target.lon, home.target.lat, 0)))
    let last = performance.now()
    const step = (now: number): void => {
      if (!this.orbiting || this.viewer.isDestroyed())
        return
      // A camera move is a change: requestRenderMode draws the frame by itself.
      this.viewer.camera.rotateLeft((now - last) / 1000 / this.timing.orbitSeconds * CesiumMath.TWO_PI)
      last = now
      this.orbitFrame = requestAnimationFrame(step)
    }
    this.orbitFrame = requestAnimationFrame(step)
  }

  private stopOrbit(): void {
    if (!this.orbiting)
      return
    this.orbiting = false
    cancelAnimationFrame(this.orbitFrame)
    if (!this.viewer.isDestroyed())
      this.viewer.camera.lookAtTransform(Matrix4.IDENTITY)
  }

  destroy(): void {
    this.stopOrbit()
    clearTimeout(this.idleTimer)
    clearTimeout(this.returnTimer)
    for (const type of this.inputEvents)
      this.viewer.container.removeEventListener(type, this.onInput)
  }
}
