import type { Position } from 'geojson'
import type { Geography } from '../../mock/geo/index.ts'
import type { Crs } from './crs.ts'
import type { ExportFormat, LayerStyle } from './export.ts'
import type { LayerFeature, Layers } from './target/shared.ts'
import type { Level, LonLat, ProblemKind } from './types.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { generateGeography } from '../../mock/geo/index.ts'
import { esriGaussKrugerPrj, parseCrsOption } from './crs.ts'
import { DEFAULT_STYLE, layerBytes, LAYER_NAMES } from './export.ts'
import { plantGridDefects, plantRepairableDefects, plantVillageDefects } from './fixtures-defects.ts'
import { frameFor } from './geometry.ts'

/**
 * Fixtures made by the project: a small township of the mock generator (东岳观镇's first three
 * villages, 12 grids; seed 7), written in every format and datum the tool reads, and copies with
 * deliberate defects. `npx tsx tools/geodata/fixtures.ts DIR` writes them (the tests write them into
 * a temporary directory); `tests/fixtures/geodata/` holds the committed defect files.
 */

/** The small township's geography (deterministic). */
export function smallGeography(): Geography {
  return generateGeography({ seed: 7, township: '430821103', villages: 3, gridsPerVillage: [3, 4], areaKm2: 12 })
}

/** A mock geography as export layers. */
export function layersOf(geo: Geography): Layers {
  const t = geo.township
  return {
    township: [{ code: t.properties.code, name: t.properties.name, parent: t.properties.code.slice(0, 6), parts: [t.geometry.coordinates], properties: { ...t.properties } }],
    village: geo.villages.features.map(f => ({ code: f.properties.code, name: f.properties.name, parent: f.properties.code.slice(0, 9), parts: [f.geometry.coordinates], properties: { ...f.properties } })),
    grid: geo.grids.features.map(f => ({ code: f.properties.code, name: f.properties.name, parent: f.properties.villageCode, parts: [f.geometry.coordinates], properties: { ...f.properties } })),
  }
}

/** One fixture file and how to read it. */
export interface FixtureFile {
  name: string
  level: Level
  format: ExportFormat
  /** The datum the coordinates are in. */
  crs: string
  /** `--crs` needed to read it (the file does not say), else undefined. */
  crsOption?: string
  /** Defects planted, with where and what the check must report. */
  defects?: PlantedDefect[]
}

/** A deliberate defect: which feature, what kind must be reported, and where. */
export interface PlantedDefect {
  kind: ProblemKind
  code: string
  at: LonLat
}

interface Variant {
  format: ExportFormat
  crs: string
  crsOption?: string
  style?: Partial<LayerStyle>
  prj?: 'esri'
}

/** The round-trip matrix: every format in the datums its users meet. */
export const VARIANTS: readonly Variant[] = [
  { format: 'geojson', crs: 'wgs84' },
  { format: 'geojson', crs: 'gcj02', crsOption: 'gcj02' },
  { format: 'geojson', crs: 'bd09', crsOption: 'bd09' },
  { format: 'geojson', crs: 'epsg:4546' },
  { format: 'shapefile', crs: 'wgs84' },
  { format: 'shapefile', crs: 'epsg:4546', prj: 'esri' },
  { format: 'shapefile', crs: 'epsg:4525', style: { fields: { code: 'XZQDM', name: 'XZQMC', parent: 'SJDM' } } },
  { format: 'shapefile', crs: 'gcj02', crsOption: 'gcj02', style: { fields: { code: '编码', name: '名称', parent: '上级代码' }, encoding: 'gbk', cpg: false } },
  { format: 'kml', crs: 'wgs84' },
  { format: 'kml', crs: 'gcj02', crsOption: 'gcj02' },
  { format: 'kmz', crs: 'bd09', crsOption: 'bd09' },
  { format: 'kmz', crs: 'wgs84' },
  { format: 'gpkg', crs: 'wgs84' },
  { format: 'gpkg', crs: 'epsg:4546' },
  { format: 'gpkg', crs: 'gcj02', crsOption: 'gcj02' },
]

