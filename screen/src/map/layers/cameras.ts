import type { PerspectiveFrustum, PointPrimitive, Scene } from 'cesium'
import type { CameraPoint } from '#wire'
import type { Clustering } from '../cluster.ts'
import {
  Cartesian3,
  Color,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  PointPrimitiveCollection,
  VerticalOrigin,
} from 'cesium'
import { clusterByCell, clusterCellMetres, clusterCountPx, clusterMarkPx, metresPerPixel } from '../cluster.ts'
import { cameraColour } from '../colour.ts'
import { LAYER_HEIGHT, labelFont, toColor } from './shared.ts'

const SCRATCH = new Color()
/** Clusters with a count label: at most this many, of at least this size. */
const MAX_LABELS = 80
const MIN_LABELLED = 3
const OUTLINE = Color.fromCssColorString('#031327')
const ALARM_OUTLINE = Color.fromCssColorString('#ffe1e1')
const CLUSTER_FILL = Color.fromCssColorString('#2ee59d').withAlpha(0.78)
const CLUSTER_OUTLINE_OK = Color.fromCssColorString('#d8fff0').withAlpha(0.85)
const CLUSTER_OUTLINE_OFFLINE = Color.fromCssColorString('#aab4c3')
const CLUSTER_OUTLINE_ALARM = Color.fromCssColorString('#ff4d4f')

interface ClusterMark {
  point: PointPrimitive
  ids: number[]
}

/**
 * Thousands of cameras as one PointPrimitiveCollection: one point per camera, its colour changed
 * in place when its status changes. Zoomed out, cameras that share a cell are drawn as one
 * cluster (size by count, ring by the worst state inside); the grouping is recomputed only when
 * the camera's height crosses into another level, or the set of cameras changes.
 */
export class CamerasLayer {
  private readonly points = new PointPrimitiveCollection()
  private readonly clusterPoints = new PointPrimitiveCollection()
  private readonly clusterLabels = new LabelCollection()
  private readonly byId = new Map<number, { point: PointPrimitive, camera: CameraPoint }>()
  private clustering: Clustering | undefined
  private clusterMarks: ClusterMark[] = []
  private cellMetres = 0
  private refLat = 30
  private readonly removeMoveListener: () => void

  constructor(private readonly scene: Scene) {
    scene.primitives.add(this.points)
    scene.primitives.add(this.clusterPoints)
    scene.primitives.add(this.clusterLabels)
    scene.camera.percentageChanged = 0.05
    this.removeMoveListener = scene.camera.changed.addEventListener(() => this.updateLevel())
  }

  get count(): number {
    return this.byId.size
  }

  /** All cameras (a snapshot): points added, moved or removed so that they match the list. */
  setAll(cameras: Iterable<CameraPoint>): void {
    const seen = new Set<number>()
    let latSum = 0
    for (const camera of cameras) {
      seen.add(camera.id)
      latSum += camera.lat
      this.upsert(camera)
    }
    for (const [id, entry] of this.byId) {
      if (!seen.has(id)) {
        this.points.remove(entry.point)
        this.byId.delete(id)
      }
    }
    if (seen.size > 0)
      this.refLat = latSum / seen.size
    this.recluster()
  }

  /** Cameras whose state changed: recoloured in place (new cameras are added, and the clusters redone). */
  update(changed: Iterable<CameraPoint>): void {
    let added = false
    for (const camera of changed) {
      const entry = this.byId.get(camera.id)
      if (!entry || entry.camera.lon !== camera.lon || entry.camera.lat !== camera.lat)
        added = true
      this.upsert(camera)
      const cluster = this.clustering?.clusterOf.get(camera.id)
      if (!added && cluster !== undefined)
        this.styleCluster(this.clusterMarks[cluster])
    }
    if (added)
      this.recluster()
    this.scene.requestRender()
  }

  remove(ids: Iterable<number>): void {
    for (const id of ids) {
      const entry = this.byId.get(id)
      if (entry) {
        this.points.remove(entry.point)
        this.byId.delete(id)
      }
    }
    this.recluster()
  }

  camera(id: number): CameraPoint | undefined {
    return this.byId.get(id)?.camera
  }

  cluster(index: number): { lon: number, lat: number, ids: number[] } | undefined {
    return this.clustering?.clusters[index]
  }

  set show(value: boolean) {
    this.points.show = value
    this.clusterPoints.show = value
    this.clusterLabels.show = value
    this.scene.requestRender()
  }

