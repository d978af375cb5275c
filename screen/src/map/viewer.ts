import type { BasemapConfig } from '#wire'
import type { ImageryLayer } from 'cesium'
import {
  Cartesian3,
  CesiumWidget,
  Color,
  EllipsoidTerrainProvider,
  Ion,
  Math as CesiumMath,
} from 'cesium'
import { createBaseLayer } from './basemap.ts'
import 'cesium/Build/Cesium/Widgets/widgets.css'

/** Where the camera looks from: a point and a height in metres. */
export interface CameraHome {
  lon: number
  lat: number
  height: number
}

/**
 * Creates the app's one Cesium widget (a `CesiumWidget`: the scene without the Viewer's Knockout
 * widgets, whose bundled Knockout evaluates a string at load, which the server's CSP forbids), fully
 * offline: no ion token, no ion imagery, terrain or geocoder (each of these would otherwise call
 * Cesium's servers), and no base layer until the configuration names one (`setBasemap`). Renders
 * only when something changes (`requestRenderMode`).
 */
export function createOfflineViewer(container: HTMLElement, creditContainer: HTMLElement): CesiumWidget {
  Ion.defaultAccessToken = ''
  const viewer = new CesiumWidget(container, {
    baseLayer: false,
    terrainProvider: new EllipsoidTerrainProvider(),
    creditContainer,
    requestRenderMode: true,
    maximumRenderTimeChange: Number.POSITIVE_INFINITY,
    skyBox: false,
    // Translucent layers are drawn in a fixed order (heights keep them apart): no OIT passes.
    orderIndependentTranslucency: false,
  })
  const scene = viewer.scene
  scene.backgroundColor = Color.fromCssColorString('#020b1a')
  scene.globe.baseColor = Color.fromCssColorString('#06182e')
  // No globe until a base layer is configured (`setBasemap`): alone it is one flat colour.
  scene.globe.show = false
  scene.globe.enableLighting = false
  scene.globe.showGroundAtmosphere = false
  if (scene.skyAtmosphere)
    scene.skyAtmosphere.show = false
  if (scene.sun)
    scene.sun.show = false
  if (scene.moon)
    scene.moon.show = false
  scene.fog.enabled = false
  // The township is flat to the map (ellipsoid terrain): keep the camera above the ground and the layers.
  scene.screenSpaceCameraController.minimumZoomDistance = 150
  scene.screenSpaceCameraController.maximumZoomDistance = 8_000_000
  // Multisampling (Cesium's default: 4 samples) is nearly free on a graphics card and costs a
  // software renderer (a wall PC without a GPU driver) most of its frame: off there.
  if (softwareRendered(viewer.canvas))
    scene.msaaSamples = 1
  return viewer
}

/** Whether the canvas's WebGL is drawn by the CPU (SwiftShader, llvmpipe, Windows' basic renderer). */
export function softwareRendered(canvas: HTMLCanvasElement): boolean {
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl')
  if (!gl)
    return false
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)
}

/**
 * Replaces the base layer (kept at the bottom of the imagery stack); returns the new one. Without
 * one, the globe is not drawn (it would be one flat colour: the map draws the township's land).
 */
export function setBasemap(viewer: CesiumWidget, config: BasemapConfig, previous: ImageryLayer | null): ImageryLayer | null {
  if (previous)
    viewer.imageryLayers.remove(previous, true)
  const layer = createBaseLayer(config)
  if (layer)
    viewer.imageryLayers.add(layer, 0)
  viewer.scene.globe.show = layer !== null
  viewer.scene.requestRender()
  return layer
}

/** Points the camera at `home` from the south, tilted, as a wall's default oblique view. */
export function viewHome(viewer: CesiumWidget, home: CameraHome, durationSeconds = 0): void {
  const pitch = home.height > 1_000_000 ? -90 : -50
  // Step back to the south so that the point of interest sits in the centre of the tilted view.
  const back = home.height > 1_000_000 ? 0 : home.height / Math.tan(CesiumMath.toRadians(-pitch)) / 111_320
  const destination = Cartesian3.fromDegrees(home.lon, home.lat - back, home.height)
  const orientation = { heading: 0, pitch: CesiumMath.toRadians(pitch), roll: 0 }
  if (durationSeconds > 0)
    viewer.camera.flyTo({ destination, orientation, duration: durationSeconds })
  else
    viewer.camera.setView({ destination, orientation })
  viewer.scene.requestRender()
}