const EXT: Record<ExportFormat, string> = { geojson: 'geojson', shapefile: 'zip', kml: 'kml', kmz: 'kmz', gpkg: 'gpkg' }

function fileName(level: Level, v: Variant, suffix = ''): string {
  return `${LAYER_NAMES[level]}${suffix}-${v.crs.replace(':', '')}${v.style?.encoding === 'gbk' ? '-gbk' : ''}.${EXT[v.format]}`
}

/** Writes one layer in one variant; the ESRI .prj variant replaces the .prj inside the zip. */
async function writeVariant(dir: string, level: Level, features: readonly LayerFeature[], v: Variant, suffix = ''): Promise<string> {
  const crs: Crs = parseCrsOption(v.crs)
  const style: LayerStyle = { ...DEFAULT_STYLE, ...v.style }
  let bytes = await layerBytes(level, features, v.format, crs, style)
  if (v.prj === 'esri' && crs.kind === 'proj' && crs.epsg !== undefined && bytes instanceof Uint8Array) {
    const { unzipSync, zipSync } = await import('fflate')
    const entries = unzipSync(bytes)
    entries[`${LAYER_NAMES[level]}.prj`] = new TextEncoder().encode(esriGaussKrugerPrj(crs.epsg))
    bytes = zipSync(entries)
  }
  const name = fileName(level, v, suffix)
  await writeFile(join(dir, name), bytes)
  return name
}

/** Writes the round-trip matrix for the three levels; returns the files. */
export async function writeRoundTripFixtures(dir: string, layers: Layers = layersOf(smallGeography())): Promise<FixtureFile[]> {
  await mkdir(dir, { recursive: true })
  const files: FixtureFile[] = []
  for (const level of ['township', 'village', 'grid'] as const) {
    for (const v of VARIANTS)
      files.push({ name: await writeVariant(dir, level, layers[level], v), level, format: v.format, crs: v.crs, crsOption: v.crsOption })
  }
  return files
}

/** Writes the defect fixtures (GeoJSON, Shapefile in CGCS2000 GK, KML, GeoPackage); returns them. */
export async function writeDefectFixtures(dir: string, layers: Layers = layersOf(smallGeography())): Promise<FixtureFile[]> {
  await mkdir(dir, { recursive: true })
  const frame = frameFor(layers.grid.map(f => f.parts))
  const sets: { level: Level, suffix: string, planted: { features: LayerFeature[], defects: PlantedDefect[] }, variants: Variant[] }[] = [
    { level: 'grid', suffix: '-defects', planted: plantGridDefects(layers.grid, frame), variants: [VARIANTS[0]!, VARIANTS[5]!, VARIANTS[8]!, VARIANTS[12]!] },
    { level: 'grid', suffix: '-repairable', planted: plantRepairableDefects(layers.grid, frame), variants: [VARIANTS[0]!] },
    { level: 'village', suffix: '-defects', planted: plantVillageDefects(layers.village, frame), variants: [VARIANTS[0]!, VARIANTS[9]!] },
  ]
  const files: FixtureFile[] = []
  for (const set of sets) {
    for (const v of set.variants)
      files.push({ name: await writeVariant(dir, set.level, set.planted.features, v, set.suffix), level: set.level, format: v.format, crs: v.crs, crsOption: v.crsOption, defects: set.planted.defects })
  }
  await writeFile(join(dir, 'defects.json'), `${JSON.stringify(files, null, 2)}\n`)
  return files
}

/** Rounds a position for the manifest. */
export function roundAt(p: Position): LonLat {
  return [Math.round(p[0]! * 1e7) / 1e7, Math.round(p[1]! * 1e7) / 1e7]
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const dir = process.argv[2]
  const all = process.argv.includes('--all')
  if (!dir) {
    process.stderr.write('usage: npx tsx tools/geodata/fixtures.ts DIR [--all]\n')
    process.exitCode = 2
  }
  else {
    const layers = layersOf(smallGeography())
    const written = [...await writeDefectFixtures(dir, layers), ...(all ? await writeRoundTripFixtures(dir, layers) : [])]
    process.stdout.write(`fixtures: ${written.length} files in ${dir}\n`)
  }
}
