import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { idleWhileTilesHang, waitForSettle } from '../../screen/src/map/settle.ts'

/** A scene in request-render mode: a frame is drawn ≈16 ms after one is asked for (several asks, one frame). */
function fakeScene() {
  const listeners = new Set<() => void>()
  let pending = false
  const scene = {
    frames: 0,
    listeners,
    postRender: {
      addEventListener: (listener: () => void) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    requestRender: () => {
      if (pending)
        return
      pending = true
      setTimeout(() => {
        pending = false
        scene.frames++
        for (const listener of [...listeners])
          listener()
      }, 16)
    },
  }
  return scene
}

describe('the map settling', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('with tiles that never load, stops asking for frames at the time limit, and draws nothing after', async () => {
    const scene = fakeScene()
    let result: boolean | undefined
    void waitForSettle(scene, { settled: () => false, gone: () => false, timeoutMs: 5000, now: () => Date.now() }).then(r => (result = r))
    await vi.advanceTimersByTimeAsync(2000)
    // While waiting it keeps looking (≈ every 100 ms)…
    expect(scene.frames).toBeGreaterThan(10)
    await vi.advanceTimersByTimeAsync(3500)
    expect(result).toBe(false)
    // …and after the limit the map is idle: no frame in a minute, no listener left on the scene.
    const framesAtLimit = scene.frames
    await vi.advanceTimersByTimeAsync(60_000)
    expect(scene.frames).toBe(framesAtLimit)
    expect(scene.listeners.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ends at the first frame once everything is drawn', async () => {
    const scene = fakeScene()
    let ready = false
    let result: boolean | undefined
    void waitForSettle(scene, { settled: () => ready, gone: () => false, timeoutMs: 60_000, now: () => Date.now() }).then(r => (result = r))
    await vi.advanceTimersByTimeAsync(1000)
    ready = true
    await vi.advanceTimersByTimeAsync(200)
    expect(result).toBe(true)
    const frames = scene.frames
    await vi.advanceTimersByTimeAsync(10_000)
    expect(scene.frames).toBe(frames)
    expect(scene.listeners.size).toBe(0)
  })

  it('ends at once when the engine is destroyed (its WebGL context lost), leaving no timer', async () => {
    const scene = fakeScene()
    const lifetime = new AbortController()
    let result: boolean | undefined
    void waitForSettle(scene, { settled: () => false, gone: () => false, timeoutMs: 60_000, signal: lifetime.signal, now: () => Date.now() }).then(r => (result = r))
    await vi.advanceTimersByTimeAsync(500)
    lifetime.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect(result).toBe(false)
    expect(scene.listeners.size).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('with tiles that hang, Cesium\'s own frame-after-frame stops once the wait gave up, but asked-for frames still come', async () => {
    // Cesium's loop, modelled: each display refresh draws when a frame is requested, and a frame with
    // the globe's tiles still loading requests the next one itself.
    const pre = new Set<() => void>()
    const post = new Set<() => void>()
    const scene = {
      _renderRequested: true,
      frames: 0,
      globe: { show: true, tilesLoaded: false },
      preRender: { addEventListener: (l: () => void) => (pre.add(l), () => pre.delete(l)) },
      postRender: { addEventListener: (l: () => void) => (post.add(l), () => post.delete(l)) },
      requestRender(this: { _renderRequested: boolean }) {
        this._renderRequested = true
      },
    }
    const refresh = setInterval(() => {
      if (!scene._renderRequested)
        return
      pre.forEach(l => l())
      scene._renderRequested = false
      scene.frames++
      if (!scene.globe.tilesLoaded)
        scene._renderRequested = true
      post.forEach(l => l())
    }, 16)
    await vi.advanceTimersByTimeAsync(1000)
    expect(scene.frames).toBeGreaterThan(50) // every refresh, for ever
    const lifetime = new AbortController()
    idleWhileTilesHang(scene, lifetime.signal, 10_000)
    await vi.advanceTimersByTimeAsync(100)
    const idleFrom = scene.frames
    await vi.advanceTimersByTimeAsync(60_000)
    // A frame every 10 s looks again for late tiles; nothing else.
    expect(scene.frames - idleFrom).toBeLessThanOrEqual(7)
    // Something that changes still draws.
    const before = scene.frames
    scene.requestRender()
    await vi.advanceTimersByTimeAsync(50)
    expect(scene.frames).toBe(before + 1)
    lifetime.abort()
    expect(pre.size + post.size).toBe(0)
    clearInterval(refresh)
  })
})
