import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Stable error codes of the API; clients switch on `code`, people read `message`. */
export type ErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'locked' | 'rate_limited' | 'not_ready' | 'internal'

export interface ApiErrorBody {
  error: { code: ErrorCode, message: string }
}

/** Sends an error as JSON: `{ "error": { "code", "message" } }`. */
export function sendError(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string) {
  return c.json<ApiErrorBody>({ error: { code, message } }, status)
}
