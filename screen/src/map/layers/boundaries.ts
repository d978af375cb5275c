import type { Scene } from 'cesium'
import type { AreaGeometry, Extent } from '../geometry.ts'
import {
  Cartesian2,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  DistanceDisplayCondition,
  GeometryInstance,
  LabelCollection,
  LabelStyle,
  Material,
  NearFarScalar,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  VerticalOrigin,
} from 'cesium'
import { outerRingsOf, padExtent } from '../geometry.ts'
import { GRANULARITY, LAYER_HEIGHT, labelFont, ringPositions } from './shared.ts'

export interface VillageShape {
  id: number
  name: string
  geometry: AreaGeometry
  center: [number, number] | null
}

/**
 * The township's outline, glowing; the land outside it dimmed; village boundaries and names.
 * Built once from the boundaries (they change with a redistricting, not during a shift).
 */
export class BoundariesLayer {
  private readonly lines = new PolylineCollection()
  private readonly labels = new LabelCollection()
  private mask: Primitive | undefined

  constructor(private readonly scene: Scene) {
    scene.primitives.add(this.lines)
    scene.primitives.add(this.labels)
  }

  /** (Re)draws the township and its villages. */
  set(township: AreaGeometry[], extent: Extent, villages: VillageShape[]): void {
    this.lines.removeAll()
    this.labels.removeAll()
    if (this.mask)
      this.scene.primitives.remove(this.mask)

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

    for (const ring of township.flatMap(outerRingsOf)) {
      const positions = ringPositions(ring, LAYER_HEIGHT.townshipLine)
      // A soft wide glow under a thin bright core: the township's edge reads from across the room.
      this.lines.add({ positions, width: 18, material: Material.fromType('PolylineGlow', { color: Color.fromCssColorString('#2fd2ff').withAlpha(0.85), glowPower: 0.18, taperPower: 1 }) })
      this.lines.add({ positions, width: 2.5, material: Material.fromType('Color', { color: Color.fromCssColorString('#d8f7ff') }) })
    }
    const villageLine = Material.fromType('Color', { color: Color.fromCssColorString('#6fc3ff').withAlpha(0.8) })
    for (const village of villages) {
      for (const ring of outerRingsOf(village.geometry))
        this.lines.add({ positions: ringPositions(ring, LAYER_HEIGHT.villageLine), width: 2, material: villageLine })
      if (village.center) {
        this.labels.add({
          position: Cartesian3.fromDegrees(village.center[0], village.center[1], LAYER_HEIGHT.marker),
          text: village.name,
          font: labelFont(22, 700),
          fillColor: Color.fromCssColorString('#e6f6ff'),
          outlineColor: Color.fromCssColorString('#021024'),
          outlineWidth: 4,
          style: LabelStyle.FILL_AND_OUTLINE,
          verticalOrigin: VerticalOrigin.BOTTOM,
          pixelOffset: new Cartesian2(0, -6),
          // Village names from the whole-township view down to street level, then grids take over.
          distanceDisplayCondition: new DistanceDisplayCondition(2500, 60_000),
          scaleByDistance: new NearFarScalar(4000, 1.1, 30_000, 0.75),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        })
      }
    }
    this.scene.requestRender()
  }

  set show(value: boolean) {
    this.labels.show = value
  }

  destroy(): void {
    if (this.mask)
      this.scene.primitives.remove(this.mask)
    this.scene.primitives.remove(this.lines)
    this.scene.primitives.remove(this.labels)
  }
}
