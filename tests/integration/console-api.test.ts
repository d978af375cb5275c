import type { ConsoleCaseDetail, QueueCase } from '#wire'
import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskName } from '../../server/src/auth/masking.ts'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'
import { createTestDatabase, postgresAvailable } from '../harness/postgres.ts'

const logger = pino({ level: 'silent' })
const pgReachable = await postgresAvailable()
const PASSWORD = 'Correct-Horse-9'

/** The queue by the test's own SQL: open cases, filtered, most urgent first. */
async function queueBySql(db: Database, where = 'true', params: unknown[] = []): Promise<number[]> {
  const result = await db.query<{ id: string | number }>(`
    select c.id from cases c left join villages v on v.id = c.village_id left join grids g on g.id = c.grid_id join case_categories cc on cc.id = c.category_id
    where c.status in ('reported', 'accepted', 'dispatched', 'processing', 'fed_back') and (${where})
    order by case c.level when 'urgent' then 0 when 'major' then 1 when 'serious' then 2 else 3 end,
      c.sla_deadline nulls last, c.reported_at, c.id`, params)
  return result.rows.map(r => Number(r.id))
}

/** Great-circle distance, written here independently of the server's. */
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = (d: number) => d * Math.PI / 180
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a))
}

describe.each(['pglite', 'postgres'] as const)('the dispatch console\'s API on %s', (kind) => {
  const skip = kind === 'postgres' && !pgReachable
  let testDb: TestDatabase | undefined
  let db: Database
  let product: RunningProduct
  let url: string
  const cookies = new Map<string, string>()
  const call = (who: string, path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', 'cookie': cookies.get(who) ?? '', ...init.headers } })

  beforeAll(async () => {
    if (skip)
      return
    testDb = kind === 'postgres' ? await createTestDatabase() : undefined
    db = await openDatabase(testDb ? { url: testDb.url } : {})
    await seedMiniTownship(db)
    // Cases in every state the queue orders by: levels, deadlines passed / near / far / none, a closed one.
    const cases: [number, string, string, string | null][] = [
      [1, 'general', 'dispatched', `now() + interval '30 hours'`],
      [2, 'urgent', 'dispatched', `now() - interval '1 hour'`],
      [3, 'urgent', 'reported', null],
      [4, 'serious', 'processing', `now() + interval '90 minutes'`],
      [5, 'major', 'accepted', null],
      [6, 'general', 'closed', `now() - interval '3 hours'`],
      [7, 'serious', 'fed_back', `now() + interval '5 hours'`],
    ]
    for (const [id, level, status, due] of cases) {
      await insertCase(db, { id, level, gridId: id % 2 === 0 ? 3 : 1, villageId: id % 2 === 0 ? 2 : 1 })
      await db.query(`update cases set status = $2, sla_deadline = ${due ?? 'null'}, dispatched_at = case when ${due === null ? 'false' : 'true'} then now() - interval '2 hours' end, accepted_at = case when $2 <> 'reported' then now() - interval '3 hours' end, closed_at = case when $2 = 'closed' then now() end, reported_at = now() - interval '4 hours', reporter_phone = $3 where id = $1`, [id, status, `1390000${String(id).padStart(4, '0')}`])
    }
    await db.query(`update grid_workers set duty_status = 'on_duty', last_checkin_at = now() - interval '20 minutes', last_checkin_lat = 29.44, last_checkin_lon = 111.16 where id = 2`)
    await db.query(`insert into grid_workers (id, grid_id, role, name, phone, duty_status, last_checkin_at, last_checkin_lat, last_checkin_lon, updated_at) values (3, 3, 'grid_worker', '孙八', '13900003333', 'on_duty', now() - interval '5 minutes', 29.40, 111.15, now()), (4, 2, 'grid_worker', '周九', '13900004444', 'off_duty', now(), 29.351, 111.051, now())`)
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', CASE_WRITEBACK: '1', CHANGE_CAPTURE: 'poll', POLL_INTERVAL_MS: '200', ADMIN_PASSWORD: PASSWORD }), db, logger)
    url = `http://127.0.0.1:${product.port}`
    for (const role of ['dispatcher', 'leader', 'admin'] as const) {
      // The administrator is the first-start one (ADMIN_PASSWORD).
      const username = role === 'admin' ? 'admin' : `${role}1`
      if (role !== 'admin')
        await product.auth.addUser(username, role, PASSWORD, 'test')
      const response = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
      cookies.set(role, response.headers.get('set-cookie')!.split(';')[0]!)
    }
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
    await testDb?.drop()
  })

  const queue = async (who: string, query = '') => (await (await call(who, `/api/console/queue${query}`)).json() as { cases: QueueCase[] }).cases

  it.skipIf(skip)('orders the queue by urgency, and its filters and search equal the same query in SQL', async () => {
    expect((await queue('dispatcher')).map(c => c.id)).toEqual(await queueBySql(db))
    expect((await queue('dispatcher')).map(c => c.id).slice(0, 2)).toEqual([2, 3]) // urgent and overdue, then urgent not yet dispatched
    expect((await queue('dispatcher', '?level=serious,general')).map(c => c.id)).toEqual(await queueBySql(db, `c.level in ('serious', 'general')`))
    expect((await queue('dispatcher', '?status=dispatched')).map(c => c.id)).toEqual(await queueBySql(db, `c.status = 'dispatched'`))
    expect((await queue('dispatcher', '?village=2')).map(c => c.id)).toEqual(await queueBySql(db, 'c.village_id = 2'))
    expect((await queue('dispatcher', '?sla=overdue')).map(c => c.id)).toEqual(await queueBySql(db, 'c.sla_deadline < now()'))
    expect((await queue('dispatcher', '?sla=due_2h')).map(c => c.id)).toEqual(await queueBySql(db, `c.sla_deadline >= now() and c.sla_deadline <= now() + interval '2 hours'`))
    expect((await queue('dispatcher', '?sla=not_started')).map(c => c.id)).toEqual(await queueBySql(db, 'c.sla_deadline is null'))
    expect((await queue('dispatcher', '?reported=today')).map(c => c.id)).toEqual(await queueBySql(db, `c.reported_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')`))
    expect((await queue('dispatcher', `?q=${encodeURIComponent('石门')}`)).map(c => c.id)).toEqual(await queueBySql(db, `v.name like '%石门%' or g.name like '%石门%'`))
    expect((await queue('dispatcher', '?q=SJ00000004')).map(c => c.id)).toEqual([4])
    // A reporter's phone tail: for a role that may reveal it, not for one that may not.
    expect((await queue('dispatcher', '?q=0005')).map(c => c.id)).toEqual([5])
    expect((await queue('leader', '?q=0005')).map(c => c.id)).toEqual([])
    // 桥头 is a camera in 石门村第1网格: its cases.
    expect((await queue('dispatcher', `?q=${encodeURIComponent('桥头')}`)).map(c => c.id)).toEqual(await queueBySql(db, 'c.grid_id = 3'))
    expect((await call('dispatcher', '/api/console/queue?sla=late')).status).toBe(400)
  })

  it.skipIf(skip)('shows a case inserted by SQL in the queue within 3 s, in its place by urgency', async () => {
    const started = Date.now()
    await insertCase(db, { id: 20, level: 'urgent', gridId: 2 })
    let ids: number[] = []
    while (Date.now() - started < 3000) {
      ids = (await queue('dispatcher')).map(c => c.id)
      if (ids.includes(20))
        break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    expect(ids).toEqual(await queueBySql(db))
    expect(ids.indexOf(20)).toBeLessThan(ids.indexOf(4))
  })

  it.skipIf(skip)('gives the dispatcher the case with personal fields masked, its grid staff and the nearest on-duty workers', async () => {
    const detail = await (await call('dispatcher', '/api/console/cases/4')).json() as ConsoleCaseDetail
    expect(detail.reporter.phone).toBe('139****0004')
    expect(JSON.stringify(detail)).not.toMatch(/13900000004|赵六|钱七|孙八|13900001111/)
    // Case 4 is in 石门村第1网格, whose staff is worker 3 (孙八), shown masked.
    expect(detail.responsible.map(p => ({ id: p.id, name: p.name, phone: p.phone }))).toEqual([{ id: 3, name: '孙*', phone: '139****3333' }])
    const workers = (await db.query<{ id: number, last_checkin_lat: number, last_checkin_lon: number }>(`select id, last_checkin_lat, last_checkin_lon from grid_workers where active and duty_status = 'on_duty' and last_checkin_lat is not null`)).rows
    const place = (await db.query<{ lat: number, lon: number }>('select lat, lon from cases where id = 4')).rows[0]!
    const brute = workers.map(w => ({ id: Number(w.id), meters: Math.round(haversine(place.lon, place.lat, w.last_checkin_lon, w.last_checkin_lat)) })).sort((a, b) => a.meters - b.meters || a.id - b.id)
    expect(detail.nearestOnDuty.map(p => ({ id: p.id, meters: p.meters }))).toEqual(brute.slice(0, 5))
    expect(detail.nearestOnDuty.every(p => p.dutyStatus === 'on_duty' && /\*/.test(p.name ?? '*'))).toBe(true)
    expect(detail.actions).toEqual(['fed_back'])
    // A leader sees the console too; a display does not.
    expect((await call('leader', '/api/console/cases/4')).status).toBe(200)
    expect((await call('nobody', '/api/console/cases/4')).status).toBe(401)
  })

  it.skipIf(skip)('moves a case only along the lifecycle, writing the case and its history in one go', async () => {
    const before = await db.query('select status, updated_at from cases where id = 5')
    const illegal = await call('dispatcher', '/api/console/cases/5/actions', { method: 'POST', body: JSON.stringify({ to: 'closed' }) })
    expect(illegal.status).toBe(409)
    expect(await illegal.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/受理立案.*cannot move to 核查结案/) } })
    expect((await db.query('select status, updated_at from cases where id = 5')).rows).toEqual(before.rows)
    const legal = await call('dispatcher', '/api/console/cases/5/actions', { method: 'POST', body: JSON.stringify({ to: 'dispatched', workerId: 1 }) })
    expect(legal.status).toBe(200)
    const row = (await db.query<{ status: string, sla_deadline: Date | null }>('select status, sla_deadline from cases where id = 5')).rows[0]!
    expect(row.status).toBe('dispatched')
    expect(row.sla_deadline).not.toBeNull()
    const events = (await db.query<{ from_status: string, to_status: string, actor_role: string, note: string }>('select from_status, to_status, actor_role, note from case_events where case_id = 5')).rows
    expect(events).toEqual([{ from_status: 'accepted', to_status: 'dispatched', actor_role: 'dispatcher', note: '派遣至网格员#1' }])
    // The detail names whom it went to, masked like every person in it.
    const worker = (await db.query<{ name: string }>('select name from grid_workers where id = 1')).rows[0]!
    const after = await (await call('dispatcher', '/api/console/cases/5')).json() as ConsoleCaseDetail
    expect(after.dispatchedTo).toMatchObject({ id: 1, name: maskName(worker.name) })
    // Nobody to dispatch to: refused, nothing written.
    const ghost = await call('dispatcher', '/api/console/cases/5/actions', { method: 'POST', body: JSON.stringify({ to: 'processing', workerId: 999_999 }) })
    expect(ghost.status).toBe(409)
    expect((await db.query('select status from cases where id = 5')).rows[0]).toEqual({ status: 'dispatched' })
    // Every move asked for is audited, refused ones too: who, role, the case, where to.
    const moves = (await product.auth.audit.records()).filter(r => r.action === 'case.action' && r.target === 'case:5')
    expect(moves.map(r => `${r.actor}:${r.role}:${r.outcome}:${(r.details as { to: string }).to}`)).toEqual(['dispatcher1:dispatcher:failure:closed', 'dispatcher1:dispatcher:success:dispatched', 'dispatcher1:dispatcher:failure:processing'])
    // The leader may look, not act.
    expect((await call('leader', '/api/console/cases/5/actions', { method: 'POST', body: JSON.stringify({ to: 'processing' }) })).status).toBe(403)
    // An administrator may act too; the history says so in the contract's terms (the command centre, 乡镇综合指挥室), not "dispatcher".
    expect((await call('admin', '/api/console/cases/3/actions', { method: 'POST', body: JSON.stringify({ to: 'accepted' }) })).status).toBe(200)
    expect((await db.query('select from_status, to_status, actor_role from case_events where case_id = 3')).rows).toEqual([{ from_status: 'reported', to_status: 'accepted', actor_role: 'township' }])
    expect((await product.auth.audit.records()).filter(r => r.action === 'case.action' && r.target === 'case:3').map(r => `${r.actor}:${r.role}:${r.outcome}`)).toEqual(['admin:admin:success'])
    // The queue follows through the change capture.
    const started = Date.now()
    while (Date.now() - started < 3000 && (await queue('dispatcher')).find(c => c.id === 5)?.status !== 'dispatched')
      await new Promise(resolve => setTimeout(resolve, 100))
    expect((await queue('dispatcher')).find(c => c.id === 5)).toMatchObject({ status: 'dispatched', sla: 'on_time' })
  })

  it.skipIf(skip)('pushes a case to every wall and releases it, both audited', async () => {
    const wall = io(url, { transports: ['websocket'] })
    const pushes: unknown[] = []
    wall.on('frame', (frame: { topic: string, data: unknown }) => {
      if (frame.topic === 'push')
        pushes.push(frame.data)
    })
    await wall.emitWithAck('subscribe', ['push'])
    const sent = await call('dispatcher', '/api/wall/push', { method: 'POST', body: JSON.stringify({ caseId: 2 }) })
    expect(sent.status).toBe(200)
    const started = Date.now()
    while (pushes.length === 0 && Date.now() - started < 2000)
      await new Promise(resolve => setTimeout(resolve, 20))
    expect(pushes[0]).toMatchObject({ push: { caseId: 2, case: { code: 'SJ00000002' }, by: 'dispatcher' } })
    expect(JSON.stringify(pushes[0])).not.toMatch(/1390000|dispatcher1/)
    expect((await call('leader', '/api/wall/push', { method: 'POST', body: JSON.stringify({ caseId: 2 }) })).status).toBe(403)
    expect((await call('dispatcher', '/api/wall/push', { method: 'DELETE' })).status).toBe(200)
    while (pushes.length < 2 && Date.now() - started < 4000)
      await new Promise(resolve => setTimeout(resolve, 20))
    expect(pushes[1]).toEqual({ push: null })
    wall.close()
    const audited = (await product.auth.audit.records()).filter(r => r.action.startsWith('wall.')).map(r => `${r.action}:${r.actor}`)
    expect(audited).toEqual(['wall.push:dispatcher1', 'wall.release:dispatcher1'])
  })
})
