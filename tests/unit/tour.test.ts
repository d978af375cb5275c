import type { CasePoint } from '#wire'
import type { TourPlace } from '../../screen/src/tour/targets.ts'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { StepClock, stepAfter, stepBefore, tourKeyAction } from '../../screen/src/tour/player.ts'
import { newestCase, pickPlace } from '../../screen/src/tour/targets.ts'
import { parseTour, TourError, tourNameOf } from '../../server/src/domain/tour.ts'
import { TOUR_PANELS } from '../../server/src/wire/index.ts'

const HEAD = 'title: { zh: 巡览, en: A tour }\nsteps:\n'
/** A tour file of the given steps (YAML lines, each step's lines indented under `- `). */
const tourOf = (...steps: string[]): string => HEAD + steps.map(s => `  - ${s.split('\n').join('\n    ')}`).join('\n')
const ok = 'caption: { zh: 全镇, en: The township }\nseconds: 20'

function refusal(source: string, file = 'demo.yaml'): string {
  try {
    parseTour(source, 'demo', file)
  }
  catch (error) {
    expect(error).toBeInstanceOf(TourError)
    const message = (error as Error).message
    expect(message.split('\n')).toHaveLength(1)
    return message
  }
  throw new Error('the tour was accepted')
}

describe('tour files', () => {
  it('reads a tour in YAML and in JSON alike, with unquoted codes as text', () => {
    const yaml = parseTour(tourOf(`id: v\n${ok}\nfly: { to: village, code: 430821103201 }\nlayers: { heat: { show: true, window: 30d } }\nhighlight: villages`), 'demo', 'demo.yaml')
    expect(yaml.steps[0]).toEqual({ id: 'v', caption: { zh: '全镇', en: 'The township' }, seconds: 20, fly: { to: 'village', code: '430821103201' }, layers: { heat: { show: true, window: '30d' } }, highlight: 'villages' })
    const json = parseTour(JSON.stringify({ title: { zh: '巡览', en: 'A tour' }, steps: [{ caption: { zh: '全镇', en: 'The township' }, seconds: 20, fly: 'home' }] }), 'demo', 'demo.json')
    expect(json.steps).toEqual([{ id: '1', caption: { zh: '全镇', en: 'The township' }, seconds: 20, fly: { to: 'home' } }])
  })

  it('lets a step offer the printable briefing of the last days, as the default tour\'s last step does (7 days)', () => {
    expect(parseTour(tourOf(`${ok}\nbriefing: { days: 30 }`), 'demo', 'demo.yaml').steps[0]!.briefing).toEqual({ days: 30 })
    const tour = parseTour(readFileSync(fileURLToPath(new URL('../../tours/default.yaml', import.meta.url)), 'utf8'), 'default', 'default.yaml')
    expect(tour.steps.at(-1)!.briefing).toEqual({ days: 7 })
    expect(tour.steps.slice(0, -1).every(s => s.briefing === undefined)).toBe(true)
  })

  it.each([
    [tourOf(ok, `id: heat\n${ok}\nlayers: { heat: { window: week } }`), 'demo.yaml: step 2 ("heat"), field layers.heat.window: expected one of today, 7d, 30d (got "week")'],
    [tourOf('caption: { zh: 全镇 }\nseconds: 20'), 'demo.yaml: step 1, field caption.en: missing: expected the English caption (text)'],
    [tourOf('caption: { zh: 全镇, en: x }'), 'demo.yaml: step 1, field seconds: missing: expected seconds (a number from 3 to 600)'],
    [tourOf(ok, ok, 'caption: { zh: 全镇, en: x }\nseconds: 1'), 'demo.yaml: step 3, field seconds: expected seconds from 3 to 600 (got 1)'],
    [tourOf(`${ok}\nfly: { to: town }`), 'demo.yaml: step 1, field fly.to: expected one of home, village, grid, case, camera (got "town")'],
    [tourOf(`${ok}\nfly: { to: village }`), 'demo.yaml: step 1, field fly.code: expected exactly one of code, name, busiest for a flight to a village'],
    [tourOf(`${ok}\nfly: { to: grid, code: G1, busiest: open }`), 'demo.yaml: step 1, field fly.busiest: expected exactly one of code, name, busiest for a flight to a grid (got "open")'],
    [tourOf(`${ok}\nfly: { to: case, latest: oldest }`), 'demo.yaml: step 1, field fly.latest: expected urgent (the latest open 紧急 or 重大 case) (got "oldest")'],
    [tourOf(`id: cams\n${ok}\nfly: { to: camera, nearest: case }`), 'demo.yaml: step 1 ("cams"), field fly.nearest: needs an earlier step that flies to a case'],
    [tourOf(`${ok}\nfly: { to: camera, code: C1, range: 5 }`), 'demo.yaml: step 1, field fly.range: expected metres from 200 to 50000 (got 5)'],
    [tourOf(`${ok}\nhighlight: kpi`), `demo.yaml: step 1, field highlight: expected one of ${TOUR_PANELS.join(', ')} (got "kpi")`],
    [tourOf(`${ok}\ncolour: red`), 'demo.yaml: step 1: unknown field colour'],
    [tourOf(`id: end\n${ok}\nbriefing: { days: 0 }`), 'demo.yaml: step 1 ("end"), field briefing.days: expected days from 1 to 366 (got 0)'],
    [tourOf(`${ok}\nbriefing: { weeks: 1 }`), 'demo.yaml: step 1, field briefing.days: missing: expected days (a whole number from 1 to 366)'],
    [tourOf(`${ok}\nlayers: { roads: { show: true } }`), 'demo.yaml: step 1, field layers: unknown field roads'],
    [tourOf(`id: a\n${ok}`, `id: a\n${ok}`), 'demo.yaml: step 2 ("a"), field id: the same as step 1\'s ("a"); step ids must differ'],
    [tourOf(`caption: { zh: ${'长'.repeat(101)}, en: x }\nseconds: 20`), 'demo.yaml: step 1, field caption.zh: at most 100 characters, so that it fits the caption bar (got 101 characters)'],
    ['title: { zh: 巡览 }\nsteps: []', 'demo.yaml: field title.en: missing: expected the English title (text)'],
    [`${HEAD}  []`, 'demo.yaml: field steps: expected at least one step'],
    ['- 1', 'demo.yaml: expected a tour: { title: { zh, en }, steps: [...] }'],
  ])('refuses a malformed tour with one line naming the step and field (%#)', (source, message) => {
    expect(refusal(source)).toBe(message)
  })

  it('names the line and column of a file that is not YAML or JSON at all', () => {
    expect(refusal(`${HEAD}  - caption: { zh: 全镇, en: x }\n  seconds: [1`)).toMatch(/^demo\.yaml: line 4, column 1: not valid YAML: /)
    expect(refusal('{"title": {"zh": "a", "en": "b"}, "steps": [', 'demo.json')).toMatch(/^demo\.json: line 1, column \d+: not valid JSON: /)
    expect(refusal(`${HEAD}  - ${ok.replace('\n', '\n    ')}\n    seconds: 30`)).toMatch(/^demo\.yaml: line \d+, column \d+: not valid YAML: Map keys must be unique/)
  })

  it('takes tour names from file names', () => {
    expect(['default.yaml', 'a-b_c.yml', 'x.json', 'notes.txt', 'bad name.yaml', '.yaml'].map(tourNameOf)).toEqual(['default', 'a-b_c', 'x', null, null, null])
  })

  it('ships a default tour of about five minutes that tells the township\'s story', () => {
    const source = readFileSync(fileURLToPath(new URL('../../tours/default.yaml', import.meta.url)), 'utf8')
    const tour = parseTour(source, 'default', 'default.yaml')
    const seconds = tour.steps.reduce((sum, s) => sum + s.seconds, 0)
    expect(seconds).toBeGreaterThanOrEqual(270)
    expect(seconds).toBeLessThanOrEqual(330)
    // The township and its grids, today's figures, the heat, a live case and its SLA, the cameras near it, party building, the alarms.
    expect(tour.steps.map(s => s.fly?.to ?? '-')).toEqual(expect.arrayContaining(['home', 'village', 'grid', 'case', 'camera']))
    expect(tour.steps.find(s => s.fly?.to === 'case')?.fly).toMatchObject({ latest: 'urgent' })
    expect(tour.steps.some(s => s.layers?.heat?.show)).toBe(true)
    expect(tour.steps.map(s => s.highlight)).toEqual(expect.arrayContaining(['map', 'kpis', 'sla', 'cameras', 'party', 'alarms']))
    // It ends with the map as a wall shows it by default.
    expect(tour.steps.at(-1)!.layers).toEqual({ grids: { show: true, metric: 'open', extruded: false }, heat: { show: true, window: '7d', category: null }, cameras: { show: true }, incidents: { show: true } })
  })
})

