import type { Queryable } from '../../server/src/db/types.ts'
import { contractSchemaSql } from '../../server/src/contract/tables.ts'

/**
 * A tiny township written by plain SQL, as another system would: one township, two villages, three
 * grids, two categories, two cameras. Enough for the live pipeline's tests; `npm run mock` makes the
 * realistic one.
 */
export async function seedMiniTownship(db: Queryable): Promise<void> {
  await db.exec(contractSchemaSql())
  await db.exec(`
    insert into townships (id, code, name, county_code, county_name, seat_lat, seat_lon, boundary, updated_at)
      values (1, '430821103', '东岳观镇', '430821', '慈利县', 29.40, 111.10, '{"type":"Polygon","coordinates":[[[111.0,29.3],[111.2,29.3],[111.2,29.5],[111.0,29.5],[111.0,29.3]]]}', now());
    insert into villages (id, township_id, code, name, kind, center_lat, center_lon, area_km2, boundary, updated_at) values
      (1, 1, '430821103201', '杨柳村', 'village', 29.35, 111.05, 40, '{"type":"Polygon","coordinates":[[[111.0,29.3],[111.1,29.3],[111.1,29.5],[111.0,29.5],[111.0,29.3]]]}', now()),
      (2, 1, '430821103202', '石门村', 'village', 29.45, 111.15, 40, '{"type":"Polygon","coordinates":[[[111.1,29.3],[111.2,29.3],[111.2,29.5],[111.1,29.5],[111.1,29.3]]]}', now());
    insert into grids (id, village_id, code, name, boundary, label_lat, label_lon, area_km2, worker_name, worker_phone, updated_at) values
      (1, 1, '430821103201001', '杨柳村第1网格', '{"type":"Polygon","coordinates":[[[111.0,29.3],[111.1,29.3],[111.1,29.4],[111.0,29.4],[111.0,29.3]]]}', 29.35, 111.05, 20, '张三', '13800001234', now()),
      (2, 1, '430821103201002', '杨柳村第2网格', '{"type":"Polygon","coordinates":[[[111.0,29.4],[111.1,29.4],[111.1,29.5],[111.0,29.5],[111.0,29.4]]]}', 29.45, 111.05, 20, '李四', '13800005678', now()),
      (3, 2, '430821103202001', '石门村第1网格', '{"type":"Polygon","coordinates":[[[111.1,29.3],[111.2,29.3],[111.2,29.5],[111.1,29.5],[111.1,29.3]]]}', 29.40, 111.15, 40, '王五', '13800009012', now());
    insert into case_categories (id, parent_id, code, name, name_en, updated_at) values
      (1, null, 'safety', '安全隐患', 'Safety hazards', now()),
      (2, 1, 'safety.flood', '防汛隐患', 'Flood hazard', now());
    insert into cameras (id, code, name, kind, lat, lon, village_id, grid_id, status, last_heartbeat_at, updated_at) values
      (1, 'CAM-1', '杨柳村村委会', 'community', 29.35, 111.05, 1, 1, 'online', now(), now()),
      (2, 'CAM-2', '石门村桥头', 'flood', 29.41, 111.16, 2, 3, 'online', now(), now());
    insert into grid_workers (id, grid_id, role, name, phone, duty_status, last_checkin_at, last_checkin_lat, last_checkin_lon, updated_at) values
      (1, 1, 'grid_worker', '赵六', '13900001111', 'on_duty', now() - interval '5 minutes', 29.35, 111.05, now()),
      (2, 1, 'grid_leader', '钱七', '13900002222', 'off_duty', null, null, null, now());
  `)
}

/** Inserts a case as a reporting system would, returning its code. */
export async function insertCase(db: Queryable, options: { id: number, level?: string, gridId?: number, villageId?: number }): Promise<string> {
  const code = `SJ${String(options.id).padStart(8, '0')}`
  await db.query(
    `insert into cases (id, code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, updated_at)
     values ($1, $2, 2, $3, 'app', 29.351, 111.051, $4, $5, 'reported', now(), now())`,
    [options.id, code, options.level ?? 'general', options.gridId ?? 1, options.villageId ?? 1],
  )
  return code
}
