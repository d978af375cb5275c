import type { Scene } from 'cesium'
import type { UnitRanking } from '#wire'
import type { Rgba } from '../colour.ts'
import type { AreaGeometry } from '../geometry.ts'
import type { SpecialCounts, SpecialMetric } from './special.ts'
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  DistanceDisplayCondition,
  GeometryInstance,
  LabelCollection,
  LabelStyle,
  NearFarScalar,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
} from 'cesium'
import { classColours, classify, METRIC_RAMP, niceBreaks, over } from '../colour.ts'
import { areaContains, areaKm2, outerRingsOf } from '../geometry.ts'
import { GRANULARITY, LAYER_HEIGHT, labelFont, lineMaterial, ringPositions, toColor } from './shared.ts'
import { specialBreaks, specialKindOf, specialValue } from './special.ts'

/** What a grid is coloured (and extruded) by: its cases, or its special population (one kind or all). */
export type GridMetric = 'open' | 'overdue' | 'density' | SpecialMetric

export interface GridShape {
  id: number
  code: string
  name: string
  village: string | null
  geometry: AreaGeometry
  labelPoint: [number, number] | null
}

/** A grid's live figures the layer colours by (from `/api/grids`, then the rankings topic). */
export type GridFigures = Pick<UnitRanking, 'open' | 'overdue' | 'today' | 'last30Days'>

export interface GridLegend {
  metric: GridMetric
  breaks: number[]
  colours: Rgba[]
  /** Special population: the suppression threshold, the lowest class's upper edge ("<3"). */
  minCount?: number
}

const CLASSES = 5
/** Grid names show from this close (metres): below it a grid is larger than its name. */
const LABELS_WITHIN_METRES = 4500
/** Height of the tallest class when extruded (the township is ~12 km across). */
const EXTRUDE_TOP_METRES = 900

/** A grid's value for a case metric: cases per km² over 30 days for density. */
export function gridValue(metric: Exclude<GridMetric, SpecialMetric>, figures: GridFigures | undefined, area: number): number {
  if (!figures)
    return 0
  if (metric === 'density')
    return area > 0 ? figures.last30Days / area : 0
  return figures[metric]
}

/**
 * Grids: one primitive of per-instance coloured polygons (colours changed in place as figures
 * change), their boundaries as thin lines, and their names when the camera is close. Extrusion
 * builds a second primitive, rebuilt only when a grid moves to another class.
 */
export class GridsLayer {
  private readonly lines = new PolylineCollection()
  private readonly labels = new LabelCollection()
  private fill: Primitive | undefined
  private extrudedFill: Primitive | undefined
  private shapes: GridShape[] = []
  private readonly areas = new Map<number, number>()
  private readonly pickIds = new Map<number, { kind: 'grid', id: number }>()
  private figures = new Map<number, GridFigures>()
  private special = new Map<number, SpecialCounts>()
  private specialMin = 3
  private metric: GridMetric = 'open'
  private extruded = false
  private visible = true
  private classes = new Map<number, number>()
  private extrudedClasses = ''
  private coloursPending = false
  /** Without a globe, the grids' fill is the township's land: opaque, their colours composited over it. */
  private land: Rgba | null = null
  private readonly removePostRender: () => void
  private readonly removePreRender: () => void
  /** Whether the camera is low enough for any grid name to show. */
  private labelsInReach = false
  legend: GridLegend = { metric: 'open', breaks: niceBreaks(0, CLASSES), colours: classColours(METRIC_RAMP, CLASSES) }

  constructor(private readonly scene: Scene, private readonly onLegend: (legend: GridLegend) => void) {
    scene.primitives.add(this.lines)
    scene.primitives.add(this.labels)
    // Per-instance attributes exist once the primitive is ready (after the frame that builds it).
    // Every name is further than the camera's height: above the names' reach, the whole collection
    // is skipped (hundreds of hidden glyphs cost a software-rendered frame ≈ 15 %).
    this.removePreRender = scene.preRender.addEventListener(() => {
      const inReach = scene.camera.positionCartographic.height < LABELS_WITHIN_METRES
      if (inReach !== this.labelsInReach) {
        this.labelsInReach = inReach
        this.labels.show = this.visible && inReach
      }
    })
    this.removePostRender = scene.postRender.addEventListener(() => {
      if (this.coloursPending && this.fill?.ready) {
        this.applyColours()
        scene.requestRender()
      }
    })
  }

