import type { CameraRow, CaseRow } from '../contract/rows.ts'
import type { CameraPoint, CasePoint } from '../wire/index.ts'
import type { EngineState } from './state.ts'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** A case as the wall sees it: where, what, how urgent, how far along — never who. */
export function casePoint(engine: EngineState, c: CaseRow): CasePoint {
  const category = engine.categories.get(c.category_id)
  return {
    id: c.id,
    code: c.code,
    categoryId: c.category_id,
    category: category?.name ?? String(c.category_id),
    categoryEn: category?.name_en ?? category?.name ?? String(c.category_id),
    level: c.level,
    status: c.status,
    source: c.source,
    lon: c.lon,
    lat: c.lat,
    villageId: c.village_id,
    village: c.village_id === null ? null : engine.villages.get(c.village_id)?.name ?? null,
    gridId: c.grid_id,
    grid: c.grid_id === null ? null : engine.grids.get(c.grid_id)?.name ?? null,
    reportedAt: new Date(c.reported_at).toISOString(),
    slaDeadline: iso(c.sla_deadline),
    closedAt: iso(c.closed_at),
  }
}

/** A camera as screens see it (its stream's URL stays on the server). */
export function cameraPoint(c: CameraRow): CameraPoint {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    kind: c.kind,
    lon: c.lon,
    lat: c.lat,
    villageId: c.village_id,
    gridId: c.grid_id,
    status: c.status,
    lastHeartbeatAt: iso(c.last_heartbeat_at),
    hasStream: c.stream_url !== null && c.stream_url !== '',
  }
}
