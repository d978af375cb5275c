import type { FormatName, SourceData } from '../types.ts'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { UsageError } from '../errors.ts'
import { readGeojson } from './geojson.ts'
import { readGpkg } from './gpkg.ts'
import { readKml, readKmz } from './kml.ts'
import { readShapefile, shapefileInZip } from './shapefile.ts'
import { entriesEndingWith, unzipLimited } from './zip.ts'

/** How to read a file. */
export interface ReadOptions {
  /** Size limit in bytes, for the file and for what an archive unpacks to. */
  maxBytes: number
  /** The layer (GeoPackage table, Shapefile name in a zip) when the file has several. */
  layer?: string
  /** Text encoding of a Shapefile's .dbf when it has no .cpg (e.g. gbk). */
  encoding?: string
}

const EXTENSIONS: Record<string, FormatName | 'zip'> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.zip': 'zip',
  '.shp': 'shapefile',
  '.kml': 'kml',
  '.kmz': 'kmz',
  '.gpkg': 'gpkg',
}

/** The format by extension, else by the first bytes; a UsageError when neither tells. */
export function detectFormat(path: string, head: Uint8Array): FormatName | 'zip' {
  const byExtension = EXTENSIONS[extname(path).toLowerCase()]
  if (byExtension)
    return byExtension
  const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart()
  if (head[0] === 0x50 && head[1] === 0x4B)
    return 'zip'
  if (text.startsWith('SQLite format 3'))
    return 'gpkg'
  if (text.startsWith('{'))
    return 'geojson'
  if (text.startsWith('<?xml') || text.startsWith('<kml'))
    return 'kml'
  throw new UsageError(`unknown format of ${path}: give a .geojson, .zip (Shapefile), .shp, .kml, .kmz or .gpkg file`)
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path)
    if (!s.isFile())
      throw new UsageError(`${path} is not a file`)
    return s.size
  }
  catch (error) {
    if (error instanceof UsageError)
      throw error
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
}

/** Megabytes with three significant digits. */
export const mb = (bytes: number): string => `${Number((bytes / 1e6).toPrecision(3))} MB`

function checkSize(path: string, bytes: number, maxBytes: number): void {
  if (bytes > maxBytes)
    throw new UsageError(`${path} is ${mb(bytes)}, over the ${mb(maxBytes)} size limit (--max-size-mb)`)
}

/** A Shapefile given as its .shp: the .dbf, .prj and .cpg beside it. */
async function readPlainShapefile(path: string, options: ReadOptions): Promise<SourceData> {
  const stem = join(dirname(path), basename(path, extname(path)))
  const optional = async (ext: string): Promise<Buffer | undefined> => readFile(`${stem}${ext}`).catch(() => readFile(`${stem}${ext.toUpperCase()}`).catch(() => undefined))
  const [shp, dbf, prj, cpg] = [await readFile(path), await optional('.dbf'), await optional('.prj'), await optional('.cpg')]
  checkSize(path, shp.length + (dbf?.length ?? 0), options.maxBytes)
  return readShapefile({ name: basename(stem), shp, dbf, prj: prj?.toString('utf8').trim(), cpg: cpg?.toString('utf8').trim() }, path, options.encoding)
}

/** A zip archive: a zipped Shapefile, or a KMZ under another name. */
async function readZip(bytes: Uint8Array, path: string, options: ReadOptions): Promise<SourceData> {
  const entries = unzipLimited(bytes, options.maxBytes, path)
  if (entriesEndingWith(entries, '.shp').length === 0 && entriesEndingWith(entries, '.kml').length > 0)
    return readKmz(entries, path)
  return readShapefile(shapefileInZip(entries, path, options.layer), path, options.encoding)
}

/**
 * Reads a boundary file: GeoJSON, a zipped Shapefile (or a .shp with its siblings), KML, KMZ or
 * GeoPackage. Refuses (UsageError) a file over the size limit before reading it.
 */
export async function readSource(path: string, options: ReadOptions): Promise<SourceData> {
  checkSize(path, await fileSize(path), options.maxBytes)
  const bytes = new Uint8Array(await readFile(path))
  const format = detectFormat(path, bytes.subarray(0, 64))
  switch (format) {
    case 'geojson':
      return readGeojson(bytes, path)
    case 'zip':
      return readZip(bytes, path, options)
    case 'shapefile':
      return readPlainShapefile(path, options)
    case 'kml':
      return readKml(new TextDecoder().decode(bytes), path)
    case 'kmz':
      return readKmz(unzipLimited(bytes, options.maxBytes, path), path)
    case 'gpkg':
      return readGpkg(bytes, path, options.layer)
  }
}
