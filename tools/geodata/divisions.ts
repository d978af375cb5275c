import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Official division codes and names: the National Bureau of Statistics' 2023 统计用区划代码, copied from
 * shared/data/divisions (the seed counties' townships and the seed townships' villages) into
 * `tools/geodata/divisions/`, so the tool needs nothing outside the repository. `--divisions DIR` reads
 * another directory of such CSV files (e.g. a whole province): columns `code,name,…`, the code's length
 * telling the level (6 county, 9 township, 12 village).
 */
export interface Divisions {
  counties: ReadonlyMap<string, string>
  townships: ReadonlyMap<string, string>
  villages: ReadonlyMap<string, string>
}

export const DEFAULT_DIVISIONS_DIR = fileURLToPath(new URL('./divisions/', import.meta.url))

function parseCsvLine(line: string): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"'
      i++
    }
    else if (c === '"') {
      quoted = !quoted
    }
    else if (c === ',' && !quoted) {
      out.push(field)
      field = ''
    }
    else {
      field += c
    }
  }
  out.push(field)
  return out
}

/** Loads every CSV file of the directory. */
export function loadDivisions(dir: string = DEFAULT_DIVISIONS_DIR): Divisions {
  const counties = new Map<string, string>()
  const townships = new Map<string, string>()
  const villages = new Map<string, string>()
  const byLength: Record<number, Map<string, string>> = { 6: counties, 9: townships, 12: villages }
  for (const file of readdirSync(dir).filter(f => f.endsWith('.csv')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split(/\r?\n/)
    const header = parseCsvLine(lines[0] ?? '').map(h => h.trim().toLowerCase())
    const codeAt = header.indexOf('code')
    const nameAt = header.indexOf('name')
    if (codeAt < 0 || nameAt < 0)
      continue
    for (const line of lines.slice(1)) {
      const cells = parseCsvLine(line)
      const code = cells[codeAt]?.trim() ?? ''
      byLength[code.length]?.set(code, cells[nameAt]?.trim() ?? '')
    }
  }
  return { counties, townships, villages }
}

/**
 * The name maps and residents use for an official village name: without the committee suffix
 * ("江西村委会" → "江西村", "双街新家园社区居委会" → "双街新家园社区", "前童居民委员会" → "前童社区"), as the
 * mock township and the wall name them.
 */
export function displayName(official: string): string {
  return official
    .replace(/社区(?:居委会|居民委员会)$/, '社区')
    .replace(/(?:居委会|居民委员会)$/, '社区')
    .replace(/村(?:委会|民委员会)$/, '村')
}

const normalise = (name: string): string => name.replace(/\s+/g, '')

/** Whether a name is the official one or its display form. */
export function nameMatches(name: string, official: string): boolean {
  const n = normalise(name)
  return n === normalise(official) || n === normalise(displayName(official))
}

/** Levenshtein distance, for suggesting the official name closest to a misspelled one. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return prev[b.length]!
}

/** The official entries (code → name) under a parent code. */
export function childrenOf(map: ReadonlyMap<string, string>, parent: string): [string, string][] {
  return [...map].filter(([code]) => code.startsWith(parent))
}

/** The official entry whose name (or display name) is closest to `name`, within one or two edits. */
export function closestByName(name: string, entries: readonly [string, string][]): [string, string] | undefined {
  let best: [string, string] | undefined
  let bestDistance = Infinity
  for (const entry of entries) {
    const d = Math.min(editDistance(normalise(name), normalise(entry[1])), editDistance(normalise(name), normalise(displayName(entry[1]))))
    if (d < bestDistance) {
      best = entry
      bestDistance = d
    }
  }
  return best && bestDistance <= Math.max(1, Math.floor(normalise(name).length / 3)) ? best : undefined
}
