import type { AppType } from '../../../server/src/app.ts'
import { hc } from 'hono/client'

/**
 * The API client, typed by the server's own routes (Hono RPC): a renamed field or a new required
 * parameter on the server breaks the screen's typecheck, not the wall at run time.
 * Example: `const res = await api.cases.$get({ query: { code: 'SJ' } })`.
 */
export const api = hc<AppType>('/api')
