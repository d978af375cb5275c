import type { Database } from '../../server/src/db/types.ts'
import type { RunningProduct } from '../../server/src/server.ts'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import pino from 'pino'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/src/config.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { startProduct } from '../../server/src/server.ts'
import { insertCase, seedMiniTownship } from '../harness/contract.ts'

const logger = pino({ level: 'silent' })

describe('/metrics for the operator (Prometheus text format)', () => {
  let db: Database
  let product: RunningProduct
  let url: string

  beforeAll(async () => {
    db = await openDatabase({})
    await seedMiniTownship(db)
    product = await startProduct(loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO: '0', WALL_ACCESS: 'open', METRICS_TOKEN: 'scrape-token-0123456789' }), db, logger)
    url = `http://127.0.0.1:${product.port}`
  })
  afterAll(async () => {
    await product?.close()
    await db?.close()
  })

  it('is scraped with its token and parses; screens, frames, lag, tables and the database are in it', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401)
    const socket = io(url, { transports: ['websocket'] })
    const frames: unknown[] = []
    socket.on('frame', frame => frames.push(frame))
    await socket.emitWithAck('subscribe', ['cases', 'overview'])
    await insertCase(db, { id: 41, level: 'urgent' })
    const deadline = Date.now() + 10_000
    while (frames.length < 2 && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 50))
    const response = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } })
    socket.close()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const families = new Map(parsePrometheusTextFormat(await response.text()).map(f => [f.name, f]))
    const value = (name: string, labels: Record<string, string> = {}) => Number(families.get(name)?.metrics.find(m => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value)
    expect(value('cc_database_up')).toBe(1)
    expect(value('cc_screens_connected', { kind: 'anonymous' })).toBe(1)
    expect(value('cc_frames_sent_total', { topic: 'cases' })).toBeGreaterThanOrEqual(1)
    expect(value('cc_frame_bytes_sent_total', { topic: 'cases' })).toBeGreaterThan(100)
    expect(value('cc_seconds_since_last_change', { table: 'cases' })).toBeLessThan(10)
    expect(value('cc_snapshot_build_seconds')).toBeGreaterThan(0)
    const lag = families.get('cc_commit_to_push_seconds')!
    expect(lag.type).toBe('HISTOGRAM')
    expect(Number(lag.metrics[0]!.count)).toBeGreaterThanOrEqual(1)
    expect(Number(lag.metrics[0]!.sum)).toBeLessThan(Number(lag.metrics[0]!.count) * 5)
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_active_handles_total', 'process_open_fds'])
      expect(families.has(name), name).toBe(true)
  })
})
