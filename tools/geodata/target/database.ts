import type { Database, Queryable } from '../../../server/src/db/types.ts'
import type { Context, ContextUnit } from '../checks/index.ts'
import type { Divisions } from '../divisions.ts'
import type { Level, Unit } from '../types.ts'
import type { Layers, WriteOptions, WriteSummary } from './shared.ts'
import { villageKind } from '../checks/codes.ts'
import { UsageError } from '../errors.ts'
import { LEVELS } from '../types.ts'
import { derived, geometryOf, insideParts, partsOfStored, sameAsStored } from './shared.ts'

/** A row of townships, villages or grids as the tool reads it. */
interface StoredRow {
  code: string
  name: string
  parent: string | null
  boundary: unknown
  active: boolean
  /** Seat (townships), centre (villages) or label point (grids). */
  lat: number | null
  lon: number | null
  kind: string | null
  area_km2: number | null
  county_name: string | null
}

const SELECT: Record<Level, string> = {
  township: `select t.code, t.name, t.county_code as parent, t.boundary, t.active, t.seat_lat as lat, t.seat_lon as lon, null as kind, null as area_km2, t.county_name from townships t`,
  village: `select v.code, v.name, t.code as parent, v.boundary, v.active, v.center_lat as lat, v.center_lon as lon, v.kind, v.area_km2, null as county_name from villages v join townships t on t.id = v.township_id`,
  grid: `select g.code, g.name, v.code as parent, g.boundary, g.active, g.label_lat as lat, g.label_lon as lon, null as kind, g.area_km2, null as county_name from grids g join villages v on v.id = g.village_id`,
}

async function rowsOf(db: Queryable, level: Level, where: string, params: unknown[]): Promise<StoredRow[]> {
  const table = { township: 't', village: 'v', grid: 'g' }[level]
  const sql = `${SELECT[level]} where ${where.replaceAll('$code', `${table}.code`).replaceAll('$parent', level === 'township' ? 't.county_code' : level === 'village' ? 't.code' : 'v.code').replaceAll('$active', `${table}.active`)} order by 1`
  return (await db.query<StoredRow>(sql, params)).rows
}

function contextUnit(row: StoredRow): ContextUnit {
  return { code: row.code, name: row.name, parent: row.parent ?? undefined, parts: partsOfStored(row.boundary) }
}

/** Refuses (UsageError) a database without the contract's boundary tables. */
export async function assertContract(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ missing: string | null }>(`select string_agg(t, ', ') as missing from unnest(array['townships', 'villages', 'grids']) as t where to_regclass(t) is null`)
  if (rows[0]?.missing)
    throw new UsageError(`the database has no ${rows[0].missing} table: create the contract (server/src/contract/schema.sql) first`)
}

/** What the database holds around the imported units, and their existing rows by code. */
export async function readDatabaseContext(db: Queryable, units: readonly Unit[], level: Level, retireMissing: boolean): Promise<{ context: Context, existing: Map<string, StoredRow> }> {
  await assertContract(db)
  const codes = units.map(u => u.code).filter(Boolean)
  const parentCodes = [...new Set(units.flatMap(u => u.parent ?? []))]
  const existing = new Map((await rowsOf(db, level, '$code = any($1)', [codes])).map(r => [r.code, r]))
  const siblingWhere = level === 'township' ? '$active and $code <> all($1)' : '$active and $code <> all($1) and $parent = any($2)'
  const siblings = retireMissing ? [] : await rowsOf(db, level, siblingWhere, level === 'township' ? [codes] : [codes, parentCodes])
  const parentLevel = LEVELS[LEVELS.indexOf(level) - 1]
  const parents = parentLevel ? await rowsOf(db, parentLevel, '$code = any($1)', [parentCodes]) : []
  const childLevel = LEVELS[LEVELS.indexOf(level) + 1]
  const children = childLevel ? await rowsOf(db, childLevel, '$active and $parent = any($1)', [codes]) : []
  return {
    context: { parents: new Map(parents.map(r => [r.code, contextUnit(r)])), siblings: siblings.map(contextUnit), children: children.map(contextUnit), hasTarget: true },
    existing,
  }
}

type Upsert = (tx: Queryable, unit: Unit, row: StoredRow | undefined) => Promise<void>

