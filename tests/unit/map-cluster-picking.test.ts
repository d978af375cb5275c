import { describe, expect, it } from 'vitest'
import { MIN_TEXT_PX } from '../../screen/src/layout/profiles.ts'
import { clusterByCell, clusterCellMetres, clusterCountPx, clusterMarkPx, metresPerPixel } from '../../screen/src/map/cluster.ts'
import { ageParts, countdown, distance, hlsUrl } from '../../screen/src/map/format.ts'
import { choosePick, clientToElement, cssScale, elementToClient } from '../../screen/src/map/picking.ts'

describe('camera clustering', () => {
  it('clusters only when the camera is high, in fixed levels of about 20 px on screen', () => {
    // Straight down from 2 km on a 1080-line canvas (60° field of view): ≈ 2 m a pixel, no clusters.
    expect(clusterCellMetres(metresPerPixel(2000, -Math.PI / 2, Math.PI / 3, 1080))).toBe(0)
    expect(clusterCellMetres(12.5)).toBe(250)
    expect(clusterCellMetres(13)).toBe(clusterCellMetres(12.5))
    expect(clusterCellMetres(100)).toBe(2000)
    expect(clusterCellMetres(10_000)).toBe(4000)
  })

  it('measures the scale where the camera looks: further when oblique, finer on a taller canvas', () => {
    const down = metresPerPixel(10_000, -Math.PI / 2, Math.PI / 3, 1080)
    expect(down).toBeCloseTo(10_000 * 2 * Math.tan(Math.PI / 6) / 1080, 6)
    expect(metresPerPixel(10_000, -Math.PI / 6, Math.PI / 3, 1080)).toBeCloseTo(down * 2, 6)
    expect(metresPerPixel(10_000, -Math.PI / 2, Math.PI / 3, 2160)).toBeCloseTo(down / 2, 6)
  })

  it('keeps a cluster mark inside its cell, bigger for more cameras', () => {
    expect(clusterMarkPx(2, 40)).toBeLessThan(clusterMarkPx(64, 40))
    expect(clusterMarkPx(1000, 20)).toBeLessThanOrEqual(20 * 0.7)
    expect(clusterMarkPx(1000, 200)).toBeLessThanOrEqual(28)
    expect(clusterMarkPx(2, 5)).toBeGreaterThanOrEqual(9)
  })

  it('writes a cluster\'s count at the wall\'s smallest text or larger, or not at all (issue #14, defect 6)', () => {
    // 18 px marks used to carry 10 px digits.
    expect(clusterCountPx(7, 18)).toBe(MIN_TEXT_PX)
    expect(clusterCountPx(42, 18)).toBe(MIN_TEXT_PX)
    expect(clusterCountPx(128, 18)).toBeNull()
    expect(clusterCountPx(128, 28)).toBe(15)
    for (let mark = 9; mark <= 28; mark++) {
      for (const count of [3, 12, 250]) {
        const px = clusterCountPx(count, mark)
        if (px !== null)
          expect(px).toBeGreaterThanOrEqual(MIN_TEXT_PX)
      }
    }
  })

  it('groups points sharing a cell, leaves lone points single, and indexes members', () => {
    const points = [
      { id: 1, lon: 111.1001, lat: 29.4001 },
      { id: 2, lon: 111.1002, lat: 29.4002 },
      { id: 3, lon: 111.1003, lat: 29.4001 },
      { id: 4, lon: 111.15, lat: 29.45 },
    ]
    const c = clusterByCell(points, 250, 29.4)
    expect(c.singles).toEqual([4])
    expect(c.clusters).toHaveLength(1)
    expect(c.clusters[0]!.ids).toEqual([1, 2, 3])
    expect(c.clusters[0]!.lon).toBeCloseTo(111.1002, 6)
    expect(c.clusterOf.get(2)).toBe(0)
    expect(c.clusterOf.has(4)).toBe(false)
    expect(clusterByCell(points, 0, 29.4).singles).toEqual([1, 2, 3, 4])
  })

  it('puts each of 10k points in exactly one place', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ id: i, lon: 111 + (i % 100) * 0.001, lat: 29 + Math.floor(i / 100) * 0.001 }))
    const c = clusterByCell(points, 500, 29)
    const placed = [...c.singles, ...c.clusters.flatMap(x => x.ids)]
    expect(placed).toHaveLength(10_000)
    expect(new Set(placed).size).toBe(10_000)
  })
})

describe('picking under a CSS scale', () => {
  // A 1920×1080 wall canvas shown letterboxed in a 1400×900 window: scale 0.729, offset 56 px down.
  const layout = { width: 1920, height: 1080 }
  const box = { left: 0, top: 56.25, width: 1400, height: 787.5 }

  it('undoes the scale and the offset, and inverts exactly', () => {
    expect(cssScale(box, layout).x).toBeCloseTo(0.7292, 4)
    expect(clientToElement(700, 56.25 + 393.75, box, layout)).toEqual({ x: 960, y: 540 })
    const client = elementToClient(123, 456, box, layout)
    const back = clientToElement(client.clientX, client.clientY, box, layout)
    expect(back.x).toBeCloseTo(123, 9)
    expect(back.y).toBeCloseTo(456, 9)
    // Doubled onto a 4K screen.
    expect(clientToElement(3840, 2160, { left: 0, top: 0, width: 3840, height: 2160 }, layout)).toEqual({ x: 1920, y: 1080 })
    // Not laid out yet: no scale rather than a division by zero.
    expect(cssScale({ left: 0, top: 0, width: 0, height: 0 }, { width: 0, height: 0 })).toEqual({ x: 1, y: 1 })
  })

  it('prefers the most specific thing under the pointer', () => {
    expect(choosePick([{ kind: 'grid', id: 3 }, undefined, { kind: 'camera', id: 7 }, 'a polyline'])).toEqual({ kind: 'camera', id: 7 })
    expect(choosePick([{ kind: 'grid', id: 3 }, { kind: 'incident', id: 9 }, { kind: 'camera', id: 7 }])).toEqual({ kind: 'incident', id: 9 })
    expect(choosePick([{ kind: 'cluster', index: 0 }, { kind: 'grid', id: 3 }])).toEqual({ kind: 'cluster', index: 0 })
    expect(choosePick([null, {}, { kind: 'nope' }])).toBeNull()
  })
})

describe('card formatting', () => {
  it('formats ages, countdowns, distances and stream URLs', () => {
    expect(ageParts(42)).toEqual({ unit: 'seconds', n: 42 })
    expect(ageParts(3599)).toEqual({ unit: 'minutes', n: 59 })
    expect(ageParts(7200)).toEqual({ unit: 'hours', n: 2 })
    expect(ageParts(3 * 86_400)).toEqual({ unit: 'days', n: 3 })
    expect(countdown(3_723_000)).toBe('01:02:03')
    expect(countdown(-59_000)).toBe('00:00:59')
    expect(countdown(90_000_000)).toBe('1d 01:00:00')
    expect(distance(436.4)).toBe('436 m')
    expect(distance(1250)).toBe('1.3 km')
    expect(hlsUrl('http://10.0.0.5/live/{code}/index.m3u8', { id: 7, code: 'A B' })).toBe('http://10.0.0.5/live/A%20B/index.m3u8')
    expect(hlsUrl('http://gw/{id}.m3u8', { id: 7, code: 'x' })).toBe('http://gw/7.m3u8')
    expect(hlsUrl(null, { id: 7, code: 'x' })).toBeNull()
  })
})
