import type { Level, SourceFeature } from './types.ts'
import { UsageError } from './errors.ts'

/**
 * Which attribute holds the code, the name and the parent's code. Names a township's GIS is likely to
 * use, in order of preference: English, the 国土调查 abbreviations (XZQDM 行政区代码, XZQMC 行政区名称,
 * CJQYDM 村级区域代码, WGBM 网格编码) and Chinese.
 */
const CODE_FIELDS: Record<Level, string[]> = {
  township: ['code', 'xzqdm', 'xzdm', 'xzqhdm', 'qhdm', '区划代码', '行政区划代码', '行政区代码', '乡镇代码', '编码', '代码', 'dm', 'bm'],
  village: ['code', 'xzqdm', 'cjqydm', 'cundm', 'xzqhdm', 'qhdm', '区划代码', '行政区划代码', '行政区代码', '村级区域代码', '村代码', '编码', '代码', 'dm', 'bm'],
  grid: ['code', 'wgbm', 'wgdm', '网格编码', '网格代码', '编码', '代码', 'xzqdm', 'bm', 'dm'],
}

const NAME_FIELDS: Record<Level, string[]> = {
  township: ['name', 'xzqmc', 'xzmc', '名称', '乡镇名称', '区划名称', '行政区划名称', '行政区名称', 'mc'],
  village: ['name', 'xzqmc', 'cjqymc', 'cunmc', '名称', '村名', '村名称', '村级区域名称', '区划名称', '行政区划名称', '行政区名称', 'mc'],
  grid: ['name', 'wgmc', '名称', '网格名称', 'xzqmc', 'mc'],
}

const PARENT_FIELDS: Record<Level, string[]> = {
  township: ['countycode', 'county_code', '县代码'],
  village: ['townshipcode', 'township_code', 'parentcode', 'parent_code', 'parent', '乡镇代码', '上级代码', 'sjdm'],
  grid: ['villagecode', 'village_code', 'parentcode', 'parent_code', 'parent', '村代码', '上级代码', 'sjdm'],
}

/** The digits a division code of the level has. */
export const CODE_PATTERN: Record<Level, RegExp> = {
  township: /^\d{9}$/,
  village: /^\d{12}$/,
  grid: /^\d{13,20}$/,
}

/** An attribute value as text: numbers (a .dbf's N fields) as integers, everything trimmed. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined)
    return ''
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? String(value) : String(value)
  return String(value).trim()
}

/** The fields chosen for code, name and parent. */
export interface FieldChoice {
  code: string
  name: string
  parent: string | undefined
  /** How each was chosen, for the output. */
  how: string
}

function byName(fields: readonly string[], candidates: readonly string[]): string[] {
  return candidates.flatMap(c => fields.filter(f => f.trim().toLowerCase() === c))
}

function given(fields: readonly string[], option: string, flag: string): string {
  const exact = fields.find(f => f === option) ?? fields.filter(f => f.toLowerCase() === option.toLowerCase())
  if (typeof exact === 'string')
    return exact
  if (exact.length === 1)
    return exact[0]!
  throw new UsageError(`${flag} "${option}" is not a field of the file (fields: ${fields.join(', ') || 'none'})`)
}

function looksLikeCodes(features: readonly SourceFeature[], field: string, level: Level): boolean {
  const values = features.map(f => textOf(f.properties[field])).filter(v => v !== '')
  return values.length > 0 && values.every(v => CODE_PATTERN[level].test(v))
}

function chooseCode(fields: readonly string[], features: readonly SourceFeature[], level: Level): { field: string, how: string } {
  const named = byName(fields, CODE_FIELDS[level])
  if (named.length === 1)
    return { field: named[0]!, how: 'by its name' }
  const pool = named.length > 1 ? named : fields
  const byValues = pool.filter(f => looksLikeCodes(features, f, level))
  if (byValues.length === 1)
    return { field: byValues[0]!, how: 'by its values' }
  if (named.length > 1)
    throw new UsageError(`several fields could hold the ${level} code (${named.join(', ')}): choose one with --code-field`)
  throw new UsageError(`no code field found: give --code-field (fields: ${fields.join(', ') || 'none'})`)
}

const HAN = /\p{Script=Han}/u

function chooseName(fields: readonly string[], features: readonly SourceFeature[], level: Level, codeField: string): { field: string, how: string } {
  const named = byName(fields, NAME_FIELDS[level]).filter(f => f !== codeField)
  if (named.length >= 1 && (named.length === 1 || named[0]!.toLowerCase() === 'name'))
    return { field: named[0]!, how: 'by its name' }
  if (named.length > 1)
    throw new UsageError(`several fields could hold the ${level} name (${named.join(', ')}): choose one with --name-field`)
  // The one field whose every value is Chinese text is the name.
  const chinese = fields.filter(f => f !== codeField && features.length > 0 && features.every(x => HAN.test(textOf(x.properties[f]))))
  if (chinese.length === 1)
    return { field: chinese[0]!, how: 'by its values' }
  throw new UsageError(`no name field found: give --name-field (fields: ${fields.join(', ') || 'none'})`)
}

/** Chooses the code, name and parent fields: the options when given, else detected when obvious. */
export function chooseFields(fields: readonly string[], features: readonly SourceFeature[], level: Level, options: { codeField?: string, nameField?: string }): FieldChoice {
  const code = options.codeField !== undefined
    ? { field: given(fields, options.codeField, '--code-field'), how: 'from --code-field' }
    : chooseCode(fields, features, level)
  const name = options.nameField !== undefined
    ? { field: given(fields, options.nameField, '--name-field'), how: 'from --name-field' }
    : chooseName(fields, features, level, code.field)
  const parent = byName(fields, PARENT_FIELDS[level]).find(f => f !== code.field && f !== name.field)
  return { code: code.field, name: name.field, parent, how: `code "${code.field}" (${code.how}), name "${name.field}" (${name.how})${parent ? `, parent "${parent}"` : ''}` }
}