function upserts(options: WriteOptions, divisions: Divisions): Record<Level, Upsert> {
  const values = (unit: Unit, row: StoredRow | undefined): { geometry: string, area: number, point: [number, number] } => {
    const { areaKm2, label } = derived(unit, options.frame)
    const keep = row && insideParts([row.lon!, row.lat!], unit.parts)
    return { geometry: JSON.stringify(geometryOf(unit.parts, true)), area: areaKm2, point: keep ? [row.lon!, row.lat!] : label }
  }
  return {
    township: async (tx, unit, row) => {
      const v = values(unit, row)
      if (row)
        await tx.query('update townships set name = $2, boundary = $3::jsonb, seat_lat = $4, seat_lon = $5, active = true, updated_at = clock_timestamp() where code = $1', [unit.code, unit.name, v.geometry, v.point[1], v.point[0]])
      else
        await tx.query('insert into townships (id, code, name, county_code, county_name, seat_lat, seat_lon, boundary, active, updated_at) values ((select coalesce(max(id), 0) + 1 from townships), $1, $2, $3, $4, $5, $6, $7::jsonb, true, clock_timestamp())', [unit.code, unit.name, unit.code.slice(0, 6), divisions.counties.get(unit.code.slice(0, 6)) ?? unit.code.slice(0, 6), v.point[1], v.point[0], v.geometry])
    },
    village: async (tx, unit, row) => {
      const v = values(unit, row)
      if (row)
        await tx.query('update villages set name = $2, kind = $3, boundary = $4::jsonb, area_km2 = $5, center_lat = $6, center_lon = $7, active = true, updated_at = clock_timestamp() where code = $1', [unit.code, unit.name, villageKind(unit.code), v.geometry, v.area, v.point[1], v.point[0]])
      else
        await tx.query('insert into villages (id, township_id, code, name, kind, center_lat, center_lon, area_km2, boundary, active, updated_at) values ((select coalesce(max(id), 0) + 1 from villages), (select id from townships where code = $1), $2, $3, $4, $5, $6, $7, $8::jsonb, true, clock_timestamp())', [unit.parent, unit.code, unit.name, villageKind(unit.code), v.point[1], v.point[0], v.area, v.geometry])
    },
    grid: async (tx, unit, row) => {
      const v = values(unit, undefined)
      if (row)
        await tx.query('update grids set name = $2, boundary = $3::jsonb, label_lat = $4, label_lon = $5, area_km2 = $6, active = true, updated_at = clock_timestamp() where code = $1', [unit.code, unit.name, v.geometry, v.point[1], v.point[0], v.area])
      else
        await tx.query('insert into grids (id, village_id, code, name, boundary, label_lat, label_lon, area_km2, active, updated_at) values ((select coalesce(max(id), 0) + 1 from grids), (select id from villages where code = $1), $2, $3, $4::jsonb, $5, $6, $7, true, clock_timestamp())', [unit.parent, unit.code, unit.name, v.geometry, v.point[1], v.point[0], v.area])
    },
  }
}

const RETIRE: Record<Level, string> = {
  township: `update townships set active = false, updated_at = clock_timestamp() where active and code <> all($1) returning code`,
  village: `update villages set active = false, updated_at = clock_timestamp() where active and code <> all($1) and township_id in (select id from townships where code = any($2)) returning code`,
  grid: `update grids set active = false, updated_at = clock_timestamp() where active and code <> all($1) and village_id in (select id from villages where code = any($2)) returning code`,
}

const TABLE: Record<Level, string> = { township: 'townships', village: 'villages', grid: 'grids' }

/**
 * Writes the validated units in one transaction: updates the rows whose code matches (boundary, name,
 * label point or centre, area, active, updated_at), inserts the new ones, retires missing ones only
 * with `retireMissing`; on any error nothing is written. Rows whose name and boundary are unchanged
 * are left alone (no needless change for the screens).
 */
export async function writeDatabase(db: Database, units: readonly Unit[], existing: ReadonlyMap<string, StoredRow>, options: WriteOptions, divisions: Divisions): Promise<WriteSummary> {
  const summary: WriteSummary = { inserted: [], updated: [], unchanged: [], retired: [] }
  const upsert = upserts(options, divisions)[options.level]
  await db.transaction(async (tx) => {
    for (const unit of units) {
      const row = existing.get(unit.code)
      if (row?.active && sameAsStored(row.boundary, row.name, unit)) {
        summary.unchanged.push(unit.code)
        continue
      }
      await upsert(tx, unit, row)
      ;(row ? summary.updated : summary.inserted).push(unit.code)
    }
    if (options.retireMissing) {
      const parents = options.parent ? [options.parent] : [...new Set(units.flatMap(u => u.parent ?? []))]
      summary.retired = (await tx.query<{ code: string }>(RETIRE[options.level], [units.map(u => u.code), parents])).rows.map(r => r.code)
    }
    if (summary.inserted.length > 0)
      await tx.query(`select setval(pg_get_serial_sequence('${TABLE[options.level]}', 'id'), (select max(id) from ${TABLE[options.level]}))`)
  })
  return summary
}

/** The active boundaries in the database (of one township and its villages and grids, when given). */
export async function readDatabaseLayers(db: Queryable, township: string | undefined): Promise<Layers> {
  await assertContract(db)
  const layers: Layers = { township: [], village: [], grid: [] }
  for (const level of LEVELS) {
    const rows = await rowsOf(db, level, township ? '$active and $code like $1' : '$active', township ? [`${township}%`] : [])
    layers[level] = rows.map(r => ({
      code: r.code,
      name: r.name,
      parent: r.parent ?? undefined,
      parts: partsOfStored(r.boundary),
      properties: level === 'township'
        ? { code: r.code, name: r.name, county: r.county_name, seat: [r.lon, r.lat] }
        : level === 'village'
          ? { code: r.code, name: r.name, kind: r.kind, center: [r.lon, r.lat], areaKm2: r.area_km2 }
          : { code: r.code, name: r.name, villageCode: r.parent, labelPoint: [r.lon, r.lat], areaKm2: r.area_km2 },
    }))
  }
  return layers
}
