import type { Crs } from './crs.ts'
import type { FieldChoice } from './fields.ts'
import type { Level, Parts, Problem, SourceData, Unit } from './types.ts'
import { assertInChina, crsFromHint, guessCrs, toWgs84, WGS84 } from './crs.ts'
import { chooseFields, textOf } from './fields.ts'

/** What the command line says about reading the units. */
export interface PrepareOptions {
  level: Level
  crs?: Crs
  codeField?: string
  nameField?: string
  /** `--parent`: the code every unit belongs under. */
  parent?: string
}

/** Units in WGS84, ready for validation. */
export interface Prepared {
  units: Unit[]
  crs: Crs
  fields: FieldChoice
  /** Features without a polygon: reported, never imported. */
  problems: Problem[]
}

/** The CRS to read the file in: `--crs`, else what the file declares, else a guess from the numbers. */
export function chooseCrs(source: SourceData, option: Crs | undefined): Crs {
  if (option)
    return option
  if (source.crs)
    return crsFromHint(source.crs)
  if (source.format === 'kml' || source.format === 'kmz')
    return WGS84
  return guessCrs(source.features)
}

/** Converts parts to WGS84, refusing (UsageError) the first position that lands outside China. */
function convert(parts: Parts, crs: Crs, convertPoint: ReturnType<typeof toWgs84>): Parts {
  return parts.map(rings => rings.map(ring => ring.map((p) => {
    const q = convertPoint(p)
    assertInChina(q, p, crs)
    return q
  })))
}

/** The parent code a unit's own code implies (county, township or village digits). */
export function parentOfCode(code: string, level: Level): string | undefined {
  const digits = { township: 6, village: 9, grid: 12 }[level]
  return /^\d+$/.test(code) && code.length > digits ? code.slice(0, digits) : undefined
}

/** A unit's label for reports: its code and name, or its position in the file. */
export function unitLabel(unit: Pick<Unit, 'code' | 'name' | 'index'>): string {
  return [unit.code || `#${unit.index}`, unit.name].filter(Boolean).join(' ')
}

/**
 * Reads the units of a file: chooses the CRS and the fields, converts every position to WGS84 (a
 * position outside China is bad input: the CRS is wrong) and takes the code, name and parent.
 */
export function prepareUnits(source: SourceData, options: PrepareOptions): Prepared {
  const crs = chooseCrs(source, options.crs)
  const fields = chooseFields(source.fields, source.features, options.level, options)
  const toLonLat = toWgs84(crs)
  const units: Unit[] = []
  const problems: Problem[] = []
  for (const f of source.features) {
    const code = textOf(f.properties[fields.code])
    const name = textOf(f.properties[fields.name])
    if (!f.parts || f.parts.length === 0) {
      problems.push({ kind: 'geometry-missing', severity: 'error', features: [unitLabel({ code, name, index: f.index })], at: undefined, areaM2: 0, message: `has no polygon (${f.geometryType})` })
      continue
    }
    const parentField = fields.parent ? textOf(f.properties[fields.parent]) : ''
    const parent = options.parent ?? (parentField || parentOfCode(code, options.level))
    const parentSource = options.parent !== undefined ? 'option' : parentField ? 'field' : parent ? 'code' : undefined
    units.push({ index: f.index, code, name, parent, parentSource, parts: convert(f.parts, crs, toLonLat) })
  }
  return { units, crs, fields, problems }
}
