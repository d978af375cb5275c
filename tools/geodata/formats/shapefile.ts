import type { Position } from 'geojson'
import type { Parts, SourceData, SourceFeature } from '../types.ts'
import type { ZipEntries } from './zip.ts'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import shpwrite from '@mapbox/shp-write'
import { DBFFile } from 'dbffile'
import * as shapefile from 'shapefile'
import { UsageError } from '../errors.ts'
import { signedArea } from '../geometry.ts'
import { fieldsOf, sourceFeature } from './geojson.ts'
import { entriesEndingWith, zipFiles } from './zip.ts'

/** The files of one Shapefile layer. */
export interface ShapefileFiles {
  name: string
  shp: Uint8Array
  dbf?: Uint8Array
  prj?: string
  cpg?: string
}

/** The Shapefile layers in a zip archive, picked by `layer` when there are several. */
export function shapefileInZip(entries: ZipEntries, path: string, layer: string | undefined): ShapefileFiles {
  const shps = entriesEndingWith(entries, '.shp')
  const names = shps.map(s => s.replace(/^.*\//, '').replace(/\.shp$/i, ''))
  if (shps.length === 0)
    throw new UsageError(`${path} holds no .shp file (found: ${Object.keys(entries).join(', ') || 'nothing'})`)
  let pick = 0
  if (layer !== undefined)
    pick = names.indexOf(layer)
  else if (shps.length > 1)
    throw new UsageError(`${path} holds ${shps.length} Shapefiles: choose one with --layer (${names.join(', ')})`)
  if (pick < 0)
    throw new UsageError(`${path} has no Shapefile named "${layer}" (${names.join(', ')})`)
  const stem = shps[pick]!.slice(0, -4)
  const sibling = (ext: string): Uint8Array | undefined =>
    entries[Object.keys(entries).find(k => k.toLowerCase() === `${stem}${ext}`.toLowerCase()) ?? '']
  const text = (bytes: Uint8Array | undefined): string | undefined => bytes && new TextDecoder().decode(bytes).trim()
  return { name: names[pick]!, shp: entries[shps[pick]!]!, dbf: sibling('.dbf'), prj: text(sibling('.prj')), cpg: text(sibling('.cpg')) }
}

/** The DBF encoding a .cpg names (ANSI code pages by number too), or undefined when unknown. */
export function encodingOfCpg(cpg: string | undefined): string | undefined {
  const c = cpg?.trim().toLowerCase()
  if (!c)
    return undefined
  if (c === '65001' || c === 'utf8' || c === 'utf-8')
    return 'utf-8'
  if (c === '936' || c === 'gbk' || c === 'cp936' || c === 'gb2312' || c === 'ansi 936')
    return 'gbk'
  if (c === '54936' || c === 'gb18030')
    return 'gb18030'
  if (c === '950' || c === 'big5')
    return 'big5'
  return c
}

async function readFeatures(files: ShapefileFiles, encoding: string, path: string): Promise<SourceFeature[]> {
  const features: SourceFeature[] = []
  try {
    const source = await shapefile.open(files.shp, files.dbf, { encoding })
    for (let r = await source.read(); !r.done; r = await source.read())
      features.push(sourceFeature(r.value, features.length + 1, path))
  }
  catch (error) {
    if (error instanceof UsageError)
      throw error
    throw new UsageError(`${path}: cannot read the Shapefile ${files.name} (${(error as Error).message})`)
  }
  return features
}

const hasReplacement = (features: readonly SourceFeature[]): boolean =>
  features.some(f => Object.entries(f.properties).some(([k, v]) => k.includes('\uFFFD') || (typeof v === 'string' && v.includes('\uFFFD'))))

/**
 * Reads a Shapefile layer (`shapefile`). Attribute text is decoded as the .cpg says, else `encoding`,
 * else UTF-8, falling back to GB18030 (the superset of GBK) when UTF-8 does not decode: Chinese GIS
 * software writes GBK without a .cpg more often than not.
 */
export async function readShapefile(files: ShapefileFiles, path: string, encoding?: string): Promise<SourceData> {
  const chosen = encoding ?? encodingOfCpg(files.cpg)
  let features = await readFeatures(files, chosen ?? 'utf-8', path)
  if (chosen === undefined && hasReplacement(features))
    features = await readFeatures(files, 'gb18030', path)
  return {
    format: 'shapefile',
    path,
    layer: files.name,
    features,
    fields: fieldsOf(features),
    crs: files.prj ? { definition: files.prj, source: '.prj' } : undefined,
    orientationByFormat: true,
  }
}

/** An attribute column of a written Shapefile. */
export interface ShapefileField {
  name: string
  type: 'C' | 'N'
  decimals?: number
}

/** A feature to write: polygon parts in the file's coordinates, attribute values by field name. */
export interface WritableFeature {
  parts: Parts
  properties: Record<string, string | number | null | undefined>
}

/** Rings in the Shapefile convention: exteriors clockwise, holes counter-clockwise. */
function shapefileRings(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0
    return (i === 0) === clockwise ? ring : [...ring].reverse()
  })
}

