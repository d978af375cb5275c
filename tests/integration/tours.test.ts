import type { AppDeps } from '../../server/src/app.ts'
import type { Tour, TourList } from '../../server/src/wire/index.ts'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'tours-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const step = (extra: object = {}) => ({ caption: { zh: '全镇', en: 'The township' }, seconds: 10, ...extra })
writeFileSync(join(dir, 'short.yaml'), 'title: { zh: 短巡览, en: A short tour }\nsteps:\n  - { caption: { zh: 全镇, en: The township }, seconds: 10, fly: home }\n  - { caption: { zh: 热力, en: Heat }, seconds: 12, layers: { heat: { show: true, window: 30d } }, highlight: map }\n')
// The same name twice: the YAML file is the one played.
writeFileSync(join(dir, 'short.json'), JSON.stringify({ title: { zh: '另一个', en: 'Another' }, steps: [step()] }))
writeFileSync(join(dir, 'broken.json'), JSON.stringify({ title: { zh: '坏', en: 'Broken' }, steps: [step(), step({ id: 'heat', layers: { heat: { window: 'week' } } })] }))
writeFileSync(join(dir, 'notes.txt'), 'not a tour')
mkdirSync(join(dir, 'drafts.yaml'))

/**
 * The tours API reads only its directory: the app is built with the real configuration and router,
 * and no database, hub or accounts (the wall is open, so no session is looked up).
 */
function appWith(env: Record<string, string>) {
  const deps = { config: loadConfig({ WALL_ACCESS: 'open', ...env }), logger: pino({ level: 'silent' }) } as unknown as AppDeps
  return createApp(deps)
}

/** `npm run tour -- …` as a person runs it: the built command line (built first when stale). */
function tourCommand(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(root, 'scripts/run-built.mjs'), 'tour', ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
}

describe('the tours', () => {
  it('serves the shipped default tour from the repository\'s tours/', async () => {
    const app = appWith({})
    const list = await (await app.request('/api/tours')).json() as TourList
    expect(list.tours.find(t => t.name === 'default')).toMatchObject({ file: 'default.yaml', steps: 13, error: null, title: { zh: '全镇基层治理巡览' } })
    const tour = await (await app.request('/api/tours/default')).json() as Tour
    expect(tour.steps.reduce((sum, s) => sum + s.seconds, 0)).toBe(300)
  })

  it('lists a TOURS_DIR\'s tours, answers one by name, and refuses a malformed one with the line naming the step and field', async () => {
    const app = appWith({ TOURS_DIR: dir })
    const list = await app.request('/api/tours')
    expect(list.status).toBe(200)
    expect(list.headers.get('cache-control')).toBe('no-store')
    expect(await list.json()).toEqual({
      tours: [
        { name: 'broken', file: 'broken.json', title: null, steps: 0, seconds: 0, error: 'broken.json: step 2 ("heat"), field layers.heat.window: expected one of today, 7d, 30d (got "week")' },
        { name: 'short', file: 'short.yaml', title: { zh: '短巡览', en: 'A short tour' }, steps: 2, seconds: 22, error: null },
      ],
    })
    const short = await app.request('/api/tours/short')
    expect(await short.json()).toEqual({
      name: 'short',
      title: { zh: '短巡览', en: 'A short tour' },
      steps: [
        { id: '1', caption: { zh: '全镇', en: 'The township' }, seconds: 10, fly: { to: 'home' } },
        { id: '2', caption: { zh: '热力', en: 'Heat' }, seconds: 12, layers: { heat: { show: true, window: '30d' } }, highlight: 'map' },
      ],
    })
    const broken = await app.request('/api/tours/broken')
    expect(broken.status).toBe(422)
    expect(await broken.json()).toEqual({ error: { code: 'bad_request', message: 'broken.json: step 2 ("heat"), field layers.heat.window: expected one of today, 7d, 30d (got "week")' } })
    expect((await app.request('/api/tours/nothing')).status).toBe(404)
    // Only names: no way out of the directory.
    expect((await app.request('/api/tours/..%2Fpackage')).status).toBe(400)
    expect((await app.request('/api/tours/notes')).status).toBe(404)
    expect((await app.request('/api/tours/drafts')).status).toBe(404)
    // A directory that is not there has no tours (it is not an error of the server).
    expect(await (await appWith({ TOURS_DIR: join(dir, 'missing') }).request('/api/tours')).json()).toEqual({ tours: [] })
  })

  it('checks and lists tour files on the command line: exit 1 with one line naming the step and field', () => {
    const bad = tourCommand(['check', join(dir, 'broken.json')])
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({ status: 1, stderr: 'error: broken.json: step 2 ("heat"), field layers.heat.window: expected one of today, 7d, 30d (got "week")\n' })
    const good = tourCommand(['check', join(root, 'tours/default.yaml'), join(dir, 'short.yaml')])
    expect({ status: good.status, stdout: good.stdout }).toEqual({ status: 0, stdout: 'ok: default.yaml  13 steps, 5:00\nok: short.yaml  2 steps, 0:22\n' })
    const list = tourCommand(['list'], { TOURS_DIR: dir })
    expect(list.status).toBe(1)
    expect(list.stdout).toBe('short  2 steps, 0:22  短巡览 · A short tour\n')
    expect(list.stderr).toContain('✗ broken  broken.json: step 2 ("heat")')
    expect(tourCommand(['list']).stdout).toContain('default  13 steps, 5:00')
    const usage = tourCommand(['check'])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('usage: npm run tour -- <command>')
  })
})
