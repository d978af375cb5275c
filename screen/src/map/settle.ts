/** What the settle wait needs of a Cesium scene (a fake one in the unit tests). */
export interface SettleScene {
  postRender: { addEventListener: (listener: () => void) => () => void }
  requestRender: () => void
}

export interface SettleOptions {
  /** Everything built and drawn (layers, tiles). */
  settled: () => boolean
  /** The engine was destroyed meanwhile (its widget gone): stop at once. */
  gone: () => boolean
  /** After this long the wait ends whatever is still loading. */
  timeoutMs: number
  /** How long between two frames asked for while waiting. */
  intervalMs?: number
  now?: () => number
  /** Ends the wait at once (the engine is being destroyed). */
  signal?: AbortSignal
}

/**
 * Asks for a frame every `intervalMs` until `settled()` holds after a frame, or `timeoutMs` has
 * passed (tiles that never come, from an unreachable intranet tile server, must not keep the map
 * rendering for ever), or the engine is gone. Resolves `true` when settled, `false` otherwise; the
 * scene's listener and the timer are released in every case.
 */
export function waitForSettle(scene: SettleScene, options: SettleOptions): Promise<boolean> {
  const { settled, gone, timeoutMs, intervalMs = 100, now = () => performance.now(), signal } = options
  const started = now()
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let done = false
    const finish = (result: boolean): void => {
      if (done)
        return
      done = true
      signal?.removeEventListener('abort', abort)
      remove()
      clearTimeout(timer)
      resolve(result)
    }
    const remove = scene.postRender.addEventListener(() => {
      if (done)
        return
      if (gone())
        return finish(false)
      if (settled())
        return finish(true)
      if (now() - started >= timeoutMs)
        return finish(false)
      // Layers are built by workers and tiles arrive over the network: keep looking.
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (!gone())
          scene.requestRender()
      }, intervalMs)
    })
    const abort = (): void => finish(false)
    if (signal?.aborted)
      return finish(false)
    signal?.addEventListener('abort', abort)
    scene.requestRender()
  })
}

/** How often a map that gave up waiting for its tiles asks for one frame (tiles that arrive late are drawn then). */
export const TILE_POLL_MS = 10_000

/** What `idleWhileTilesHang` needs of a Cesium scene. */
export interface TileScene extends SettleScene {
  preRender: { addEventListener: (listener: () => void) => () => void }
  globe: { show: boolean, tilesLoaded: boolean }
}

/**
 * Cesium asks for the next frame itself for as long as the globe's tiles are loading
 * (`_renderRequested`, set at the end of every frame): with a tile server that never answers, that
 * is a frame at every display refresh for ever. Once the settle wait has given up, a frame in which
 * nothing asked for another (everything else calls `requestRender`) asks for none while the tiles
 * hang, and one frame every `pollMs` looks again. Ends with `signal`.
 */
export function idleWhileTilesHang(scene: TileScene, signal: AbortSignal, pollMs = TILE_POLL_MS): void {
  const original = scene.requestRender
  let asked = false
  scene.requestRender = () => {
    asked = true
    original.call(scene)
  }
  const removePre = scene.preRender.addEventListener(() => {
    asked = false
  })
  const removePost = scene.postRender.addEventListener(() => {
    if (!asked && scene.globe.show && !scene.globe.tilesLoaded)
      // Cesium's own flag (not in its typings): the frame it would ask for itself.
      Reflect.set(scene, '_renderRequested', false)
  })
  const poll = setInterval(() => {
    if (scene.globe.show && !scene.globe.tilesLoaded)
      scene.requestRender()
  }, pollMs)
  signal.addEventListener('abort', () => {
    removePre()
    removePost()
    clearInterval(poll)
    scene.requestRender = original
  }, { once: true })
}
