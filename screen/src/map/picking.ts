/**
 * Screen coordinates under the wall's CSS scale (no Cesium). The wall lays its canvas out at
 * 1920×1080 and scales it with a CSS transform to the real screen; a pointer event's clientX/Y are
 * in the scaled (visual) space, while Cesium's scene.pick wants CSS pixels of its own, unscaled
 * canvas. `getBoundingClientRect()` gives the visual box; `offsetWidth/Height` the layout size.
 */

export interface VisualBox {
  left: number
  top: number
  width: number
  height: number
}

export interface LayoutSize {
  width: number
  height: number
}

/** The element's scale factors (visual size / layout size); 1 when the element has no size yet. */
export function cssScale(box: VisualBox, layout: LayoutSize): { x: number, y: number } {
  return {
    x: layout.width > 0 && box.width > 0 ? box.width / layout.width : 1,
    y: layout.height > 0 && box.height > 0 ? box.height / layout.height : 1,
  }
}

/** A client (viewport) point → the element's own CSS pixels, undoing the scale. */
export function clientToElement(clientX: number, clientY: number, box: VisualBox, layout: LayoutSize): { x: number, y: number } {
  const s = cssScale(box, layout)
  return { x: (clientX - box.left) / s.x, y: (clientY - box.top) / s.y }
}

/** The element's own CSS pixels → a client point (the inverse of `clientToElement`). */
export function elementToClient(x: number, y: number, box: VisualBox, layout: LayoutSize): { clientX: number, clientY: number } {
  const s = cssScale(box, layout)
  return { clientX: box.left + x * s.x, clientY: box.top + y * s.y }
}

/** What a pick can hit on the map, with the id that selects it. */
export type MapPickId
  = | { kind: 'incident', id: number }
    | { kind: 'alarm', id: number }
    | { kind: 'camera', id: number }
    | { kind: 'cluster', index: number }
    | { kind: 'grid', id: number }

const PRIORITY: Record<MapPickId['kind'], number> = { incident: 0, alarm: 1, camera: 2, cluster: 3, grid: 4 }

/** Whether a picked object's id is one of ours. */
export function isMapPickId(value: unknown): value is MapPickId {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && (value as { kind: string }).kind in PRIORITY
}

/**
 * The most specific of several things under the pointer: an incident over an alarm over a camera
 * over a cluster over the grid they stand in (small markers win over the area around them).
 */
export function choosePick(ids: readonly unknown[]): MapPickId | null {
  let best: MapPickId | null = null
  for (const id of ids) {
    if (isMapPickId(id) && (best === null || PRIORITY[id.kind] < PRIORITY[best.kind]))
      best = id
  }
  return best
}
