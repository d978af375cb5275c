import type { MapEngine } from './engine.ts'
import { useCameraPoints } from './bindings/useCameraPoints.ts'
import { useCameraView } from './bindings/useCameraView.ts'
import { useGeodata } from './bindings/useGeodata.ts'
import { useHeat } from './bindings/useHeat.ts'
import { useIncidents } from './bindings/useIncidents.ts'
import { useLayerSettings } from './bindings/useLayerSettings.ts'
import { useSelectionRing } from './bindings/useSelectionRing.ts'
import { useWallPush } from './bindings/useWallPush.ts'

/**
 * Binds the screen's stores to the map engine (one composable per concern, in `bindings/`):
 * geography, settings and camera from the configuration and the map store; live data into the
 * layers, updated in place. Every watcher and timer ends with the calling component's scope.
 * `onGeodata` runs once the township is drawn; `liveHeatDrawn` resolves once the live heat is.
 */
export function useMapBindings(engine: MapEngine, onGeodata: () => void): { liveHeatDrawn: Promise<void> } {
  const heat = useHeat(engine)
  useGeodata(engine, (loaded) => {
    // The heat is drawn over the township's extent, known only now.
    if (loaded)
      heat.draw()
    onGeodata()
  })
  useLayerSettings(engine)
  useCameraView(engine)
  useCameraPoints(engine)
  useIncidents(engine)
  useSelectionRing(engine)
  useWallPush(engine)
  return { liveHeatDrawn: heat.liveHeatDrawn }
}
