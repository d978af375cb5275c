import { describe, expect, it } from 'vitest'
import { cameraColour, CAMERA_COLOURS, classColours, classify, HEAT_RAMP, niceBreaks, over, rampGradientCss, rampTable, sampleRamp } from '../../screen/src/map/colour.ts'

describe('map colours', () => {
  it('composites a translucent colour over an opaque land colour as the eye sees it', () => {
    const land = [6, 24, 46, 255] as const
    expect(over([255, 0, 0, 255], land)).toEqual([255, 0, 0, 255])
    expect(over([255, 0, 0, 0], land)).toEqual([6, 24, 46, 255])
    // Half red over the land: halfway, and opaque.
    expect(over([255, 0, 0, 128], land)).toEqual([131, 12, 23, 255])
  })

  it('samples a ramp at and between its stops, clamped', () => {
    const ramp = [{ at: 0, colour: [0, 0, 0, 0] as const }, { at: 1, colour: [200, 100, 50, 255] as const }]
    expect(sampleRamp(ramp, 0)).toEqual([0, 0, 0, 0])
    expect(sampleRamp(ramp, 0.5)).toEqual([100, 50, 25, 128])
    expect(sampleRamp(ramp, 7)).toEqual([200, 100, 50, 255])
    expect(sampleRamp(ramp, Number.NaN)).toEqual([0, 0, 0, 0])
    const table = rampTable(HEAT_RAMP, 256)
    expect(table.length).toBe(1024)
    expect(table[3]).toBe(0) // no heat: transparent
    expect([...table.slice(1020)]).toEqual([...HEAT_RAMP.at(-1)!.colour])
    expect(rampGradientCss(HEAT_RAMP)).toMatch(/^linear-gradient\(to right, rgba\(/)
  })

  it('heat grows more opaque and warmer', () => {
    const alphas = [0, 0.25, 0.5, 0.75, 1].map(t => sampleRamp(HEAT_RAMP, t)[3])
    expect(alphas).toEqual([...alphas].sort((a, b) => a - b))
    expect(sampleRamp(HEAT_RAMP, 1)[0]).toBeGreaterThan(sampleRamp(HEAT_RAMP, 0.3)[0])
  })

  it('makes nice class breaks that cover the maximum', () => {
    expect(niceBreaks(17)).toEqual([0, 4, 8, 12, 16, 20])
    expect(niceBreaks(2)).toEqual([0, 1, 2, 3, 4, 5])
    expect(niceBreaks(0)).toEqual([0, 1, 2, 3, 4, 5])
    expect(niceBreaks(230)).toEqual([0, 50, 100, 150, 200, 250])
    expect(niceBreaks(0.7, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    for (const max of [1, 3, 9, 11, 99, 1234]) {
      const breaks = niceBreaks(max)
      expect(breaks.at(-1)).toBeGreaterThanOrEqual(max)
    }
  })

  it('classifies values (the last class is open-ended) and colours the classes along the ramp', () => {
    const breaks = [0, 4, 8, 12, 16, 20]
    expect([0, 3.9, 4, 15, 16, 25].map(v => classify(v, breaks))).toEqual([0, 0, 1, 3, 4, 4])
    expect(classColours(HEAT_RAMP, 3)).toEqual([sampleRamp(HEAT_RAMP, 0), sampleRamp(HEAT_RAMP, 0.5), sampleRamp(HEAT_RAMP, 1)])
  })

  it('draws an unknown camera status as offline, never as online', () => {
    expect(cameraColour('online')).toBe(CAMERA_COLOURS.online)
    expect(cameraColour('alarm')).toBe(CAMERA_COLOURS.alarm)
    expect(cameraColour('decommissioned')).toBe(CAMERA_COLOURS.offline)
  })
})
