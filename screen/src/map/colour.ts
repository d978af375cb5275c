/**
 * Colours of the map (no Cesium): ramps sampled into lookup tables, the class breaks of a grid
 * metric, and the fixed colours of camera states and case levels. Colours are [r, g, b, a], 0–255.
 */

export type Rgba = readonly [number, number, number, number]

/** A colour ramp: stops at positions 0…1, in increasing order. */
export type Ramp = readonly { at: number, colour: Rgba }[]

/** Case heat: transparent where there is none, deep blue → cyan → yellow → orange → red where cases cluster. */
export const HEAT_RAMP: Ramp = [
  { at: 0, colour: [20, 40, 160, 0] },
  { at: 0.15, colour: [30, 90, 230, 50] },
  { at: 0.4, colour: [0, 200, 230, 120] },
  { at: 0.65, colour: [250, 230, 60, 170] },
  { at: 0.85, colour: [255, 140, 20, 200] },
  { at: 1, colour: [255, 40, 30, 225] },
]

/** Grid metric classes: calm teal → amber → red (sequential; readable over the dark globe). */
export const METRIC_RAMP: Ramp = [
  { at: 0, colour: [24, 90, 130, 60] },
  { at: 0.25, colour: [30, 160, 170, 105] },
  { at: 0.5, colour: [220, 200, 70, 130] },
  { at: 0.75, colour: [245, 130, 40, 155] },
  { at: 1, colour: [235, 50, 50, 180] },
]

/** Camera states, as the legend names them. */
export const CAMERA_COLOURS = {
  online: [46, 229, 157, 255],
  offline: [138, 150, 168, 255],
  alarm: [255, 77, 79, 255],
} as const satisfies Record<string, Rgba>

export type CameraStatus = keyof typeof CAMERA_COLOURS

/** The colour of a camera's status (an unknown status draws as offline: never as "fine"). */
export function cameraColour(status: string): Rgba {
  return CAMERA_COLOURS[status as CameraStatus] ?? CAMERA_COLOURS.offline
}

/** Case levels (一般/较大/重大/紧急). */
export const LEVEL_COLOURS: Record<string, Rgba> = {
  general: [90, 180, 255, 255],
  serious: [255, 200, 60, 255],
  major: [255, 120, 40, 255],
  urgent: [255, 50, 70, 255],
}

/** IoT alarms. */
export const ALARM_COLOUR: Rgba = [255, 170, 0, 255]

/** `top` drawn over an opaque `bottom` (source-over): the opaque colour the eye sees. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3] / 255
  return [
    Math.round(top[0] * a + bottom[0] * (1 - a)),
    Math.round(top[1] * a + bottom[1] * (1 - a)),
    Math.round(top[2] * a + bottom[2] * (1 - a)),
    255,
  ]
}

/** The ramp's colour at t (clamped to 0…1), interpolated linearly between stops. */
export function sampleRamp(ramp: Ramp, t: number): Rgba {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0))
  for (let i = 1; i < ramp.length; i++) {
    const b = ramp[i]!
    if (x <= b.at) {
      const a = ramp[i - 1]!
      const f = b.at === a.at ? 1 : (x - a.at) / (b.at - a.at)
      const mix = (c: 0 | 1 | 2 | 3): number => Math.round(a.colour[c] + (b.colour[c] - a.colour[c]) * f)
      return [mix(0), mix(1), mix(2), mix(3)]
    }
  }
  return ramp[ramp.length - 1]!.colour
}

/** A lookup table of `size` colours (RGBA bytes), for colouring a whole raster fast. */
export function rampTable(ramp: Ramp, size = 256): Uint8ClampedArray {
  const table = new Uint8ClampedArray(size * 4)
  for (let i = 0; i < size; i++)
    table.set(sampleRamp(ramp, i / (size - 1)), i * 4)
  return table
}

/** CSS for a ramp legend (`linear-gradient`), alpha kept so that the legend looks like the map. */
export function rampGradientCss(ramp: Ramp, direction = 'to right'): string {
  const stops = ramp.map(s => `${rgbaCss(s.colour, Math.max(0.25, s.colour[3] / 255))} ${Math.round(s.at * 100)}%`)
  return `linear-gradient(${direction}, ${stops.join(', ')})`
}

export function rgbaCss(colour: Rgba, alpha = colour[3] / 255): string {
  return `rgba(${colour[0]}, ${colour[1]}, ${colour[2]}, ${Math.round(alpha * 1000) / 1000})`
}

/**
 * Class breaks for a metric: `classes` equal steps of a "nice" size from 0 to cover `max`: for
 * counts, any whole step up to 10, then 1, 2, 2.5 or 5 × 10ⁿ. Returns classes + 1 edges, e.g.
 * max 17 → [0, 4, 8, 12, 16, 20].
 */
export function niceBreaks(max: number, classes = 5, integer = true): number[] {
  const raw = Math.max(Number.isFinite(max) ? max : 0, 0) / classes
  let step = raw
  if (integer && raw <= 10) {
    step = Math.max(1, Math.ceil(raw - 1e-9))
  }
  else if (raw > 0) {
    const magnitude = 10 ** Math.floor(Math.log10(raw))
    step = ([1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw - 1e-12) ?? 10 * magnitude)
  }
  if (integer)
    step = Math.max(1, Math.ceil(step))
  else if (step === 0)
    step = 1
  return Array.from({ length: classes + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6)
}

/** The class (0…breaks.length − 2) of a value: its lower edge is ≤ value (the last class is open-ended). */
export function classify(value: number, breaks: readonly number[]): number {
  let cls = 0
  for (let i = 1; i < breaks.length - 1; i++) {
    if (value >= breaks[i]!)
      cls = i
  }
  return cls
}

/** The colour of each class of `classes` classes along a ramp. */
export function classColours(ramp: Ramp, classes: number): Rgba[] {
  return Array.from({ length: classes }, (_, i) => sampleRamp(ramp, classes === 1 ? 1 : i / (classes - 1)))
}
