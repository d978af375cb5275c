import type { ScreenConfig } from '#wire'
import type { ConsoleMapEngine, EngineOptions } from './engine.ts'

/**
 * Makes the console map's engine with the configured renderer. Each library is a dynamic import (a
 * chunk of its own): the default, maplibre-gl, never loads mapbox-gl, and a wall loads neither.
 */
export async function createEngine(map2d: ScreenConfig['map2d'], options: EngineOptions): Promise<ConsoleMapEngine> {
  if (map2d.renderer === 'mapbox') {
    // The server refuses to start without the token; a missing one here is a programming error.
    if (!map2d.mapboxAccessToken)
      throw new Error('MAP2D_RENDERER is mapbox but no MAPBOX_ACCESS_TOKEN was sent')
    const { createMapboxEngine } = await import('./mapbox.ts')
    return createMapboxEngine(options, map2d.mapboxAccessToken)
  }
  const { createMaplibreEngine } = await import('./maplibre.ts')
  return createMaplibreEngine(options)
}
