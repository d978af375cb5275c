import type { Billboard, PointPrimitive, Scene } from 'cesium'
import type { AlarmPoint, CasePoint } from '#wire'
import {
  BillboardCollection,
  Cartesian3,
  Color,
  PointPrimitiveCollection,
  VerticalOrigin,
} from 'cesium'
import { ALARM_COLOUR, LEVEL_COLOURS, rgbaCss } from '../colour.ts'
import { LAYER_HEIGHT, toColor } from './shared.ts'

/** How long a new urgent case pulses on the map. */
export const PULSE_MS = 120_000
const PULSE_PERIOD_MS = 1400
const CLOSED = new Set(['closed', 'cancelled'])
/** A scratch colour: writing into a point's own colour would bypass its setter's change flag. */
const HALO = new Color()
const RING = new Color()

interface IncidentMark {
  point: PointPrimitive
  halo: PointPrimitive
  incident: CasePoint
  pulseUntil: number
}

/** A warning-triangle icon, drawn once on a canvas (no image file to fetch). */
function alarmIcon(fill: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  canvas.width = 32
  canvas.height = 30
  const c = canvas.getContext('2d')!
  c.beginPath()
  c.moveTo(16, 2)
  c.lineTo(30, 27)
  c.lineTo(2, 27)
  c.closePath()
  c.fillStyle = fill
  c.strokeStyle = '#1a0d00'
  c.lineWidth = 2
  c.fill()
  c.stroke()
  c.fillStyle = '#1a0d00'
  c.fillRect(14.5, 10, 3, 9)
  c.fillRect(14.5, 21, 3, 3)
  return canvas
}

/**
 * Live incidents and IoT alarms. Open cases from the feed are dots coloured by level; urgent
 * cases that just arrived pulse (a growing, fading halo) for two minutes — the only animation
 * that makes the map render continuously, and only while it lasts. Open alarms are triangles.
 */
export class IncidentsLayer {
  private readonly points = new PointPrimitiveCollection()
  private readonly billboards = new BillboardCollection()
  private readonly marks = new Map<number, IncidentMark>()
  private readonly alarms = new Map<number, { billboard: Billboard, alarm: AlarmPoint }>()
  private readonly icons = { active: alarmIcon(rgbaCss(ALARM_COLOUR)), acknowledged: alarmIcon('#c9b27a') }
  private visible = true
  private readonly removePreRender: () => void

  constructor(private readonly scene: Scene, private readonly now: () => number = Date.now) {
    scene.primitives.add(this.points)
    scene.primitives.add(this.billboards)
    this.removePreRender = scene.preRender.addEventListener(() => this.animate())
  }

  /** The cases to show (open ones; closed ones are removed). `pulse`: ids that just arrived urgent. */
  setCases(cases: Iterable<CasePoint>, pulse: Iterable<number> = []): void {
    const keep = new Set<number>()
    for (const incident of cases) {
      if (CLOSED.has(incident.status))
        continue
      keep.add(incident.id)
      let mark = this.marks.get(incident.id)
      const position = Cartesian3.fromDegrees(incident.lon, incident.lat, LAYER_HEIGHT.marker)
      const colour = toColor(LEVEL_COLOURS[incident.level] ?? LEVEL_COLOURS.general!)
      if (!mark) {
        const id = { kind: 'incident', id: incident.id }
        const halo = this.points.add({ position, pixelSize: 0, color: colour.withAlpha(0), id, disableDepthTestDistance: Number.POSITIVE_INFINITY })
        const point = this.points.add({ position, id, disableDepthTestDistance: Number.POSITIVE_INFINITY })
        mark = { point, halo, incident, pulseUntil: 0 }
        this.marks.set(incident.id, mark)
      }
      mark.incident = incident
      const urgent = incident.level === 'urgent' || incident.level === 'major'
      mark.point.color = colour
      mark.point.pixelSize = urgent ? 12 : 8
      mark.point.outlineColor = Color.WHITE.withAlpha(urgent ? 0.95 : 0.6)
      mark.point.outlineWidth = urgent ? 2 : 1
    }
    for (const id of pulse) {
      const mark = this.marks.get(id)
      if (mark)
        mark.pulseUntil = this.now() + PULSE_MS
    }
    for (const [id, mark] of this.marks) {
      if (!keep.has(id)) {
        this.points.remove(mark.point)
        this.points.remove(mark.halo)
        this.marks.delete(id)
      }
    }
    this.scene.requestRender()
  }

  setAlarms(alarms: Iterable<AlarmPoint>): void {
    const keep = new Set<number>()
    for (const alarm of alarms) {
      if (alarm.lon === null || alarm.lat === null)
        continue
      keep.add(alarm.id)
      let entry = this.alarms.get(alarm.id)
      if (!entry) {
        const billboard = this.billboards.add({
          position: Cartesian3.fromDegrees(alarm.lon, alarm.lat, LAYER_HEIGHT.marker),
          image: this.icons.active,
          verticalOrigin: VerticalOrigin.BOTTOM,
          id: { kind: 'alarm', id: alarm.id },
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        })
        entry = { billboard, alarm }
        this.alarms.set(alarm.id, entry)
      }
      entry.alarm = alarm
      entry.billboard.setImage(`alarm-${alarm.status === 'active' ? 'active' : 'acknowledged'}`, alarm.status === 'active' ? this.icons.active : this.icons.acknowledged)
    }
    for (const [id, entry] of this.alarms) {
      if (!keep.has(id)) {
        this.billboards.remove(entry.billboard)
        this.alarms.delete(id)
      }
    }
    this.scene.requestRender()
  }

  incident(id: number): CasePoint | undefined {
    return this.marks.get(id)?.incident
  }

  alarm(id: number): AlarmPoint | undefined {
    return this.alarms.get(id)?.alarm
  }

  set show(value: boolean) {
    this.visible = value
    this.points.show = value
    this.billboards.show = value
    this.scene.requestRender()
  }

  private animate(): void {
    if (!this.visible)
      return
    const t = this.now()
    let active = false
    for (const mark of this.marks.values()) {
      if (mark.pulseUntil > t) {
        active = true
        // A ring in the case's colour that grows from the dot and fades: reads from across the room.
        const phase = (t % PULSE_PERIOD_MS) / PULSE_PERIOD_MS
        mark.halo.pixelSize = 14 + 46 * phase
        mark.halo.color = mark.point.color.withAlpha(0.3 * (1 - phase), HALO)
        mark.halo.outlineColor = mark.point.color.withAlpha(1 - phase * phase, RING)
        mark.halo.outlineWidth = 3
      }
      else if (mark.halo.pixelSize !== 0) {
        mark.halo.pixelSize = 0
        mark.halo.outlineWidth = 0
      }
    }
    // Keep frames coming only while something pulses (requestRenderMode otherwise idles).
    if (active)
      requestAnimationFrame(() => this.scene.requestRender())
  }

  destroy(): void {
    this.removePreRender()
    this.scene.primitives.remove(this.points)
    this.scene.primitives.remove(this.billboards)
  }
}