  private upsert(camera: CameraPoint): void {
    let entry = this.byId.get(camera.id)
    const position = Cartesian3.fromDegrees(camera.lon, camera.lat, LAYER_HEIGHT.marker)
    if (!entry) {
      const point = this.points.add({ position, id: { kind: 'camera', id: camera.id }, disableDepthTestDistance: Number.POSITIVE_INFINITY })
      entry = { point, camera }
      this.byId.set(camera.id, entry)
    }
    else if (entry.camera.lon !== camera.lon || entry.camera.lat !== camera.lat) {
      entry.point.position = position
    }
    entry.camera = camera
    const alarm = camera.status === 'alarm'
    // A scratch colour: writing into point.color itself would bypass the setter's change flag.
    entry.point.color = toColor(cameraColour(camera.status), SCRATCH)
    entry.point.pixelSize = alarm ? 11 : 7
    entry.point.outlineColor = alarm ? ALARM_OUTLINE : OUTLINE
    entry.point.outlineWidth = alarm ? 2 : 1
  }

  /** Metres per CSS pixel where the camera looks. */
  private scale(): number {
    const camera = this.scene.camera
    const fovy = (camera.frustum as PerspectiveFrustum).fovy ?? Math.PI / 3
    return metresPerPixel(camera.positionCartographic.height, camera.pitch, fovy, this.scene.canvas.clientHeight)
  }

  private updateLevel(): void {
    if (clusterCellMetres(this.scale()) !== this.cellMetres)
      this.recluster()
  }

  private recluster(): void {
    const scale = this.scale()
    this.cellMetres = clusterCellMetres(scale)
    const cellPx = this.cellMetres / scale
    const inputs = [...this.byId.values()].map(e => e.camera)
    this.clustering = clusterByCell(inputs, this.cellMetres, this.refLat)
    this.clusterPoints.removeAll()
    this.clusterLabels.removeAll()
    this.clusterMarks = []
    for (const entry of this.byId.values())
      entry.point.show = true
    // Counts are labels (a billboard per glyph, several times a point's cost): only on the biggest clusters.
    const labelled = new Set(this.clustering.clusters.map((c, i) => [c.ids.length, i] as const)
      .filter(([n]) => n >= MIN_LABELLED).sort((a, b) => b[0] - a[0]).slice(0, MAX_LABELS).map(([, i]) => i))
    this.clustering.clusters.forEach((cluster, index) => {
      for (const id of cluster.ids)
        this.byId.get(id)!.point.show = false
      const position = Cartesian3.fromDegrees(cluster.lon, cluster.lat, LAYER_HEIGHT.marker)
      const size = clusterMarkPx(cluster.ids.length, cellPx)
      const point = this.clusterPoints.add({ position, pixelSize: size, color: CLUSTER_FILL, outlineWidth: 2, id: { kind: 'cluster', index }, disableDepthTestDistance: Number.POSITIVE_INFINITY })
      const mark = { point, ids: cluster.ids }
      this.styleCluster(mark)
      this.clusterMarks.push(mark)
      // A count needs room to be read from 5 m: none where it would not fit at the wall's smallest text.
      const countPx = clusterCountPx(cluster.ids.length, size)
      if (!labelled.has(index) || size < 18 || countPx === null)
        return
      this.clusterLabels.add({
        position,
        text: String(cluster.ids.length),
        font: labelFont(countPx, 700),
        fillColor: Color.fromCssColorString('#02131f'),
        style: LabelStyle.FILL,
        horizontalOrigin: HorizontalOrigin.CENTER,
        verticalOrigin: VerticalOrigin.CENTER,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        id: { kind: 'cluster', index },
      })
    })
    this.scene.requestRender()
  }

  /** A cluster's ring: red if a camera in it is in alarm, grey if one is offline. */
  private styleCluster(mark: ClusterMark | undefined): void {
    if (!mark)
      return
    let alarm = false
    let offline = false
    for (const id of mark.ids) {
      const status = this.byId.get(id)?.camera.status
      alarm ||= status === 'alarm'
      offline ||= status === 'offline'
    }
    mark.point.outlineColor = alarm ? CLUSTER_OUTLINE_ALARM : offline ? CLUSTER_OUTLINE_OFFLINE : CLUSTER_OUTLINE_OK
    mark.point.outlineWidth = alarm ? 3 : 2
  }

  destroy(): void {
    this.removeMoveListener()
    this.scene.primitives.remove(this.points)
    this.scene.primitives.remove(this.clusterPoints)
    this.scene.primitives.remove(this.clusterLabels)
  }
}
