import type { ScreenConfig } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { sendError } from './errors.ts'

export const SYSTEM_NAME = '乡镇基层治理指挥中心'

/** Milliseconds `/api/ready` waits for the database before saying it is not ready. */
const READY_TIMEOUT_MS = 2000

/** `/api/health` (the process is alive), `/api/ready` (the database answers), `/api/config` (what the screen shows, and how its map is set up). */
export function systemApi(deps: AppDeps) {
  return new Hono()
    .get('/health', c => c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }))
    .get('/ready', async (c) => {
      const started = performance.now()
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          deps.db.query('select 1'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
          }),
        ])
        return c.json({ status: 'ready' as const, database: deps.db.kind, latencyMs: Math.round(performance.now() - started) })
      }
      catch (error) {
        return sendError(c, 503, 'not_ready', `database (${deps.db.kind}) unreachable: ${(error as Error).message}`)
      }
      finally {
        clearTimeout(timer)
      }
    })
    .get('/config', async (c) => {
      // The configured name wins; else the township the contract describes; else the generic title.
      let townshipName = deps.config.townshipName ?? null
      if (!townshipName) {
        const found = await deps.db.query<{ name: string }>('select name from townships where active order by id limit 1').catch(() => ({ rows: [] }))
        townshipName = found.rows[0]?.name ?? null
      }
      return c.json<ScreenConfig>({ systemName: SYSTEM_NAME, townshipName, title: townshipName ? `${townshipName}基层治理指挥中心` : SYSTEM_NAME, timeZone: deps.config.timeZone, wallAccess: deps.config.wallAccess, map: deps.config.map, map2d: deps.config.map2d, watchdog: deps.config.watchdog })
    })
}