  get count(): number {
    return this.shapes.length
  }

  /** The grid under a point of the ground (when the layer is shown), by its boundary. */
  gridAt(lon: number, lat: number): number | null {
    if (!this.visible)
      return null
    return this.shapes.find(shape => areaContains(shape.geometry, lon, lat))?.id ?? null
  }

  /**
   * The land colour the fill stands in for (no globe under it), or null (drawn over the globe):
   * the fill is then opaque and always drawn, in the land's own colour when the layer is off.
   */
  setLand(land: Rgba | null): void {
    if (land?.join() === this.land?.join())
      return
    this.land = land
    if (this.shapes.length > 0)
      this.rebuildFill()
  }

  /** Whether the grids' polygons have been built and drawn. */
  get ready(): boolean {
    return this.fill?.ready === true && !this.coloursPending
  }

  setShapes(shapes: GridShape[]): void {
    this.shapes = shapes
    this.lines.removeAll()
    this.labels.removeAll()
    this.areas.clear()
    this.pickIds.clear()
    const lineColour = Color.fromCssColorString('#58b6ff').withAlpha(0.5)
    for (const grid of shapes) {
      this.areas.set(grid.id, areaKm2(grid.geometry))
      this.pickIds.set(grid.id, { kind: 'grid', id: grid.id })
      for (const ring of outerRingsOf(grid.geometry))
        this.lines.add({ positions: ringPositions(ring, LAYER_HEIGHT.gridLine), width: 1, material: lineMaterial(lineColour) })
      if (grid.labelPoint) {
        const short = grid.village && grid.name.startsWith(grid.village) ? grid.name.slice(grid.village.length) : grid.name
        this.labels.add({
          position: Cartesian3.fromDegrees(grid.labelPoint[0], grid.labelPoint[1], LAYER_HEIGHT.marker),
          text: short,
          font: labelFont(20, 600),
          fillColor: Color.fromCssColorString('#bfe3ff'),
          outlineColor: Color.fromCssColorString('#021024'),
          outlineWidth: 4,
          style: LabelStyle.FILL_AND_OUTLINE,
          // Grid names only close up, where a grid is larger than its name.
          distanceDisplayCondition: new DistanceDisplayCondition(0, LABELS_WITHIN_METRES),
          scaleByDistance: new NearFarScalar(1000, 1.1, LABELS_WITHIN_METRES, 0.85),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        })
      }
    }
    this.rebuildFill()
  }

  setFigures(figures: Map<number, GridFigures>): void {
    this.figures = figures
    this.recolour()
  }

  /** Each grid's special-population counts (a grid left out counts 0) and the suppression threshold. */
  setSpecial(counts: Map<number, SpecialCounts>, minCount: number): void {
    this.special = counts
    this.specialMin = minCount
    if (specialKindOf(this.metric) !== undefined)
      this.recolour()
  }

  setMetric(metric: GridMetric): void {
    if (metric === this.metric)
      return
    this.metric = metric
    this.recolour()
  }

  setExtruded(extruded: boolean): void {
    if (extruded === this.extruded)
      return
    this.extruded = extruded
    if (this.land)
      this.recolourFill()
    this.updateExtrusion()
    this.applyShow()
  }

  set show(value: boolean) {
    if (value === this.visible)
      return
    this.visible = value
    if (this.land)
      this.recolourFill()
    this.applyShow()
  }

  private applyShow(): void {
    this.lines.show = this.visible
    this.labels.show = this.visible && this.labelsInReach
    if (this.fill)
      this.fill.show = this.land !== null || (this.visible && !this.extruded)
    if (this.extrudedFill)
      this.extrudedFill.show = this.visible && this.extruded
    this.scene.requestRender()
  }

  /** The grid's figures and area (for its card). */
  info(id: number): { shape: GridShape, figures: GridFigures | undefined, areaKm2: number } | null {
    const shape = this.shapes.find(s => s.id === id)
    return shape ? { shape, figures: this.figures.get(id), areaKm2: this.areas.get(id) ?? 0 } : null
  }

