import type { Scene } from 'cesium'
import { Cartesian2, Cartesian3, SceneTransforms } from 'cesium'
import { LABEL_PLATE, labelFits } from '../label-fit.ts'
import { LAYER_HEIGHT, labelFont } from './shared.ts'

/** A village's name and where it stands. */
export interface VillageLabel {
  id: number
  name: string
  lon: number
  lat: number
}

/** Camera distances (m) at which village names show: from the whole township down to street level (then grids' names take over). */
const SHOWN_FROM_M = 2500
const SHOWN_TO_M = 60_000
/** Font size by camera distance: 24 px close (4 km), 20 px far (30 km and beyond) — never below the wall's smallest text. */
const NEAR = { m: 4000, px: 24 }
const FAR = { m: 30_000, px: 20 }

/** The font size (px) of a village name seen from `distance` metres. */
export function villageLabelPx(distance: number): number {
  const t = Math.min(1, Math.max(0, (distance - NEAR.m) / (FAR.m - NEAR.m)))
  return Math.round(NEAR.px + (FAR.px - NEAR.px) * t)
}

/** Whether a village name shows from `distance` metres. */
export function villageLabelShown(distance: number): boolean {
  return distance >= SHOWN_FROM_M && distance <= SHOWN_TO_M
}

const SCRATCH = new Cartesian2()

/**
 * Village names as HTML over the map's canvas, placed after every frame where their points project.
 * Drawn in the scene they shared its passes with the cameras' points, clusters, incidents and heat,
 * which covered them (every marker ignores depth, and later or translucent ones win); above the
 * canvas nothing can, and the text is the browser's own, crisp at the wall's scale. They let clicks
 * through (`pointer-events: none`): what lies under a name can still be picked.
 */
export class VillageLabels {
  private readonly root: HTMLDivElement
  private labels: { element: HTMLSpanElement, chars: number, position: Cartesian3, placed: string }[] = []
  private visible = true
  private readonly removePostRender: () => void

  constructor(private readonly scene: Scene, parent: HTMLElement) {
    this.root = document.createElement('div')
    this.root.className = 'map-village-labels'
    this.root.dataset.testid = 'village-labels'
    // Above the canvas, below the map's own controls and cards (z-index 2 and 3 in MapView).
    this.root.style.cssText = 'position:absolute;inset:0;z-index:1;overflow:hidden;pointer-events:none;contain:strict'
    parent.appendChild(this.root)
    this.removePostRender = scene.postRender.addEventListener(() => this.place())
  }

  set(villages: readonly VillageLabel[]): void {
    this.root.replaceChildren()
    this.labels = villages.map((village) => {
      const element = document.createElement('span')
      element.textContent = village.name
      element.dataset.villageId = String(village.id)
      element.style.cssText = [
        `position:absolute;left:0;top:0;display:none;white-space:nowrap;line-height:${LABEL_PLATE.lineHeight};padding:1px ${LABEL_PLATE.padPx}px 2px`,
        `font:${labelFont(FAR.px, 700)};color:#e6f6ff;letter-spacing:${LABEL_PLATE.spacingPx}px`,
        // A dark plate and a hard outline: legible over heat, grid fills and markers alike.
        'background:rgba(2,16,36,0.55);border-radius:3px',
        'text-shadow:0 0 2px #021024,1px 1px 0 #021024,-1px -1px 0 #021024,1px -1px 0 #021024,-1px 1px 0 #021024,0 0 6px #021024',
      ].join(';')
      this.root.appendChild(element)
      return { element, chars: [...village.name].length, position: Cartesian3.fromDegrees(village.lon, village.lat, LAYER_HEIGHT.marker), placed: '' }
    })
    this.scene.requestRender()
  }

  set show(value: boolean) {
    this.visible = value
    this.root.style.display = value ? '' : 'none'
  }

  /** The names as drawn now (for the browser tests' read-outs). */
  drawn(): { id: number, name: string, element: HTMLSpanElement }[] {
    return this.labels.filter(l => l.element.style.display !== 'none').map(l => ({ id: Number(l.element.dataset.villageId), name: l.element.textContent ?? '', element: l.element }))
  }

  /** Each name above its point (its bottom 6 px over it, centred), sized by distance; hidden out of reach or not wholly on the map. */
  private place(): void {
    if (!this.visible || this.labels.length === 0)
      return
    const camera = this.scene.camera.positionWC
    const canvas = this.scene.canvas
    for (const label of this.labels) {
      const distance = Cartesian3.distance(camera, label.position)
      const px = villageLabelPx(distance)
      const p = villageLabelShown(distance) ? SceneTransforms.worldToWindowCoordinates(this.scene, label.position, SCRATCH) : undefined
      const onScreen = p !== undefined && labelFits(p.x, p.y, label.chars, px, canvas.clientWidth, canvas.clientHeight)
      // Only what changed is written: most frames move nothing (the map draws on change).
      const placed = onScreen ? `${Math.round(p.x)},${Math.round(p.y)},${px}` : ''
      if (placed === label.placed)
        continue
      label.placed = placed
      const style = label.element.style
      if (!onScreen) {
        style.display = 'none'
        continue
      }
      style.display = ''
      style.fontSize = `${px}px`
      style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y) - 6}px) translate(-50%, -100%)`
    }
  }

  destroy(): void {
    this.removePostRender()
    this.root.remove()
  }
}
