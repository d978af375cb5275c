import type { Crs } from './crs.ts'
import type { ExportFormat } from './export.ts'
import type { Level, ProblemKind } from './types.ts'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { parseCrsOption, WGS84 } from './crs.ts'
import { UsageError } from './errors.ts'
import { EXPORT_FORMATS } from './export.ts'
import { LEVELS, PROBLEM_KINDS } from './types.ts'

/** Where boundaries are read from or written to. */
export type Target
  = | { kind: 'database', url: string }
    | { kind: 'embedded', dataDir: string }
    | { kind: 'files', dir: string }

/** `import` and `check`. */
export interface ImportOptions {
  command: 'import' | 'check'
  file: string
  level: Level
  target: Target | undefined
  crs: Crs | undefined
  codeField?: string
  nameField?: string
  parent?: string
  layer?: string
  encoding?: string
  repair: boolean
  toleranceM: number
  maxSizeMb: number
  retireMissing: boolean
  accept: Set<ProblemKind>
  reportDir: string
  divisionsDir?: string
}

/** `export`. */
export interface ExportOptions {
  command: 'export'
  target: Target
  out: string
  formats: ExportFormat[]
  levels: Level[]
  township?: string
  crs: Crs
}

export type CliOptions = ImportOptions | ExportOptions

/** Kinds `--accept` may name: the ones a township may have reasons for. Broken geometry is never accepted. */
export const ACCEPTABLE: readonly ProblemKind[] = ['name-mismatch', 'code-unknown', 'area-implausible', 'sliver']

const STRING_OPTIONS = ['level', 'crs', 'code-field', 'name-field', 'parent', 'layer', 'encoding', 'tolerance-m', 'max-size-mb', 'accept', 'report-dir', 'divisions', 'database-url', 'data-dir', 'geodata-dir', 'out', 'format', 'township']
const FLAGS = ['repair', 'retire-missing']

