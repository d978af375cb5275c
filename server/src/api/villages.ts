import type { UnitRanking } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { Hono } from 'hono'
import { rankings } from '../metrics/views.ts'

/** `/api/villages`: every village with its live figures (from memory). */
export function villagesApi({ hub }: AppDeps) {
  return new Hono()
    .get('/', c => c.json<{ villages: UnitRanking[] }>({ villages: rankings(hub.engine).villages }))
}
