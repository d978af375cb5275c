/**
 * The wall's screen adaptation, as plain functions: which layout profile a screen gets, and how its
 * design canvas is scaled onto the real viewport. The wall is drawn on a fixed design canvas (CSS
 * pixels at scale 1) and scaled with one CSS transform, so every screen shows the same picture.
 */

/** The panels around the map (the overview KPIs sit above the map, the ticker along the bottom). */
export type PanelId = 'hourly' | 'daily' | 'categories' | 'villages' | 'sla' | 'cameras' | 'alarms' | 'party'

export type ProfileId = 'standard' | 'wall-3x1'

/** `fit`: uniform scale, letterboxed (nothing distorted); `fill`: stretched to the whole screen. */
export type FitMode = 'fit' | 'fill'

/**
 * The smallest text the wall shows, in design pixels (CSS pixels at 1920×1080, scaled with the stage
 * like everything else: 28 px on a 4K screen). Read from 5 m, anything smaller is a smudge. CSS reads
 * it as `var(--wall-text-min)` (set on the stage); chart themes and the browser tests import it.
 */
export const MIN_TEXT_PX = 14

export interface WallProfile {
  id: ProfileId
  /** The design canvas in CSS pixels. */
  width: number
  height: number
  /** Panel columns left of the map, left to right; each column's panels top to bottom. */
  left: PanelId[][]
  /** Panel columns right of the map, left to right. */
  right: PanelId[][]
  /**
   * Width of each side region (its columns, gaps and padding) on the design canvas. On a video wall
   * this is exactly one physical screen, so that no panel straddles a bezel.
   */
  sideWidth: number
  /**
   * Physical screens side by side (1, or 3 on a 3×1 video wall), each `width / screens` wide: nothing
   * that carries text may straddle the bezel between two of them (the ticker runs one lane per screen).
   */
  screens: number
  /** KPI tiles per row above the map. */
  kpiColumns: number
  /** Share of its column's height a panel takes, relative to the others (default 1). */
  weights: Partial<Record<PanelId, number>>
}

/**
 * 1920×1080 (and, scaled, 3840×2160): one column each side of the map. A 3×1 video wall of three
 * 1920×1080 screens: the map fills the middle screen and the outer screens hold two columns each,
 * so the panels rearrange into larger charts instead of stretching.
 */
export const PROFILES: Readonly<Record<ProfileId, WallProfile>> = {
  'standard': {
    id: 'standard',
    width: 1920,
    height: 1080,
    left: [['hourly', 'daily', 'categories', 'villages']],
    right: [['sla', 'cameras', 'alarms', 'party']],
    sideWidth: 484,
    screens: 1,
    kpiColumns: 5,
    // Sixteen villages' camera tiles need the room; alarms and party building less.
    weights: { cameras: 1.2, alarms: 0.9, party: 0.9 },
  },
  'wall-3x1': {
    id: 'wall-3x1',
    width: 5760,
    height: 1080,
    left: [['hourly', 'daily'], ['categories', 'villages']],
    right: [['sla', 'alarms'], ['cameras', 'party']],
    sideWidth: 1920,
    screens: 3,
    kpiColumns: 10,
    // Four SLA rings want height; the IoT alarms (a handful open at a time) less of it.
    weights: { sla: 1.2, alarms: 0.8 },
  },
}

/** Aspect ratio from which a screen counts as a 3×1 video wall (5760×1080 is 5.33:1). */
export const WALL_ASPECT = 4

const PROFILE_ALIASES: Readonly<Record<string, ProfileId>> = {
  'standard': 'standard',
  '1080p': 'standard',
  'uhd': 'standard',
  '4k': 'standard',
  'wall-3x1': 'wall-3x1',
  '3x1': 'wall-3x1',
}

/** `?profile=` wins (standard, 4k, uhd, wall-3x1); else a screen at least 4:1 wide is a 3×1 wall. */
export function pickProfile(search: string, viewport: { width: number, height: number }): WallProfile {
  const requested = new URLSearchParams(search).get('profile')?.toLowerCase()
  const id = requested ? PROFILE_ALIASES[requested] : undefined
  if (id)
    return PROFILES[id]
  const aspect = viewport.height > 0 ? viewport.width / viewport.height : 0
  return PROFILES[aspect >= WALL_ASPECT ? 'wall-3x1' : 'standard']
}

/** `?fit=fill|fit` wins, then the remembered choice, then `fit`. */
export function pickFit(search: string, saved: string | null): FitMode {
  const requested = new URLSearchParams(search).get('fit')?.toLowerCase() ?? null
  for (const value of [requested, saved]) {
    if (value === 'fit' || value === 'fill')
      return value
  }
  return 'fit'
}

/** How the design canvas lands on the viewport: scale per axis, then offset of its top-left corner. */
export interface StageTransform {
  scaleX: number
  scaleY: number
  offsetX: number
  offsetY: number
}

/** The transform that fits (letterboxed, centred) or fills (stretched) the design canvas into a viewport. */
export function stageTransform(viewport: { width: number, height: number }, design: { width: number, height: number }, fit: FitMode): StageTransform {
  const sx = viewport.width > 0 ? viewport.width / design.width : 1
  const sy = viewport.height > 0 ? viewport.height / design.height : 1
  if (fit === 'fill')
    return { scaleX: sx, scaleY: sy, offsetX: 0, offsetY: 0 }
  const s = Math.min(sx, sy)
  return { scaleX: s, scaleY: s, offsetX: (viewport.width - design.width * s) / 2, offsetY: (viewport.height - design.height * s) / 2 }
}

/** A point in viewport (client) pixels to design-canvas pixels. */
export function clientToDesign(x: number, y: number, t: StageTransform): { x: number, y: number } {
  return { x: (x - t.offsetX) / t.scaleX, y: (y - t.offsetY) / t.scaleY }
}

/**
 * A point in viewport pixels to an element's own (unscaled, CSS layout) pixels, given the element's
 * on-screen rectangle (`getBoundingClientRect()`, which is scaled). This is what a canvas inside the
 * scaled stage needs for picking: its drawing buffer follows its layout size, not its on-screen size.
 */
export function clientToElement(x: number, y: number, rect: { left: number, top: number }, t: StageTransform): { x: number, y: number } {
  return { x: (x - rect.left) / t.scaleX, y: (y - rect.top) / t.scaleY }
}

/**
 * Pixel ratio for canvases inside the stage (charts, map), so that a 1920×1080 design shown on a
 * 3840×2160 screen is drawn with 4K sharpness rather than upscaled. Capped to keep memory bounded.
 */
export function canvasPixelRatio(devicePixelRatio: number, t: StageTransform, cap = 3): number {
  const ratio = (devicePixelRatio || 1) * Math.max(t.scaleX, t.scaleY)
  return Math.min(cap, Math.max(1, Math.round(ratio * 100) / 100))
}
