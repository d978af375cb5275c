import type { Scene } from 'cesium'
import type { Extent } from '../geometry.ts'
import type { HeatBin, HeatImage } from '../heat-raster.ts'
import {
  Color,
  GeometryInstance,
  Material,
  MaterialAppearance,
  Primitive,
  Rectangle,
  RectangleGeometry,
} from 'cesium'
import { HEAT_RAMP } from '../colour.ts'
import { padExtent } from '../geometry.ts'
import { renderHeat } from '../heat-raster.ts'
import { GRANULARITY, LAYER_HEIGHT } from './shared.ts'

/**
 * The case heatmap: the server's bins rasterised, blurred and coloured on a canvas (heat-raster.ts),
 * draped over the township as one rectangle whose material shows the canvas. Two canvases take
 * turns, so that a new image is a new texture source for Cesium while the primitive stays the same.
 */
export class HeatLayer {
  private primitive: Primitive | undefined
  private material: Material | undefined
  private readonly canvases: HTMLCanvasElement[] = [document.createElement('canvas'), document.createElement('canvas')]
  private turn = 0
  private extent: Extent | undefined
  private visible = true
  private framesToRequest = 0
  private readonly removePostRender: () => void
  /** The last image's figures, and each pixel's place on the ramp. */
  private last: Pick<HeatImage, 'topCount' | 'total' | 'width' | 'height' | 'levels'> & { ms: number } | undefined

  constructor(private readonly scene: Scene) {
    // A canvas given to a material is uploaded during the next frame's update: draw one more.
    this.removePostRender = scene.postRender.addEventListener(() => {
      if (this.framesToRequest > 0) {
        this.framesToRequest--
        scene.requestRender()
      }
    })
  }

  /** Where the heat is drawn (the township's extent, with room for the blur). */
  setExtent(extent: Extent): void {
    this.extent = padExtent(extent, 0.03)
    if (this.primitive)
      this.scene.primitives.remove(this.primitive)
    this.material = Material.fromType('Image', { image: this.canvases[this.turn], color: new Color(1, 1, 1, 0.999) })
    const { west, south, east, north } = this.extent
    this.primitive = this.scene.primitives.add(new Primitive({
      geometryInstances: new GeometryInstance({
        geometry: new RectangleGeometry({ rectangle: Rectangle.fromDegrees(west, south, east, north), height: LAYER_HEIGHT.heat, granularity: GRANULARITY, vertexFormat: MaterialAppearance.MaterialSupport.TEXTURED.vertexFormat }),
      }),
      appearance: new MaterialAppearance({ material: this.material, materialSupport: MaterialAppearance.MaterialSupport.TEXTURED, translucent: true, flat: true }),
      allowPicking: false,
      asynchronous: false,
    })) as Primitive
    this.primitive.show = this.visible
  }

  /** Redraws the heat from bins (cells of `cellDeg`). Returns the image's figures. */
  setBins(bins: readonly HeatBin[], cellDeg: number): HeatLayer['last'] {
    if (!this.extent || !this.material)
      return undefined
    const started = performance.now()
    const image = renderHeat(bins, this.extent, cellDeg, HEAT_RAMP)
    this.turn = 1 - this.turn
    const canvas = this.canvases[this.turn]!
    canvas.width = image.width
    canvas.height = image.height
    const context = canvas.getContext('2d')!
    context.putImageData(new ImageData(image.pixels as Uint8ClampedArray<ArrayBuffer>, image.width, image.height), 0, 0)
    this.material.uniforms.image = canvas
    this.framesToRequest = 2
    this.scene.requestRender()
    this.last = { topCount: image.topCount, total: image.total, width: image.width, height: image.height, levels: image.levels, ms: performance.now() - started }
    return this.last
  }

  get ready(): boolean {
    return this.primitive?.ready === true
  }

  set show(value: boolean) {
    this.visible = value
    if (this.primitive)
      this.primitive.show = value
    this.scene.requestRender()
  }

  destroy(): void {
    this.removePostRender()
    if (this.primitive)
      this.scene.primitives.remove(this.primitive)
  }
}