/** Joins `--name -5` into `--name=-5`, so that a negative number reaches validation and its message. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1]
    if (argv[i]!.startsWith('--') && !argv[i]!.includes('=') && next !== undefined && /^-(?:\d|\.\d|Infinity|NaN)/.test(next)) {
      out.push(`${argv[i]}=${next}`)
      i++
    }
    else {
      out.push(argv[i]!)
    }
  }
  return out
}

function parse(argv: readonly string[]): { values: Record<string, string | boolean | undefined>, positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv),
      options: Object.fromEntries([...STRING_OPTIONS.map(n => [n, { type: 'string' as const }]), ...FLAGS.map(n => [n, { type: 'boolean' as const }])]),
      strict: true,
      allowPositionals: true,
    })
    return { values: values as Record<string, string | boolean | undefined>, positionals }
  }
  catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
}

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined)
    return fallback
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0 || text.trim() === '')
    throw new UsageError(`--${name} must be a positive number, got "${text}"`)
  return n
}

function levelOf(text: string | undefined): Level {
  if (text === undefined)
    throw new UsageError('--level is required: township, village or grid')
  const level = text === 'villages' ? 'village' : text === 'grids' ? 'grid' : text
  if (!(LEVELS as readonly string[]).includes(level))
    throw new UsageError(`unknown --level "${text}": use township, village or grid`)
  return level as Level
}

function targetOf(v: Record<string, string | boolean | undefined>, env: Record<string, string | undefined>): Target | undefined {
  const given = ['database-url', 'data-dir', 'geodata-dir'].filter(n => typeof v[n] === 'string')
  if (given.length > 1)
    throw new UsageError(`give one target, not ${given.map(n => `--${n}`).join(' and ')}`)
  if (typeof v['database-url'] === 'string')
    return { kind: 'database', url: v['database-url'] }
  if (typeof v['data-dir'] === 'string')
    return { kind: 'embedded', dataDir: v['data-dir'] }
  if (typeof v['geodata-dir'] === 'string')
    return { kind: 'files', dir: v['geodata-dir'] }
  return env.DATABASE_URL ? { kind: 'database', url: env.DATABASE_URL } : undefined
}

function acceptOf(text: string | undefined): Set<ProblemKind> {
  const kinds = (text ?? '').split(',').map(s => s.trim()).filter(Boolean)
  for (const kind of kinds) {
    if (!(PROBLEM_KINDS as readonly string[]).includes(kind) || !ACCEPTABLE.includes(kind as ProblemKind))
      throw new UsageError(`--accept takes ${ACCEPTABLE.join(', ')}; got "${kind}"`)
  }
  return new Set(kinds as ProblemKind[])
}

function listOf<T extends string>(text: string | undefined, all: readonly T[], name: string, fallback: readonly T[]): T[] {
  if (text === undefined)
    return [...fallback]
  const items = text.split(',').map(s => s.trim()).map(s => (s === 'villages' ? 'village' : s === 'grids' ? 'grid' : s))
  for (const item of items) {
    if (!(all as readonly string[]).includes(item))
      throw new UsageError(`unknown --${name} "${item}": use ${all.join(', ')}`)
  }
  return items as T[]
}

function importOptions(command: 'import' | 'check', file: string, v: Record<string, string | boolean | undefined>, env: Record<string, string | undefined>): ImportOptions {
  const str = (n: string): string | undefined => (typeof v[n] === 'string' ? v[n] as string : undefined)
  const target = targetOf(v, env)
  if (command === 'import' && !target)
    throw new UsageError('import needs a target: --database-url URL, --data-dir DIR (the embedded database) or --geodata-dir DIR')
  const parent = str('parent')
  if (parent !== undefined && !/^\d{6,12}$/.test(parent))
    throw new UsageError(`--parent must be a division code (6, 9 or 12 digits), got "${parent}"`)
  return {
    command,
    file,
    level: levelOf(str('level')),
    target,
    crs: str('crs') === undefined ? undefined : parseCrsOption(str('crs')!),
    codeField: str('code-field'),
    nameField: str('name-field'),
    parent,
    layer: str('layer'),
    encoding: str('encoding'),
    repair: v.repair === true,
    toleranceM: positiveNumber(str('tolerance-m'), 'tolerance-m', 0.5),
    maxSizeMb: positiveNumber(str('max-size-mb'), 'max-size-mb', 100),
    retireMissing: v['retire-missing'] === true,
    accept: acceptOf(str('accept')),
    reportDir: str('report-dir') ?? '.data/geodata-reports',
    divisionsDir: str('divisions'),
  }
}

function exportOptions(v: Record<string, string | boolean | undefined>, env: Record<string, string | undefined>): ExportOptions {
  const str = (n: string): string | undefined => (typeof v[n] === 'string' ? v[n] as string : undefined)
  const target = targetOf(v, env)
  if (!target)
    throw new UsageError('export needs a source: --database-url URL, --data-dir DIR (the embedded database) or --geodata-dir DIR')
  const out = str('out')
  if (!out)
    throw new UsageError('export needs --out DIR')
  const township = str('township')
  if (township !== undefined && !/^\d{9}$/.test(township))
    throw new UsageError(`--township must be a 9-digit code, got "${township}"`)
  return {
    command: 'export',
    target,
    out,
    formats: listOf(str('format'), EXPORT_FORMATS, 'format', ['geojson', 'shapefile']),
    levels: listOf(str('level'), LEVELS, 'level', LEVELS),
    township,
    crs: str('crs') === undefined ? WGS84 : parseCrsOption(str('crs')!),
  }
}

/** Parses `import|check <file> …` or `export …` (a UsageError with one line when it makes no sense). */
export function parseCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliOptions {
  const { values, positionals } = parse(argv)
  const [command, ...rest] = positionals
  if (command === 'export') {
    if (rest.length > 0)
      throw new UsageError(`export takes no file argument (got "${rest[0]}"): give --out DIR`)
    return exportOptions(values, env)
  }
  if (command === 'import' || command === 'check') {
    if (rest.length !== 1)
      throw new UsageError(`${command} takes one file, e.g. npm run geodata -- ${command} villages.zip --level village`)
    return importOptions(command, rest[0]!, values, env)
  }
  throw new UsageError(command === undefined ? 'give a command: import, check or export' : `unknown command "${command}": use import, check or export`)
}
