import type { Scene } from 'cesium'
import type { Rgba } from '../colour.ts'
import type { AreaGeometry } from '../geometry.ts'
import {
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
} from 'cesium'
import { classColours, classify, METRIC_RAMP, niceBreaks } from '../colour.ts'
import { areaKm2, outerRingsOf } from '../geometry.ts'
import { GRANULARITY, LAYER_HEIGHT, labelFont, ringPositions, toColor } from './shared.ts'

/** What a grid is coloured (and extruded) by. */
export type GridMetric = 'open' | 'overdue' | 'density'

export interface GridShape {
  id: number
  code: string
  name: string
  village: string | null
  geometry: AreaGeometry
  labelPoint: [number, number] | null
}

/** A grid's live figures (from `/api/grids`, then the rankings topic). */
export interface GridFigures {
  open: number
  overdue: number
  today: number
  last30Days: number
}

export interface GridLegend {
  metric: GridMetric
  breaks: number[]
  colours: Rgba[]
}

const CLASSES = 5
/** Height of the tallest class when extruded (the township is ~12 km across). */
const EXTRUDE_TOP_METRES = 900

/** A grid's value for a metric: cases per km² over 30 days for density. */
export function gridValue(metric: GridMetric, figures: GridFigures | undefined, area: number): number {
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
  private metric: GridMetric = 'open'
  private extruded = false
  private visible = true
  private classes = new Map<number, number>()
  private extrudedClasses = ''
  private coloursPending = false
  private readonly removePostRender: () => void
  legend: GridLegend = { metric: 'open', breaks: niceBreaks(0, CLASSES), colours: classColours(METRIC_RAMP, CLASSES) }

  constructor(private readonly scene: Scene, private readonly onLegend: (legend: GridLegend) => void) {
    scene.primitives.add(this.lines)
    scene.primitives.add(this.labels)
    // Per-instance attributes exist once the (asynchronously built) primitive is ready.
    this.removePostRender = scene.postRender.addEventListener(() => {
      if (this.coloursPending && this.fill?.ready) {
        this.applyColours()
        scene.requestRender()
      }
    })
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
    const line = Material.fromType('Color', { color: Color.fromCssColorString('#58b6ff').withAlpha(0.5) })
    for (const grid of shapes) {
      this.areas.set(grid.id, areaKm2(grid.geometry))
      this.pickIds.set(grid.id, { kind: 'grid', id: grid.id })
      for (const ring of outerRingsOf(grid.geometry))
        this.lines.add({ positions: ringPositions(ring, LAYER_HEIGHT.gridLine), width: 1, material: line })
      if (grid.labelPoint) {
        const short = grid.village && grid.name.startsWith(grid.village) ? grid.name.slice(grid.village.length) : grid.name
        this.labels.add({
          position: Cartesian3.fromDegrees(grid.labelPoint[0], grid.labelPoint[1], LAYER_HEIGHT.marker),
          text: short,
          font: labelFont(16, 500),
          fillColor: Color.fromCssColorString('#bfe3ff'),
          outlineColor: Color.fromCssColorString('#021024'),
          outlineWidth: 3,
          style: LabelStyle.FILL_AND_OUTLINE,
          // Grid names only close up, where a grid is larger than its name.
          distanceDisplayCondition: new DistanceDisplayCondition(0, 4500),
          scaleByDistance: new NearFarScalar(1000, 1.1, 4500, 0.8),
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
    this.updateExtrusion()
    this.applyShow()
  }

  set show(value: boolean) {
    this.visible = value
    this.applyShow()
  }

  private applyShow(): void {
    this.lines.show = this.visible
    this.labels.show = this.visible
    if (this.fill)
      this.fill.show = this.visible && !this.extruded
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
    return gridValue(this.metric, this.figures.get(id), this.areas.get(id) ?? 0)
  }

  private recolour(): void {
    let max = 0
    for (const grid of this.shapes)
      max = Math.max(max, this.value(grid.id))
    const breaks = niceBreaks(max, CLASSES, this.metric !== 'density')
    this.legend = { metric: this.metric, breaks, colours: classColours(METRIC_RAMP, CLASSES) }
    this.classes = new Map(this.shapes.map(g => [g.id, classify(this.value(g.id), breaks)]))
    this.onLegend(this.legend)
    this.coloursPending = true
    if (this.fill?.ready)
      this.applyColours()
    this.updateExtrusion()
    this.scene.requestRender()
  }

  private applyColours(): void {
    const fill = this.fill
    if (!fill)
      return
    const scratch = new Color()
    for (const grid of this.shapes) {
      const attributes = fill.getGeometryInstanceAttributes(this.pickIds.get(grid.id))
      if (attributes)
        attributes.color = ColorGeometryInstanceAttribute.toValue(toColor(this.legend.colours[this.classes.get(grid.id) ?? 0]!, scratch), attributes.color)
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
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(this.legend.colours[cls]!)) },
      })
    }))
  }

  private rebuildFill(): void {
    if (this.fill)
      this.scene.primitives.remove(this.fill)
    this.fill = this.scene.primitives.add(new Primitive({
      geometryInstances: this.instances(false),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      releaseGeometryInstances: true,
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
    this.removePostRender()
    for (const primitive of [this.fill, this.extrudedFill, this.lines, this.labels]) {
      if (primitive)
        this.scene.primitives.remove(primitive)
    }
  }
}
