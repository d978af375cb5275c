import type { Geometry } from 'geojson'
import type { Database, SqlJsStatic, SqlValue } from 'sql.js'
import type { Parts, SourceData, SourceFeature } from '../types.ts'
import initSqlJs from 'sql.js'
import wkx from 'wkx'
import { UsageError } from '../errors.ts'
import { bbox } from '../geometry.ts'
import { fieldsOf, partsOf } from './geojson.ts'

/**
 * GeoPackage read and written with sql.js (SQLite in WebAssembly: no native build) and wkx for the
 * geometry's WKB; the GeoPackage header around the WKB (OGC 12-128r18 §2.1.3) is a few bytes read here.
 */

let sqlJs: Promise<SqlJsStatic> | undefined
const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= initSqlJs())

const ENVELOPE_BYTES = [0, 32, 48, 48, 64]

/** The geometry in a GeoPackage geometry blob (null for an empty one). */
export function decodeGpkgGeometry(blob: Uint8Array): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50)
    throw new Error('not a GeoPackage geometry (no "GP" magic)')
  const flags = blob[3]!
  if (flags & 0x10)
    return null
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07]
  if (envelope === undefined)
    throw new Error(`invalid envelope code in flags ${flags}`)
  const wkb = Buffer.from(blob.buffer, blob.byteOffset + 8 + envelope, blob.length - 8 - envelope)
  return wkx.Geometry.parse(wkb).toGeoJSON() as Geometry
}

/** A GeoPackage geometry blob (little-endian, with an [minx, maxx, miny, maxy] envelope) of a geometry. */
export function encodeGpkgGeometry(geometry: Geometry, srsId: number): Uint8Array {
  const wkb = wkx.Geometry.parseGeoJSON(geometry).toWkb()
  const points = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.type === 'MultiPolygon' ? geometry.coordinates.flat(2) : []
  const [minX, minY, maxX, maxY] = bbox(points)
  const header = Buffer.alloc(8 + 32)
  header.write('GP', 0, 'latin1')
  header.writeUInt8(0, 2)
  header.writeUInt8(0x03, 3)
  header.writeInt32LE(srsId, 4)
  ;[minX, maxX, minY, maxY].forEach((v, i) => header.writeDoubleLE(v, 8 + 8 * i))
  return new Uint8Array(Buffer.concat([header, wkb]))
}

function rows(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = db.prepare(sql, params)
  const out: Record<string, SqlValue>[] = []
  while (statement.step())
    out.push(statement.getAsObject())
  statement.free()
  return out
}

function pickTable(db: Database, path: string, layer: string | undefined): { table: string, column: string, srsId: number } {
  const tables = rows(db, `select c.table_name as t, g.column_name as c, g.srs_id as s from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name where c.data_type = 'features' order by c.table_name`)
  const names = tables.map(t => String(t.t))
  if (tables.length === 0)
    throw new UsageError(`${path} is a GeoPackage without feature tables`)
  const picked = layer !== undefined ? tables.find(t => t.t === layer) : tables.length === 1 ? tables[0] : undefined
  if (!picked) {
    throw new UsageError(layer !== undefined
      ? `${path} has no feature table "${layer}" (${names.join(', ')})`
      : `${path} holds ${tables.length} feature tables: choose one with --layer (${names.join(', ')})`)
  }
  return { table: String(picked.t), column: String(picked.c), srsId: Number(picked.s) }
}

function srsHint(db: Database, srsId: number): SourceData['crs'] {
  const srs = rows(db, 'select organization as o, organization_coordsys_id as id, definition as d from gpkg_spatial_ref_sys where srs_id = ?', [srsId])[0]
  if (!srs)
    return srsId > 0 ? { epsg: srsId, source: 'gpkg srs_id' } : undefined
  if (String(srs.o).toUpperCase() === 'EPSG' && Number(srs.id) > 0)
    return { epsg: Number(srs.id), source: 'gpkg_spatial_ref_sys' }
  const definition = String(srs.d ?? '')
  return definition && definition !== 'undefined' ? { definition, source: 'gpkg_spatial_ref_sys' } : undefined
}

function featureOf(row: Record<string, SqlValue>, column: string, index: number, path: string): SourceFeature {
  const blob = row[column]
  let geometry: Geometry | null = null
  if (blob instanceof Uint8Array) {
    try {
      geometry = decodeGpkgGeometry(blob)
    }
    catch (error) {
      throw new UsageError(`${path}, feature ${index}: unreadable geometry (${(error as Error).message})`)
    }
  }
  const properties = Object.fromEntries(Object.entries(row).filter(([k]) => k !== column && k !== 'fid'))
  return { index, properties, parts: partsOf(geometry, `${path}, feature ${index}`), geometryType: geometry?.type ?? 'none' }
}

