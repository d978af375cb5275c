import { describe, expect, it, vi } from 'vitest'
import { HistoryPlayer, replayMoment, requestedAt, requestedSpeed } from './replay.ts'
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

describe('the replay player', () => {
  it('pauses on the moment shown, drops a step in flight, and resumes from there with one chain of steps', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 1, 12) })
    const asked: string[] = []
    const pending: ((at: string) => void)[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => {
      const at = new URL(String(input), 'http://wall').searchParams.get('at')!
      asked.push(at)
      await new Promise<string>(resolve => pending.push(resolve))
      return new Response(JSON.stringify({ at: new Date(at).toISOString(), camerasAsOfNow: true, registryAsOfNow: true, earliest: '2026-10-28T16:00:00.000Z', data: {} }), { headers: { 'content-type': 'application/json' } })
    }))
    const shown: string[] = []
    const player = new HistoryPlayer({ url: 'http://wall', onSnapshot: s => shown.push(s.at), onError: () => {} })
    const flush = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await Promise.resolve()
      await vi.advanceTimersByTimeAsync(0)
    }
    player.start('2026-11-30T02:00:00.000Z', 600)
    await flush()
    pending.shift()!('')
    await flush()
    expect(shown).toEqual(['2026-11-30T02:00:00.000Z'])
    await vi.advanceTimersByTimeAsync(1000) // the next step asked, 10 minutes on …
    expect(asked).toHaveLength(2)
    player.setSpeed(0) // … and paused before its answer
    pending.shift()!('')
    await flush()
    expect(shown).toEqual(['2026-11-30T02:00:00.000Z'])
    await vi.advanceTimersByTimeAsync(5000)
    expect(asked).toHaveLength(2)
    player.setSpeed(60)
    await flush()
    expect(asked).toHaveLength(3)
    expect(Date.parse(asked[2]!)).toBe(Date.parse('2026-11-30T02:00:00.000Z'))
    player.stop()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })
})
