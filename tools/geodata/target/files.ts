import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { Context, ContextUnit } from '../checks/index.ts'
import type { Divisions } from '../divisions.ts'
import type { Level, Unit } from '../types.ts'
import type { Layers, WriteOptions, WriteSummary } from './shared.ts'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { officialName, villageKind } from '../checks/codes.ts'
import { UsageError } from '../errors.ts'
import { LEVELS } from '../types.ts'
import { derived, geometryOf, insideParts, partsOfStored, sameAsStored } from './shared.ts'

/** The file of each level in a geodata directory (as `geodata/` and `npm run mock` write them). */
export const LEVEL_FILES: Record<Level, string> = {
  township: 'township.geojson',
  village: 'villages.geojson',
  grid: 'grids.geojson',
}

type Props = Record<string, unknown>
type StoredFeature = Feature<Geometry | null, Props>

/** The features of a level's file (none when the file does not exist). */
export async function readLevelFile(dir: string, level: Level): Promise<StoredFeature[]> {
  const path = join(dir, LEVEL_FILES[level])
  let text: string
  try {
    text = await readFile(path, 'utf8')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return []
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    const json = JSON.parse(text) as FeatureCollection<Geometry | null, Props> | StoredFeature
    return json.type === 'FeatureCollection' ? json.features : [json]
  }
  catch (error) {
    throw new UsageError(`${path} is not valid JSON (${(error as Error).message})`)
  }
}

function parentOf(f: StoredFeature, level: Level): string | undefined {
  const code = String(f.properties?.code ?? '')
  if (level === 'grid')
    return String(f.properties?.villageCode ?? code.slice(0, 12))
  return code.slice(0, level === 'village' ? 9 : 6) || undefined
}

function contextUnit(f: StoredFeature, level: Level): ContextUnit {
  return { code: String(f.properties?.code ?? ''), name: String(f.properties?.name ?? ''), parent: parentOf(f, level), parts: partsOfStored(f.geometry) }
}

/** What a geodata directory holds around the imported units, and their existing features by code. */
export async function readFilesContext(dir: string, units: readonly Unit[], level: Level, retireMissing: boolean): Promise<{ context: Context, existing: Map<string, StoredFeature> }> {
  const codes = new Set(units.map(u => u.code))
  const parentCodes = new Set(units.flatMap(u => u.parent ?? []))
  const own = await readLevelFile(dir, level)
  const existing = new Map(own.map(f => [String(f.properties?.code ?? ''), f]))
  const siblings = retireMissing ? [] : own.filter(f => !codes.has(String(f.properties?.code)) && (level === 'township' || parentCodes.has(parentOf(f, level) ?? '')))
  const parentLevel = LEVELS[LEVELS.indexOf(level) - 1]
  const parents = parentLevel ? (await readLevelFile(dir, parentLevel)).filter(f => parentCodes.has(String(f.properties?.code))) : []
  const childLevel = LEVELS[LEVELS.indexOf(level) + 1]
  const children = childLevel ? (await readLevelFile(dir, childLevel)).filter(f => codes.has(parentOf(f, childLevel) ?? '')) : []
  return {
    context: {
      parents: new Map(parents.map(f => [String(f.properties?.code), contextUnit(f, parentLevel!)])),
      siblings: siblings.map(f => contextUnit(f, level)),
      children: children.map(f => contextUnit(f, childLevel!)),
      hasTarget: true,
    },
    existing,
  }
}

/** The properties of a written feature: the geodata/ README's, keeping any others it already had. */
function propertiesOf(unit: Unit, old: Props | undefined, options: WriteOptions, divisions: Divisions): Props {
  const { areaKm2, label } = derived(unit, options.frame)
  const keep = (key: string): boolean => insideParts(old?.[key] as [number, number] | undefined, unit.parts)
  const official = officialName(unit.code, options.level, divisions)
  switch (options.level) {
    case 'township':
      return { ...old, code: unit.code, name: unit.name, county: old?.county ?? divisions.counties.get(unit.code.slice(0, 6)) ?? unit.code.slice(0, 6), seat: keep('seat') ? old!.seat : label, areaKm2 }
    case 'village':
      return { ...old, code: unit.code, name: unit.name, kind: villageKind(unit.code), center: keep('center') ? old!.center : label, areaKm2, ...(official ? { officialName: official, nameSource: 'nbs-2023' } : {}) }
    case 'grid':
      return { ...old, code: unit.code, name: unit.name, villageCode: unit.parent ?? unit.code.slice(0, 12), labelPoint: label, areaKm2 }
  }
}

/** Serialises a level's features as geodata/ does: the township a Feature, the others a FeatureCollection. */
export function levelFileText(level: Level, features: readonly StoredFeature[]): string {
  const json = level === 'township' && features.length === 1 ? features[0] : { type: 'FeatureCollection', features }
  return `${JSON.stringify(json)}\n`
}

/** Writes `text` to `path` atomically: into a file beside it, then renamed over it. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const aside = `${path}.${process.pid}.tmp`
  try {
    await writeFile(aside, text)
    await rename(aside, path)
  }
  catch (error) {
    await rm(aside, { force: true })
    throw error
  }
}

/**
 * Writes the validated units into the level's file of a geodata directory by atomic replace: updates
 * the features whose code matches, appends new ones, keeps the others (removes them only with
 * `retireMissing`). A failure leaves the old file as it was.
 */
export async function writeFiles(dir: string, units: readonly Unit[], existing: ReadonlyMap<string, StoredFeature>, options: WriteOptions, divisions: Divisions): Promise<WriteSummary> {
  const summary: WriteSummary = { inserted: [], updated: [], unchanged: [], retired: [] }
  const byCode = new Map(units.map(u => [u.code, u]))
  const parents = new Set(options.parent ? [options.parent] : units.flatMap(u => u.parent ?? []))
  const out: StoredFeature[] = []
  const feature = (unit: Unit, old: StoredFeature | undefined): StoredFeature =>
    ({ type: 'Feature', id: unit.code, properties: propertiesOf(unit, old?.properties ?? undefined, options, divisions), geometry: geometryOf(unit.parts, true) })
  for (const [code, old] of existing) {
    const unit = byCode.get(code)
    if (unit) {
      const same = sameAsStored(old.geometry, String(old.properties?.name ?? ''), unit)
      out.push(same ? old : feature(unit, old))
      ;(same ? summary.unchanged : summary.updated).push(code)
    }
    else if (options.retireMissing && (options.level === 'township' || parents.has(parentOf(old, options.level) ?? ''))) {
      summary.retired.push(code)
    }
    else {
      out.push(old)
    }
  }
  for (const unit of units.filter(u => !existing.has(u.code))) {
    out.push(feature(unit, undefined))
    summary.inserted.push(unit.code)
  }
  if (summary.inserted.length + summary.updated.length + summary.retired.length > 0) {
    await mkdir(dir, { recursive: true })
    await replaceFile(join(dir, LEVEL_FILES[options.level]), levelFileText(options.level, out))
  }
  return summary
}

/** The boundaries in a geodata directory, as layers for export. */
export async function readFilesLayers(dir: string, township: string | undefined): Promise<Layers> {
  const layers: Layers = { township: [], village: [], grid: [] }
  for (const level of LEVELS) {
    layers[level] = (await readLevelFile(dir, level))
      .filter(f => !township || String(f.properties?.code ?? '').startsWith(township))
      .map(f => ({ code: String(f.properties?.code ?? ''), name: String(f.properties?.name ?? ''), parent: parentOf(f, level), parts: partsOfStored(f.geometry), properties: { ...f.properties } }))
  }
  return layers
}
