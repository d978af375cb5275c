import type { Database } from '../../server/src/db/types.ts'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { AuthService } from '../../server/src/auth/service.ts'
import { LiveHub } from '../../server/src/live/hub.ts'
import { TEST_POLICY } from '../harness/auth.ts'

function fakeDb(query: Database['query']): Database {
  const unused = () => Promise.reject(new Error('unused'))
  return { kind: 'postgres', query, exec: unused, copyRows: unused, transaction: unused, listen: unused, close: async () => {} }
}

const logger = pino({ level: 'silent' })

/** The app's dependencies around a fake database (no cookie is sent, so the auth store is never asked). */
function deps(config: ReturnType<typeof loadConfig>, db: Database) {
  return { config, logger, hub, db, auth: new AuthService(db, TEST_POLICY) }
}
const hub = new LiveHub({} as ConstructorParameters<typeof LiveHub>[0], logger)

describe('the HTTP app (without listening)', () => {
  it('says ready when the database answers, and not ready with the reason when it fails', async () => {
    const up = createApp(deps(loadConfig({}), fakeDb(async () => ({ rows: [] }))))
    expect(await (await up.request('/api/ready')).json()).toMatchObject({ status: 'ready', database: 'postgres' })

    const down = createApp(deps(loadConfig({}), fakeDb(async () => {
      throw new Error('connection refused')
    })))
    const response = await down.request('/api/ready')
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: { code: 'not_ready', message: 'database (postgres) unreachable: connection refused' } })
  })

  it('answers unknown API paths with a JSON 404, not the screen', async () => {
    const app = createApp(deps(loadConfig({}), fakeDb(async () => ({ rows: [] }))))
    const response = await app.request('/api/no-such-thing')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('titles the screen with the configured township', async () => {
    const app = createApp(deps(loadConfig({ TOWNSHIP_NAME: '东岳观镇' }), fakeDb(async () => ({ rows: [] }))))
    expect(await (await app.request('/api/config')).json()).toMatchObject({ title: '东岳观镇基层治理指挥中心', systemName: '乡镇基层治理指挥中心' })
  })
})