async function dbfBytes(features: readonly WritableFeature[], fields: readonly ShapefileField[], encoding: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'geodata-dbf-'))
  try {
    const size = (name: string): number => Math.min(254, Math.max(1, ...features.map(f => Buffer.byteLength(String(f.properties[name] ?? ''), 'utf8'))))
    const descriptors = fields.map(f => f.type === 'C'
      ? { name: f.name, type: 'C' as const, size: size(f.name) }
      : { name: f.name, type: 'N' as const, size: 18, decimalPlaces: f.decimals ?? 0 })
    const path = join(dir, 'layer.dbf')
    const dbf = await DBFFile.create(path, descriptors, { encoding })
    await dbf.appendRecords(features.map(f => Object.fromEntries(fields.map(field => [field.name, f.properties[field.name] ?? null]))))
    return new Uint8Array(await readFile(path))
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** How to write a Shapefile's attributes and CRS. */
export interface ShapefileStyle {
  /** The .prj's WKT; none for coordinates in no registered CRS (GCJ-02, BD-09). */
  prj?: string
  /** DBF text encoding (default UTF-8). */
  encoding?: 'utf-8' | 'gbk'
  /** Whether to write a .cpg naming the encoding (default yes). */
  cpg?: boolean
}

/**
 * A zipped Shapefile (polygons) of the features: .shp and .shx by @mapbox/shp-write, the .dbf by
 * dbffile in UTF-8 with a .cpg saying so (shp-write's own .dbf keeps one byte of each character, which
 * loses every Chinese name), and the .prj when the CRS has one.
 */
export async function shapefileZip(name: string, features: readonly WritableFeature[], fields: readonly ShapefileField[], style: ShapefileStyle = {}): Promise<Uint8Array> {
  const geometries = features.map(f => f.parts.map(shapefileRings))
  const { shp, shx } = await new Promise<{ shp: DataView, shx: DataView }>((resolve, reject) => {
    shpwrite.write([], 'POLYGON', geometries.map(parts => (parts.length === 1 ? parts[0]! : parts)), (error, files) => {
      if (error)
        reject(error as Error)
      else
        resolve(files as { shp: DataView, shx: DataView })
    })
  })
  const view = (v: DataView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  const encoding = style.encoding ?? 'utf-8'
  return zipFiles({
    [`${name}.shp`]: view(shp),
    [`${name}.shx`]: view(shx),
    [`${name}.dbf`]: await dbfBytes(features, fields, encoding),
    ...(style.prj ? { [`${name}.prj`]: style.prj } : {}),
    ...(style.cpg === false ? {} : { [`${name}.cpg`]: encoding === 'gbk' ? '936' : 'UTF-8' }),
  })
}