  private value(id: number): number {
    const kind = specialKindOf(this.metric)
    if (kind !== undefined)
      return specialValue(this.special.get(id), kind)
    return gridValue(this.metric as Exclude<GridMetric, SpecialMetric>, this.figures.get(id), this.areas.get(id) ?? 0)
  }

  private recolour(): void {
    let max = 0
    for (const grid of this.shapes)
      max = Math.max(max, this.value(grid.id))
    const special = specialKindOf(this.metric) !== undefined
    const breaks = special ? specialBreaks(max, this.specialMin, CLASSES) : niceBreaks(max, CLASSES, this.metric !== 'density')
    this.legend = { metric: this.metric, breaks, colours: classColours(METRIC_RAMP, CLASSES), ...(special ? { minCount: this.specialMin } : {}) }
    this.classes = new Map(this.shapes.map(g => [g.id, classify(this.value(g.id), breaks)]))
    this.onLegend(this.legend)
    this.recolourFill()
    this.updateExtrusion()
  }

  private recolourFill(): void {
    this.coloursPending = true
    if (this.fill?.ready)
      this.applyColours()
    this.scene.requestRender()
  }

  /** A grid's fill colour: its class's, or, as the land, composited over it (the land's own when off or extruded). */
  private fillColour(id: number): Rgba {
    const colour = this.legend.colours[this.classes.get(id) ?? 0]!
    if (!this.land)
      return colour
    return this.visible && !this.extruded ? over(colour, this.land) : this.land
  }

  private applyColours(): void {
    const fill = this.fill
    if (!fill)
      return
    const scratch = new Color()
    for (const grid of this.shapes) {
      const attributes = fill.getGeometryInstanceAttributes(this.pickIds.get(grid.id))
      if (attributes)
        attributes.color = ColorGeometryInstanceAttribute.toValue(toColor(this.fillColour(grid.id), scratch), attributes.color)
    }
    this.coloursPending = false
  }

  private instances(extrude: boolean): GeometryInstance[] {
    return this.shapes.flatMap(grid => outerRingsOf(grid.geometry).map((ring) => {
      const cls = this.classes.get(grid.id) ?? 0
      return new GeometryInstance({
        id: this.pickIds.get(grid.id),
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(ringPositions(ring, 0)),
          height: LAYER_HEIGHT.gridFill,
          granularity: GRANULARITY,
          ...(extrude ? { extrudedHeight: LAYER_HEIGHT.gridFill + 30 + (cls + 1) / CLASSES * EXTRUDE_TOP_METRES } : {}),
        }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(extrude ? this.legend.colours[cls]! : this.fillColour(grid.id))) },
      })
    }))
  }

  private rebuildFill(): void {
    if (this.fill)
      this.scene.primitives.remove(this.fill)
    this.fill = this.scene.primitives.add(new Primitive({
      geometryInstances: this.instances(false),
      // Opaque as the land, so that every translucent marker and halo is drawn over it. (Cesium's
      // picking does not find this opaque fill without a globe: clicks find grids by `gridAt`.)
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: this.land === null }),
      releaseGeometryInstances: true,
      // Built here and now (a few hundred polygons: tens of ms), not by workers that first have
      // to load: the township shows in its first frames instead of seconds later.
      asynchronous: false,
    })) as Primitive
    this.coloursPending = true
    this.extrudedClasses = ''
    this.updateExtrusion()
    this.applyShow()
  }

  /** Builds the extruded primitive when shown and when a grid changed class (not on every figure). */
  private updateExtrusion(): void {
    if (!this.extruded || this.shapes.length === 0)
      return
    const signature = this.shapes.map(g => this.classes.get(g.id) ?? 0).join('')
    if (signature === this.extrudedClasses && this.extrudedFill)
      return
    this.extrudedClasses = signature
    if (this.extrudedFill)
      this.scene.primitives.remove(this.extrudedFill)
    this.extrudedFill = this.scene.primitives.add(new Primitive({
      geometryInstances: this.instances(true),
      appearance: new PerInstanceColorAppearance({ flat: false, translucent: true }),
    })) as Primitive
    this.applyShow()
  }

  destroy(): void {
    this.removePreRender()
    this.removePostRender()
    for (const primitive of [this.fill, this.extrudedFill, this.lines, this.labels]) {
      if (primitive)
        this.scene.primitives.remove(primitive)
    }
  }
}
