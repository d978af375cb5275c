import type { Database } from '../../server/src/db/types.ts'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { LiveHub } from '../../server/src/live/hub.ts'
import { ContractSource } from '../../server/src/sources/source.ts'
import { openTestAuth } from '../harness/auth.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'

const logger = pino({ level: 'silent' })

describe('the API against bad input', () => {
  let db: Database
  let hub: LiveHub
  let app: ReturnType<typeof createApp>
  /** Statements the API sent to the database (the source's own polling is not counted). */
  let apiQueries: string[] = []

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    await insertCase(db, { id: 7, level: 'urgent' })
    hub = new LiveHub(new ContractSource(db, logger, { mode: 'poll', pollIntervalMs: 60_000 }), logger)
    await hub.start()
    const counting: Database = { ...db, kind: db.kind, query: (sql, params) => {
      apiQueries.push(sql)
      return db.query(sql, params)
    } }
    app = createApp({ config: loadConfig({}), logger, hub, db: counting, auth: await openTestAuth(db) })
  })
  afterAll(async () => {
    await hub?.stop()
    await db?.close()
  })

  const bad: [string, RegExp][] = [
    ['/api/cases?page=0', /page/],
    ['/api/cases?page=abc', /page/],
    ['/api/cases?page=99999999', /page/],
    ['/api/cases?pageSize=100000', /pageSize/],
    ['/api/cases?pageSize=-5', /pageSize/],
    ['/api/cases?from=yesterday', /from/],
    ['/api/cases?from=2026-13-45', /from/],
    ['/api/cases?from=2026-11-20&to=2026-11-01', /from must not be after to/],
    ['/api/cases?status=open', /unknown status "open"/],
    ['/api/cases?status=closed%27;drop%20table%20cases;--', /unknown status/],
    ['/api/cases?code=%27%20or%201=1--', /code/],
    ['/api/cases?level=critical', /level/],
    ['/api/cases?village=1%20or%201=1', /village/],
    ['/api/cases?grid=-1', /grid/],
    ['/api/cases?category=x', /category/],
    ['/api/cases/abc', /id/],
    ['/api/cases/1;drop', /id/],
    ['/api/cases/99999999999999', /id/],
    ['/api/heat?window=year', /window/],
    ['/api/heat?category=999', /no category with id 999/],
    ['/api/heat?category=1%27', /category/],
    ['/api/cameras?bbox=1,2,3', /bbox/],
    ['/api/cameras?bbox=,,,', /bbox/],
    ['/api/cameras?bbox=0x1,0,0x2,1', /bbox/],
    ['/api/cameras?bbox=1e2,0,1e2,1', /bbox/],
    ['/api/cases/0', /positive/],
    ['/api/grids/0/workers', /positive/],
    ['/api/cases?from=2026-02-30', /from/],
    ['/api/cases?to=2026-11-31T08:00:00Z', /to/],
    ['/api/cameras?bbox=200,0,210,10', /bbox/],
    ['/api/cameras?bbox=a,b,c,d', /bbox/],
    ['/api/cameras?status=broken', /status/],
    ['/api/snapshot?topics=overview,secrets', /unknown topic "secrets"/],
    [`/api/snapshot?topics=${'x'.repeat(5000)}`, /topics/],
  ]

  it.each(bad)('%s → 400 with a clear message, and no SQL executed', async (path, message) => {
    apiQueries = []
    const response = await app.request(path)
    expect(response.status).toBe(400)
    const body = await response.json() as { error: { code: string, message: string } }
    expect(body.error.code).toBe('bad_request')
    expect(body.error.message).toMatch(message)
    expect(apiQueries).toEqual([])
  })

  it('sends JSON gzipped to a client that takes it, plain to one that does not', async () => {
    const zipped = await app.request('/api/snapshot', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    const body = JSON.parse(await new Response(zipped.body!.pipeThrough(new DecompressionStream('gzip'))).text()) as { data: Record<string, unknown> }
    expect(Object.keys(body.data)).toContain('overview')
    const plain = await app.request('/api/snapshot')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(Object.keys((await plain.json() as { data: Record<string, unknown> }).data)).toContain('overview')
  })

  it('still answers good requests: a search, a case without personal data, heat, cameras in a box', async () => {
    const search = await (await app.request('/api/cases?status=reported&level=urgent&from=2020-01-01&page=1&pageSize=5')).json() as { total: number, cases: { code: string }[] }
    expect(search.total).toBe(1)
    const detail = await (await app.request('/api/cases/7')).json() as Record<string, unknown>
    expect(detail).toMatchObject({ code: 'SJ00000007', level: 'urgent', village: '杨柳村' })
    expect(JSON.stringify(detail)).not.toMatch(/reporter|phone|address|张三/)
    expect((detail.nearestCameras as { name: string, meters: number }[])[0]).toMatchObject({ name: '杨柳村村委会' })
    expect((await app.request('/api/cases/8')).status).toBe(404)
    const heat = await (await app.request('/api/heat?window=today&category=1')).json() as { total: number }
    expect(heat.total).toBe(1)
    const inBox = await (await app.request('/api/cameras?bbox=111.0,29.3,111.1,29.4')).json() as { total: number }
    expect(inBox.total).toBe(1)
    const grids = await (await app.request('/api/grids')).json() as { features: { properties: Record<string, unknown> }[] }
    expect(grids.features).toHaveLength(3)
    expect(JSON.stringify(grids)).not.toMatch(/张三|138000/)
    // A grid's staff for its card: leader first, duty and check-in, never a name or a phone.
    const staff = await (await app.request('/api/grids/1/workers')).json() as { workers: { role: string, dutyStatus: string, lastCheckinAt: string | null }[] }
    expect(staff.workers.map(w => [w.role, w.dutyStatus])).toEqual([['grid_leader', 'off_duty'], ['grid_worker', 'on_duty']])
    expect(Date.now() - Date.parse(staff.workers[1]!.lastCheckinAt!)).toBeGreaterThan(4 * 60_000)
    expect(JSON.stringify(staff)).not.toMatch(/赵六|钱七|139000|29\.35/)
    expect((await (await app.request('/api/grids/3/workers')).json() as { workers: unknown[] }).workers).toEqual([])
    expect((await app.request('/api/grids/99/workers')).status).toBe(404)
    const bad = await app.request('/api/grids/abc/workers')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toMatch(/grid id/)
  })
})
