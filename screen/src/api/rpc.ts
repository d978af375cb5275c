import type { ClientResponse } from 'hono/client'
import type { AppType } from '../../../server/src/app.ts'
import { hc } from 'hono/client'

/**
 * The API client of a server (`origin` '' for the page's own), typed by the server's own routes
 * (Hono RPC): a renamed field or a new required parameter on the server breaks the screen's
 * typecheck, not the wall at run time.
 */
export function apiClient(origin = '') {
  return hc<AppType>(`${origin}/api`)
}

/**
 * The page's API client. Example:
 * `const detail = await answer(api.cases[':id'].$get({ param: { id: '7' } }))`.
 */
export const api = apiClient()

/** How the API answers an error: a stable code and a human message. */
interface ErrorAnswer {
  error: { code: string, message: string }
}

/** The JSON a route answers when it succeeds (its error answers left out). */
export type Answer<R> = R extends ClientResponse<infer T, number, 'json'> ? Exclude<T, ErrorAnswer> : never

/** A non-OK answer of the API, with the server's own message and code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string) {
    super(message)
    this.name = 'ApiError'
  }
}

function isErrorAnswer(body: unknown): body is ErrorAnswer {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
}

/**
 * The JSON of a request made with the RPC client; a non-OK answer throws an `ApiError` carrying
 * the server's message (e.g. `/api/cases/7: no case with id 7`).
 */
export async function answer<R extends ClientResponse<unknown, number, 'json'>>(request: Promise<R>): Promise<Answer<R>> {
  const response: ClientResponse<unknown, number, 'json'> = await request
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    const where = response.url ? `${new URL(response.url).pathname}: ` : ''
    const reason = isErrorAnswer(body) ? body.error : { code: null, message: `HTTP ${response.status} ${response.statusText}`.trim() }
    throw new ApiError(response.status, reason.code, `${where}${reason.message}`)
  }
  return body as Answer<R>
}
