import type { MapConfig } from '../../../server/src/config.ts'

/** What `/api/config` returns (see server/src/api/system.ts). */
export interface ScreenConfig {
  systemName: string
  townshipName: string | null
  title: string
  /** The 3D map's base layer, attribution, idle behaviour and camera streams. */
  map: MapConfig
}

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
