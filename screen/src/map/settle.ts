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
