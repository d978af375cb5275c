import type { Database } from '../../server/src/db/types.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { startSimulator } from '../../mock/simulate.ts'
import { planOf } from '../../mock/simulate/lifecycle.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { isLegalTransition } from '../../server/src/domain/lifecycle.ts'
import { fixtureGeography } from '../unit/fixtures/geography.ts'

/** The simulator, at demo speed on the embedded database, writes only what the lifecycle allows. */
describe('live simulator', () => {
  let db: Database

  beforeAll(async () => {
    db = await openDatabase()
    // Seeded as of the present: the simulator writes with the real clock.
    await seedDatabase(db, generateTownshipData(fixtureGeography(), { seed: 3, now: new Date(Date.now() - 60_000), scale: 0.03 }))
  })
  afterAll(async () => {
    await db?.close()
  })

  const count = async (table: string): Promise<number> => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n

  it('writes reports, transitions, check-ins, camera flaps and alarms, all along legal lifecycle steps', async () => {
    const before = { cases: await count('cases'), events: await count('case_events'), alarms: await count('iot_alarms'), maxId: (await db.query<{ id: number }>(`select max(id)::int as id from cases`)).rows[0]!.id }
    const errors: unknown[] = []
    const simulator = startSimulator(db, { speed: 3000, rate: 400, seed: 1, heartbeatSeconds: 1, onError: e => errors.push(e) })
    await simulator.ready
    await new Promise(resolve => setTimeout(resolve, 5000))
    await simulator.stop()
    expect(errors).toEqual([])
    const stats = simulator.stats
    expect(stats.reports).toBeGreaterThan(0)
    expect(stats.transitions).toBeGreaterThan(0)
    expect(stats.checkins).toBeGreaterThan(0)
    expect(await count('cases')).toBe(before.cases + stats.reports)
    expect(await count('case_events')).toBe(before.events + stats.reports + stats.transitions)
    expect(await count('iot_alarms')).toBe(before.alarms + stats.alarmsRaised)

    const { rows } = await db.query<{ case_id: number, from_status: string | null, to_status: string, at: Date }>(
      `select case_id, from_status, to_status, at from case_events order by case_id, at, id`,
    )
    const problems: string[] = []
    const last = new Map<number, { to: string, at: number }>()
    for (const e of rows) {
      if (!isLegalTransition(e.from_status as never, e.to_status as never))
        problems.push(`case ${e.case_id}: illegal ${e.from_status} → ${e.to_status}`)
      const previous = last.get(e.case_id)
      if (previous && (previous.to !== e.from_status || previous.at >= new Date(e.at).getTime()))
        problems.push(`case ${e.case_id}: ${e.from_status} → ${e.to_status} does not follow ${previous.to}`)
      last.set(e.case_id, { to: e.to_status, at: new Date(e.at).getTime() })
    }
    expect(problems.slice(0, 5)).toEqual([])
    const { rows: cases } = await db.query<{ id: number, status: string }>(`select id, status from cases`)
    const mismatched = cases.filter(c => last.get(c.id)?.to !== c.status)
    expect(mismatched.slice(0, 5)).toEqual([])

    // Every case the simulator filed lives the plan the generator would give it (its statuses and who moved it).
    const { rows: filed } = await db.query<{ id: number, level: 'general', source: 'app', reported_at: Date, statuses: string[], actors: string[] }>(
      `select c.id, c.level, c.source, c.reported_at, array_agg(e.to_status order by e.at, e.id) as statuses, array_agg(e.actor_role order by e.at, e.id) as actors
       from cases c join case_events e on e.case_id = c.id where c.id > $1 group by c.id`,
      [before.maxId],
    )
    expect(filed.length).toBe(stats.reports)
    const strays = filed.filter((c) => {
      const planned = planOf({ ...c, status: 'reported' }).steps.slice(0, c.statuses.length)
      return planned.map(s => s.to).join() !== c.statuses.join() || planned.map(s => s.actor).join() !== c.actors.join()
    })
    expect(strays.slice(0, 3)).toEqual([])

    const { rows: cams } = await db.query<{ online: number }>(`select avg(case when status = 'offline' then 0 else 1 end)::float8 as online from cameras`)
    expect(cams[0]!.online).toBeGreaterThan(0.9)
  })
})