/** Reads the feature table of a GeoPackage (the one named by `layer` when there are several). */
export async function readGpkg(bytes: Uint8Array, path: string, layer: string | undefined): Promise<SourceData> {
  const SQL = await loadSqlJs()
  let db: Database
  try {
    db = new SQL.Database(bytes)
    rows(db, 'select count(*) from gpkg_contents')
  }
  catch (error) {
    throw new UsageError(`${path} is not a readable GeoPackage (${(error as Error).message})`)
  }
  try {
    const { table, column, srsId } = pickTable(db, path, layer)
    const features = rows(db, `select * from "${table.replace(/"/g, '""')}"`).map((row, i) => featureOf(row, column, i + 1, path))
    return { format: 'gpkg', path, layer: table, features, fields: fieldsOf(features), crs: srsHint(db, srsId), orientationByFormat: false }
  }
  finally {
    db.close()
  }
}

/** A feature to write: parts in the file's coordinates and text or number attributes. */
export interface GpkgFeature {
  parts: Parts
  properties: Record<string, string | number | null | undefined>
}

const SRS_TABLES = `
  create table gpkg_spatial_ref_sys (srs_name text not null, srs_id integer primary key, organization text not null,
    organization_coordsys_id integer not null, definition text not null, description text);
  create table gpkg_contents (table_name text not null primary key, data_type text not null, identifier text unique,
    description text default '', last_change datetime not null default (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x double, min_y double, max_x double, max_y double, srs_id integer references gpkg_spatial_ref_sys (srs_id));
  create table gpkg_geometry_columns (table_name text not null, column_name text not null, geometry_type_name text not null,
    srs_id integer not null references gpkg_spatial_ref_sys (srs_id), z tinyint not null, m tinyint not null,
    primary key (table_name, column_name));
  insert into gpkg_spatial_ref_sys values ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null);
  insert into gpkg_spatial_ref_sys values ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null);
`

/**
 * A GeoPackage with one feature table `layer` (geometry column `geom`, MULTIPOLYGON) in the given SRS.
 * `srs` names it with its EPSG code and WKT; `srs.id` 0 marks coordinates in no registered system
 * (GCJ-02, BD-09: the reader then needs `--crs`).
 */
export async function gpkgBytes(layer: string, features: readonly GpkgFeature[], columns: readonly string[], srs: { id: number, name: string, wkt: string }): Promise<Uint8Array> {
  const SQL = await loadSqlJs()
  const db = new SQL.Database()
  try {
    db.exec('pragma application_id = 1196444487; pragma user_version = 10301;')
    db.exec(SRS_TABLES)
    if (srs.id > 0)
      db.run('insert into gpkg_spatial_ref_sys values (?, ?, ?, ?, ?, null)', [srs.name, srs.id, 'EPSG', srs.id, srs.wkt])
    const [minX, minY, maxX, maxY] = bbox(features.flatMap(f => f.parts.flat(2)))
    db.run(`insert into gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) values (?, 'features', ?, ?, ?, ?, ?, ?)`, [layer, layer, minX, minY, maxX, maxY, srs.id])
    db.run(`insert into gpkg_geometry_columns values (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)`, [layer, srs.id])
    // Numbers (the area) as REAL, so that GIS software can sum and sort them.
    const numeric = (c: string): boolean => features.some(f => typeof f.properties[c] === 'number') && features.every(f => f.properties[c] == null || typeof f.properties[c] === 'number')
    db.exec(`create table "${layer}" (fid integer primary key autoincrement, geom multipolygon, ${columns.map(c => `"${c}" ${numeric(c) ? 'real' : 'text'}`).join(', ')})`)
    const insert = db.prepare(`insert into "${layer}" (geom, ${columns.map(c => `"${c}"`).join(', ')}) values (?, ${columns.map(() => '?').join(', ')})`)
    for (const f of features) {
      const geometry: Geometry = { type: 'MultiPolygon', coordinates: f.parts }
      insert.run([encodeGpkgGeometry(geometry, srs.id), ...columns.map(c => (f.properties[c] === undefined ? null : f.properties[c]!))])
    }
    insert.free()
    return db.export()
  }
  finally {
    db.close()
  }
}
