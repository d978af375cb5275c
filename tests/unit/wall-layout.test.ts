import { describe, expect, it } from 'vitest'
import { canvasPixelRatio, clientToDesign, clientToElement, pickFit, pickProfile, PROFILES, stageTransform } from '../../screen/src/layout/profiles.ts'

describe('wall profiles', () => {
  it('gives 16:9 screens (1080p and 4K) the standard layout and 3×1 walls the rearranged one', () => {
    expect(pickProfile('', { width: 1920, height: 1080 }).id).toBe('standard')
    expect(pickProfile('', { width: 3840, height: 2160 }).id).toBe('standard')
    expect(pickProfile('', { width: 5760, height: 1080 }).id).toBe('wall-3x1')
    expect(pickProfile('', { width: 4320, height: 1080 }).id).toBe('wall-3x1') // exactly 4:1
    expect(pickProfile('', { width: 4000, height: 1080 }).id).toBe('standard')
    expect(pickProfile('?profile=wall-3x1', { width: 1920, height: 1080 }).id).toBe('wall-3x1')
    expect(pickProfile('?profile=4K', { width: 5760, height: 1080 }).id).toBe('standard')
    expect(pickProfile('?profile=nonsense', { width: 1920, height: 1080 }).id).toBe('standard')
    expect(pickProfile('', { width: 0, height: 0 }).id).toBe('standard')
  })

  it('places every panel exactly once in each profile, the wall with more columns per side', () => {
    for (const profile of Object.values(PROFILES)) {
      const panels = [...profile.left.flat(), ...profile.right.flat()].sort()
      expect(panels).toEqual(['alarms', 'cameras', 'categories', 'daily', 'hourly', 'party', 'sla', 'villages'])
    }
    expect(PROFILES['wall-3x1'].left.length).toBeGreaterThan(PROFILES.standard.left.length)
    // On a 3×1 wall each side region is one physical screen: the map's screen is the middle one.
    expect(PROFILES['wall-3x1'].sideWidth * 3).toBe(PROFILES['wall-3x1'].width)
  })

  it('takes ?fit= first, then the remembered choice, then fit', () => {
    expect(pickFit('', null)).toBe('fit')
    expect(pickFit('?fit=fill', null)).toBe('fill')
    expect(pickFit('?fit=FIT', 'fill')).toBe('fit')
    expect(pickFit('', 'fill')).toBe('fill')
    expect(pickFit('?fit=stretch', 'bogus')).toBe('fit')
  })
})

describe('stage transform', () => {
  const design = { width: 1920, height: 1080 }

  it('is the identity at the design size and doubles at 4K', () => {
    expect(stageTransform({ width: 1920, height: 1080 }, design, 'fit')).toEqual({ scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 })
    expect(stageTransform({ width: 3840, height: 2160 }, design, 'fit')).toEqual({ scaleX: 2, scaleY: 2, offsetX: 0, offsetY: 0 })
  })

  it('letterboxes in fit mode (uniform scale, centred) and stretches in fill mode', () => {
    // 1920×1200 (16:10): bars above and below.
    const fit = stageTransform({ width: 1920, height: 1200 }, design, 'fit')
    expect(fit).toEqual({ scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 60 })
    // 2560×1080 (21:9): bars left and right.
    expect(stageTransform({ width: 2560, height: 1080 }, design, 'fit')).toEqual({ scaleX: 1, scaleY: 1, offsetX: 320, offsetY: 0 })
    const fill = stageTransform({ width: 1920, height: 1200 }, design, 'fill')
    expect(fill).toEqual({ scaleX: 1, scaleY: 1200 / 1080, offsetX: 0, offsetY: 0 })
  })

  it('maps a click back to design pixels and to an element\'s own pixels (what picking needs)', () => {
    const t = stageTransform({ width: 1280, height: 1000 }, design, 'fit') // scale 2/3, bars of 140 px above and below
    expect(t.scaleX).toBeCloseTo(2 / 3)
    expect(t.offsetY).toBeCloseTo(140)
    const p = clientToDesign(640, 500, t)
    expect(p.x).toBeCloseTo(960)
    expect(p.y).toBeCloseTo(540)
    // A map canvas whose on-screen rectangle starts at (300, 200): a click 100×50 screen pixels in is 150×75 of its own.
    const local = clientToElement(400, 250, { left: 300, top: 200 }, t)
    expect(local.x).toBeCloseTo(150)
    expect(local.y).toBeCloseTo(75)
    const stretched = stageTransform({ width: 3840, height: 1080 }, design, 'fill')
    expect(clientToElement(300, 100, { left: 100, top: 0 }, stretched)).toEqual({ x: 100, y: 100 })
  })

  it('draws canvases at the screen\'s real resolution, within bounds', () => {
    const t4k = stageTransform({ width: 3840, height: 2160 }, design, 'fit')
    expect(canvasPixelRatio(1, t4k)).toBe(2)
    expect(canvasPixelRatio(2, t4k)).toBe(3) // capped
    expect(canvasPixelRatio(1, stageTransform({ width: 960, height: 540 }, design, 'fit'))).toBe(1) // never below 1
  })
})
