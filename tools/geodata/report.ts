import type { Validation } from './checks/index.ts'
import type { Level, Problem, Repair } from './types.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** What the report says about the input. */
export interface ReportHeader {
  command: 'check' | 'import'
  file: string
  format: string
  layer: string | undefined
  level: Level
  crs: string
  fields: string
  tolerance: number
  repair: boolean
  units: number
  /** Parents whose units' codes and names the official division list cannot check (none: all checked). */
  uncheckedParents: string[]
}

/** The line saying which codes and names the official list could not check, or undefined. */
export function uncheckedLine(header: Pick<ReportHeader, 'uncheckedParents' | 'level'>): string | undefined {
  if (header.uncheckedParents.length === 0)
    return undefined
  return `codes and names not compared with the official list: it has no ${header.level === 'township' ? 'townships' : 'villages'} of ${header.uncheckedParents.join(', ')} (give --divisions DIR with its 统计用区划代码 CSV)`
}

const at = (p: Problem | Repair): string => (p.at ? `${p.at[0].toFixed(6)},${p.at[1].toFixed(6)}` : '—')

/** One line of a problem: number, severity, kind, features, place, size, what. */
export function problemLine(p: Problem, n: number): string {
  const size = p.areaM2 > 0 ? `${p.areaM2 < 10 ? p.areaM2.toFixed(2) : p.areaM2.toFixed(0)} m²` : '0 m²'
  const suggestion = p.suggestion ? ` — suggested: ${p.suggestion}` : ''
  return `${String(n).padStart(3)}. ${p.severity.padEnd(10)} ${p.kind.padEnd(20)} ${p.features.join(' × ') || '—'} at ${at(p)}, ${size}: ${p.message}${suggestion}`
}

/** The report as text (also what the command prints, up to a limit). */
export function reportText(header: ReportHeader, v: Validation, picture: string | undefined): string {
  const stopping = v.problems.filter(p => p.severity === 'error' || p.severity === 'repairable')
  const lines = [
    `geodata ${header.command} ${header.file}`,
    `format ${header.format}${header.layer ? ` (layer ${header.layer})` : ''}, ${header.units} ${header.level} feature(s), CRS ${header.crs}`,
    `fields: ${header.fields}`,
    `tolerance ${header.tolerance} m, repair ${header.repair ? 'on' : 'off'}`,
    ...[uncheckedLine(header)].filter(line => line !== undefined),
    '',
    `problems: ${v.problems.length} (${stopping.length} stop the import${stopping.some(p => p.severity === 'repairable') ? ', the repairable ones unless --repair' : ''})`,
    ...v.problems.map(problemLine),
    '',
    `repairs applied: ${v.repairs.length}`,
    ...v.repairs.map(r => `  - ${r.kind.padEnd(17)} ${r.feature} at ${at(r)}: ${r.detail}`),
  ]
  if (picture)
    lines.push('', `picture: ${picture}`)
  return `${lines.join('\n')}\n`
}

/** Writes `<base>.txt`, `<base>.json` and (given) `<base>.html`; returns their paths. */
export async function writeReport(dir: string, base: string, header: ReportHeader, v: Validation, html: string): Promise<{ text: string, json: string, html: string }> {
  await mkdir(dir, { recursive: true })
  const paths = { text: join(dir, `${base}.txt`), json: join(dir, `${base}.json`), html: join(dir, `${base}.html`) }
  await writeFile(paths.html, html)
  await writeFile(paths.text, reportText(header, v, paths.html))
  await writeFile(paths.json, `${JSON.stringify({ ...header, blocking: v.blocking, problems: v.problems.map(({ pieces: _, ...p }) => p), repairs: v.repairs }, null, 2)}\n`)
  return paths
}
