import type { Position } from 'geojson'
import type { Crs } from './crs.ts'
import type { LayerFeature, Layers } from './target/shared.ts'
import type { Level, Parts } from './types.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromWgs84, wktFor } from './crs.ts'
import { gpkgBytes } from './formats/gpkg.ts'
import { kmlText, kmzBytes } from './formats/kml.ts'
import { shapefileZip } from './formats/shapefile.ts'
import { round7 } from './geometry.ts'
import { geometryOf } from './target/shared.ts'
import { LEVEL_FILES, levelFileText } from './target/files.ts'

/** The formats `export` writes. */
export const EXPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'kmz', 'gpkg'] as const
export type ExportFormat = typeof EXPORT_FORMATS[number]

/** File names by level (without extension): the geodata/ names. */
export const LAYER_NAMES: Record<Level, string> = { township: 'township', village: 'villages', grid: 'grids' }

const EXTENSION: Record<ExportFormat, string> = { geojson: '.geojson', shapefile: '.zip', kml: '.kml', kmz: '.kmz', gpkg: '.gpkg' }

/** How a layer's attributes are named and encoded (the fixtures vary them as real files do). */
export interface LayerStyle {
  fields: { code: string, name: string, parent: string }
  /** Shapefile only: DBF encoding and whether a .cpg says it. */
  encoding?: 'utf-8' | 'gbk'
  cpg?: boolean
}

export const DEFAULT_STYLE: LayerStyle = { fields: { code: 'CODE', name: 'NAME', parent: 'PARENT' } }

/** Parts converted from WGS84 into `crs`, rounded (metres to mm, degrees to 7 decimals). */
export function convertParts(parts: Parts, crs: Crs): Parts {
  const to = fromWgs84(crs)
  const round = crs.kind === 'proj' ? (v: number) => Math.round(v * 1000) / 1000 : round7
  return parts.map(rings => rings.map(ring => ring.map((p: Position) => to(p).map(round))))
}

function attributes(f: LayerFeature, level: Level, style: LayerStyle): Record<string, string | number | null> {
  const area = typeof f.properties.areaKm2 === 'number' ? f.properties.areaKm2 : null
  return {
    [style.fields.code]: f.code,
    [style.fields.name]: f.name,
    ...(level === 'township' ? {} : { [style.fields.parent]: f.parent ?? null }),
    ...(level === 'village' ? { KIND: String(f.properties.kind ?? '') } : {}),
    AREA_KM2: area,
  }
}

/** A Placemark's properties: the name field becomes its <name>, the rest ExtendedData. */
function placemark(style: LayerStyle): (f: { parts: Parts, properties: Record<string, string | number | null> }) => { parts: Parts, properties: Record<string, string | number | null> } {
  return ({ parts, properties }) => {
    const { [style.fields.name]: name, ...rest } = properties
    return { parts, properties: { name: name ?? null, ...rest } }
  }
}

/** GeoJSON in `crs` (a `crs` member names a projected EPSG code, as GIS software reads it). */
function geojsonText(level: Level, features: readonly LayerFeature[], crs: Crs): string {
  const out = features.map(f => ({ type: 'Feature' as const, id: f.code, properties: f.properties, geometry: crs.kind === 'wgs84' ? geometryOf(f.parts) : { type: 'MultiPolygon' as const, coordinates: convertParts(f.parts, crs) } }))
  if (crs.kind === 'proj' && crs.epsg !== undefined)
    return `${JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.epsg}` } }, features: out })}\n`
  return levelFileText(level, out)
}

/** The bytes of one layer in one format and CRS. */
export async function layerBytes(level: Level, features: readonly LayerFeature[], format: ExportFormat, crs: Crs, style: LayerStyle = DEFAULT_STYLE): Promise<Uint8Array | string> {
  const converted = features.map(f => ({ parts: convertParts(f.parts, crs), properties: attributes(f, level, style) }))
  const registered = crs.kind === 'wgs84' || (crs.kind === 'proj' && crs.epsg !== undefined)
  switch (format) {
    case 'geojson':
      return geojsonText(level, features, crs)
    case 'shapefile': {
      const fields = Object.keys(converted[0]?.properties ?? attributes({ code: '', name: '', parent: '', parts: [], properties: {} }, level, style)).map(name => (name === 'AREA_KM2' ? { name, type: 'N' as const, decimals: 4 } : { name, type: 'C' as const }))
      return shapefileZip(LAYER_NAMES[level], converted, fields, { prj: registered ? wktFor(crs) : undefined, encoding: style.encoding, cpg: style.cpg })
    }
    case 'kml':
      return kmlText(converted.map(placemark(style)))
    case 'kmz':
      return kmzBytes(converted.map(placemark(style)))
    case 'gpkg': {
      const columns = Object.keys(converted[0]?.properties ?? {})
      const epsg = crs.kind === 'wgs84' ? 4326 : crs.kind === 'proj' ? crs.epsg ?? 0 : 0
      return gpkgBytes(LAYER_NAMES[level], converted, columns, { id: epsg, name: crs.label, wkt: wktFor(crs) })
    }
  }
}

/** The file name of a layer in a format (GeoJSON under the geodata/ names). */
export function layerFileName(level: Level, format: ExportFormat): string {
  return format === 'geojson' ? LEVEL_FILES[level] : `${LAYER_NAMES[level]}${EXTENSION[format]}`
}

/** Writes the layers in each format into `dir`; returns the paths written. Empty layers are skipped. */
export async function exportLayers(layers: Layers, dir: string, formats: readonly ExportFormat[], crs: Crs, levels: readonly Level[]): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  for (const level of levels) {
    if (layers[level].length === 0)
      continue
    for (const format of formats) {
      const path = join(dir, layerFileName(level, format))
      await writeFile(path, await layerBytes(level, layers[level], format, crs))
      written.push(path)
    }
  }
  return written
}