describe('playing a tour', () => {
  it('moves on and back, looping only in kiosk mode', () => {
    expect([stepAfter(0, 3, false), stepAfter(2, 3, false), stepAfter(2, 3, true)]).toEqual([1, null, 0])
    expect([stepBefore(1, 3, false), stepBefore(0, 3, false), stepBefore(0, 3, true)]).toEqual([0, 0, 2])
  })

  it('reads a presenter\'s clicker and a remote', () => {
    expect(['PageDown', 'ArrowRight', 'PageUp', 'ArrowLeft', ' ', '.', 'Escape', 'Enter'].map(tourKeyAction)).toEqual(['next', 'next', 'previous', 'previous', 'pause', 'pause', 'exit', null])
  })

  it('keeps what is left of a step while paused', () => {
    const clock = new StepClock()
    clock.start(10_000, 0)
    expect(clock.remaining(4000)).toBe(6000)
    clock.pause(4000)
    expect([clock.remaining(60_000), clock.due(60_000)]).toEqual([6000, false])
    clock.resume(60_000)
    expect([clock.due(65_999), clock.due(66_000)]).toEqual([false, true])
  })

  it('picks a place by code, by name, or the busiest (ties: the first), and the newest case', () => {
    const place = (id: number, open: number, point: [number, number] | null = [111, 29]): TourPlace => ({ id, code: `V${id}`, name: `第${id}村`, point, figures: { id, code: `V${id}`, name: `第${id}村`, last30Days: 0, today: 0, open, overdue: 0, medianResponseMinutes: null } })
    const places = [place(1, 3), place(2, 9, null), place(3, 7), place(4, 7)]
    expect(pickPlace(places, { busiest: 'open' })?.id).toBe(3)
    expect(pickPlace(places, { code: 'V4' })?.id).toBe(4)
    expect(pickPlace(places, { name: '第1村' })?.id).toBe(1)
    expect(pickPlace(places, { code: 'V2' })).toBeNull()
    const at = (id: number, reportedAt: string) => ({ id, reportedAt }) as CasePoint
    expect(newestCase([at(1, '2026-11-30T01:00:00Z'), at(2, '2026-12-01T01:00:00Z'), at(3, '2026-11-01T01:00:00Z')])?.id).toBe(2)
    expect(newestCase([])).toBeNull()
  })
})
