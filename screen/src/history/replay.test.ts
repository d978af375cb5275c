import { describe, expect, it } from 'vitest'
import { replayMoment, requestedAt, requestedSpeed } from './replay.ts'
import { wallClockInput } from './wall-clock.ts'

describe('the time machine address and clock', () => {
  it('reads ?at= and ?speed= (an unknown speed is a still picture)', () => {
    expect(requestedAt('?map=off&at=2026-11-30T14:00')).toBe('2026-11-30T14:00')
    expect(requestedAt('?at=')).toBeNull()
    expect(requestedSpeed('?at=x&speed=600')).toBe(600)
    expect(requestedSpeed('?at=x&speed=7')).toBe(0)
  })

  it('replays at its speed and never past the present', () => {
    expect(replayMoment(1000, 600, 2000, 10_000_000)).toBe(1000 + 1_200_000)
    expect(replayMoment(1000, 600, 2000, 5000)).toBe(5000)
  })

  it('writes a picker value on the township\'s wall clock, whatever the browser\'s zone', () => {
    expect(wallClockInput(Date.UTC(2026, 10, 30, 6, 0), 'Asia/Shanghai')).toBe('2026-11-30T14:00')
  })
})
