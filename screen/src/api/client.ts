import type { InferResponseType } from 'hono/client'
import type { api } from './rpc.ts'

/** What `/api/config` returns, inferred from the server's own route (no hand-copied interface). */
export type ScreenConfig = InferResponseType<typeof api.config.$get, 200>

/** GET a JSON endpoint of the server; throws with the server's message on an error answer. */
export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } })
  const body = await response.json().catch(() => null) as T | { error?: { message?: string } } | null
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? response.statusText
    throw new Error(`${path}: ${message}`)
  }
  return body as T
}
