import type { FeatureCollection, Point } from 'geojson'
import type { ConsoleMapEngine } from './engine.ts'

const LEVELS = ['urgent', 'major', 'serious', 'general']
const STATUSES = ['online', 'online', 'online', 'offline', 'alarm']

/** A small deterministic generator (the same load on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function points(n: number, box: [number, number, number, number], rnd: () => number, props: (i: number) => Record<string, unknown>): FeatureCollection<Point> {
  const [west, south, east, north] = box
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [west + rnd() * (east - west), south + rnd() * (north - south)] }, properties: props(i) })),
  }
}

/**
 * Hooks for the console benchmark on `window.__consoleMap` (only with `?bench=1`, a chunk of its own):
 * a synthetic load of cameras and open cases, and frame intervals while the map moves.
 */
export function createConsoleMapHooks(engine: ConsoleMapEngine) {
  return {
    renderer: engine.renderer,
    /** Replaces the cameras and the open cases on the map with synthetic ones spread over `box` (west, south, east, north). */
    load(cameras: number, cases: number, box: [number, number, number, number]): void {
      const rnd = random(7)
      engine.setData('cameras', points(cameras, box, rnd, i => ({ id: i + 1, status: STATUSES[i % STATUSES.length] })))
      engine.setData('cases', points(cases, box, rnd, i => ({ id: i + 1, level: LEVELS[i % LEVELS.length], code: `B${i}` })))
    },
    /** Frame intervals (ms) while the map flies back and forth between two points for `ms`. */
    async measureFrames(from: [number, number], to: [number, number], ms = 3000): Promise<{ frames: number, meanMs: number, p50Ms: number, p95Ms: number }> {
      const intervals: number[] = []
      let last = performance.now()
      let leg = 0
      const fly = (): void => {
        const [lon, lat] = leg++ % 2 ? from : to
        engine.flyTo(lon, lat, 13)
      }
      fly()
      const flights = setInterval(fly, 800)
      await new Promise<void>((resolve) => {
        const end = last + ms
        const tick = (now: number): void => {
          intervals.push(now - last)
          last = now
          if (now < end)
            requestAnimationFrame(tick)
          else
            resolve()
        }
        requestAnimationFrame(tick)
      })
      clearInterval(flights)
      const sorted = intervals.slice(1).sort((a, b) => a - b)
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
      return { frames: sorted.length, meanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), p50Ms: at(0.5), p95Ms: at(0.95) }
    },
  }
}

/** The console map's hooks (with `?bench=1`); the benchmark imports this type. */
export type ConsoleMapHooks = ReturnType<typeof createConsoleMapHooks>

declare global {
  interface Window {
    /** The console map's hooks for benchmarks (only with `?bench=1`). */
    __consoleMap?: ConsoleMapHooks
  }
}
