import type { Database } from '../../server/src/db/types.ts'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { LiveHub } from '../../server/src/live/hub.ts'

function fakeDb(query: Database['query']): Database {
  const unused = () => Promise.reject(new Error('unused'))
  return { kind: 'postgres', query, exec: unused, copyRows: unused, transaction: unused, listen: unused, close: async () => {} }
}

const logger = pino({ level: 'silent' })
const hub = new LiveHub({} as ConstructorParameters<typeof LiveHub>[0], logger)

describe('the HTTP app (without listening)', () => {
  it('says ready when the database answers, and not ready with the reason when it fails', async () => {
    const up = createApp({ config: loadConfig({}), logger, hub, db: fakeDb(async () => ({ rows: [] })) })
    expect(await (await up.request('/api/ready')).json()).toMatchObject({ status: 'ready', database: 'postgres' })

    const down = createApp({ config: loadConfig({}), logger, hub, db: fakeDb(async () => {
      throw new Error('connection refused')
    }) })
    const response = await down.request('/api/ready')
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: { code: 'not_ready', message: 'database (postgres) unreachable: connection refused' } })
  })

  it('answers unknown API paths with a JSON 404, not the screen', async () => {
    const app = createApp({ config: loadConfig({}), logger, hub, db: fakeDb(async () => ({ rows: [] })) })
    const response = await app.request('/api/no-such-thing')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('titles the screen with the configured township', async () => {
    const app = createApp({ config: loadConfig({ TOWNSHIP_NAME: '东岳观镇' }), logger, hub, db: fakeDb(async () => ({ rows: [] })) })
    expect(await (await app.request('/api/config')).json()).toMatchObject({ title: '东岳观镇基层治理指挥中心', systemName: '乡镇基层治理指挥中心' })
  })
})
