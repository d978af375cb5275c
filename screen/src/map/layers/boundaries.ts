import type { Scene } from 'cesium'
import type { Rgba } from '../colour.ts'
import type { AreaGeometry, Extent } from '../geometry.ts'
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  Material,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
} from 'cesium'
import { outerRingsOf, padExtent, polygonsOf } from '../geometry.ts'
import { GRANULARITY, LAYER_HEIGHT, lineMaterial, ringPositions, toColor } from './shared.ts'
import { VillageLabels } from './village-labels.ts'

export interface VillageShape {
  id: number
  name: string
  geometry: AreaGeometry
  center: [number, number] | null
}

/** The colour of the township's land without base imagery (the globe's own colour). */
export const LAND_COLOUR: Rgba = [6, 24, 46, 255]

/**
 * What lies under the township's layers: over base imagery, a mask dimming the globe around the
 * township; without imagery, the township's land as one polygon, or nothing when the grids' own
 * opaque fill already covers it.
 */
export type Ground = 'mask' | 'land' | 'none'

/**
 * The township's outline, glowing; the land outside it dimmed; village boundaries and names (the
 * names over the canvas, above every marker: `village-labels.ts`).
 * Built once from the boundaries (they change with a redistricting, not during a shift).
 *
 * Over base imagery the globe is drawn and a wide translucent mask dims it around the township.
 * Without imagery the globe would only be a flat colour: it is not drawn at all, the dark
 * background stands for the surroundings and the township's land is drawn opaque (by the grids'
 * fill, or by one polygon when there are no grids). The picture is the same, and the frame fills
 * the township's pixels once instead of the whole screen twice (globe, then mask): on a wall PC's
 * integrated GPU at 4K, fill is what costs.
 */
export class BoundariesLayer {
  private readonly lines = new PolylineCollection()
  private readonly labels: VillageLabels
  private mask: Primitive | undefined
  private land: Primitive | undefined
  private ground: Ground = 'mask'

  /** `overlay`: the element over the canvas the village names are placed in. */
  constructor(private readonly scene: Scene, overlay: HTMLElement) {
    scene.primitives.add(this.lines)
    this.labels = new VillageLabels(scene, overlay)
  }

  /** (Re)draws the township and its villages. */
  set(township: AreaGeometry[], extent: Extent, villages: VillageShape[]): void {
    this.lines.removeAll()
    for (const primitive of [this.mask, this.land]) {
      if (primitive)
        this.scene.primitives.remove(primitive)
    }

    this.land = this.scene.primitives.add(new Primitive({
      geometryInstances: township.flatMap(polygonsOf).map(rings => new GeometryInstance({
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(ringPositions(rings[0]!, LAYER_HEIGHT.mask), rings.slice(1).map(hole => new PolygonHierarchy(ringPositions(hole, LAYER_HEIGHT.mask)))),
          height: LAYER_HEIGHT.mask,
          granularity: GRANULARITY,
        }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(LAND_COLOUR)) },
      })),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: false }),
      allowPicking: false,
      asynchronous: false,
    })) as Primitive
    // Dim everything around the township: a wide polygon with the township cut out of it.
    const outer = padExtent(extent, 4)
    const holes = township.flatMap(outerRingsOf).map(ring => new PolygonHierarchy(ringPositions(ring, LAYER_HEIGHT.mask)))
    this.mask = this.scene.primitives.add(new Primitive({
      geometryInstances: new GeometryInstance({
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(Cartesian3.fromDegreesArrayHeights([
            outer.west, outer.south, LAYER_HEIGHT.mask, outer.east, outer.south, LAYER_HEIGHT.mask,
            outer.east, outer.north, LAYER_HEIGHT.mask, outer.west, outer.north, LAYER_HEIGHT.mask,
          ]), holes),
          height: LAYER_HEIGHT.mask,
          granularity: GRANULARITY * 4,
        }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString('#01060f').withAlpha(0.6)) },
      }),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      allowPicking: false,
      asynchronous: false,
    })) as Primitive
    this.applyGround()

    for (const ring of township.flatMap(outerRingsOf)) {
      const positions = ringPositions(ring, LAYER_HEIGHT.townshipLine)
      // A soft wide glow under a thin bright core: the township's edge reads from across the room.
      this.lines.add({ positions, width: 18, material: Material.fromType('PolylineGlow', { color: Color.fromCssColorString('#2fd2ff').withAlpha(0.85), glowPower: 0.18, taperPower: 1 }) })
      this.lines.add({ positions, width: 2.5, material: Material.fromType('Color', { color: Color.fromCssColorString('#d8f7ff') }) })
    }
    const villageColour = Color.fromCssColorString('#6fc3ff').withAlpha(0.8)
    for (const village of villages) {
      for (const ring of outerRingsOf(village.geometry))
        this.lines.add({ positions: ringPositions(ring, LAYER_HEIGHT.villageLine), width: 2, material: lineMaterial(villageColour) })
    }
    this.labels.set(villages.flatMap(v => (v.center ? [{ id: v.id, name: v.name, lon: v.center[0], lat: v.center[1] }] : [])))
    this.scene.requestRender()
  }

  set show(value: boolean) {
    this.labels.show = value
  }

  /** Whether what the ground needs has been built. */
  get ready(): boolean {
    return this.ground === 'none' || (this.ground === 'mask' ? this.mask : this.land)?.ready === true
  }

  setGround(ground: Ground): void {
    this.ground = ground
    this.applyGround()
  }

  private applyGround(): void {
    if (this.mask)
      this.mask.show = this.ground === 'mask'
    if (this.land)
      this.land.show = this.ground === 'land'
    this.scene.requestRender()
  }

  destroy(): void {
    for (const primitive of [this.mask, this.land]) {
      if (primitive)
        this.scene.primitives.remove(primitive)
    }
    this.scene.primitives.remove(this.lines)
    this.labels.destroy()
  }
}
