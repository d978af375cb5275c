import type { Database } from '../../server/src/db/types.ts'
import type { Context } from './checks/index.ts'
import type { ExportOptions, ImportOptions, Target } from './options.ts'
import type { ReportHeader } from './report.ts'
import type { Layers, WriteSummary } from './target/shared.ts'
import type { Problem, Unit } from './types.ts'
import { existsSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { uncoveredParents } from './checks/codes.ts'
import { NO_CONTEXT, validate } from './checks/index.ts'
import { loadDivisions } from './divisions.ts'
import { describeError, redactUrl, UsageError } from './errors.ts'
import { exportLayers } from './export.ts'
import { readSource } from './formats/index.ts'
import { parseCli } from './options.ts'
import { pictureHtml } from './picture.ts'
import { problemLine, uncheckedLine, writeReport } from './report.ts'
import { assertContract, readDatabaseContext, readDatabaseLayers, writeDatabase } from './target/database.ts'
import { readFilesContext, readFilesLayers, writeFiles } from './target/files.ts'
import { prepareUnits } from './units.ts'

/**
 * `npm run geodata -- import|check <file> --level township|village|grid [options]` and
 * `npm run geodata -- export --out DIR [options]` (tools/geodata/README.md). Exit codes: 0 done (or
 * the check found nothing that stops an import), 1 problems stopped the import (nothing was written)
 * or the write failed (nothing was written), 2 bad input (one line on stderr).
 */

const MAX_PRINTED = 30

const say = (line: string): void => {
  process.stdout.write(`geodata: ${line}\n`)
}

function describeTarget(target: Target): string {
  return target.kind === 'database' ? redactUrl(target.url) : target.kind === 'embedded' ? `the embedded database in ${target.dataDir}` : `${target.dir}/`
}

/** Opens the target's database (UsageError when it cannot be reached, as for `npm run mock`). */
async function openTarget(target: Exclude<Target, { kind: 'files' }>): Promise<Database> {
  const { openDatabase, PgliteDatabase } = await import('../../server/src/db/index.ts')
  try {
    if (target.kind === 'embedded') {
      if (!existsSync(target.dataDir))
        throw new UsageError(`no embedded database in ${target.dataDir} (start the server once, or run npm run mock)`)
      return await PgliteDatabase.open({ dataDir: target.dataDir })
    }
    return await openDatabase({ url: target.url })
  }
  catch (error) {
    if (error instanceof UsageError)
      throw error
    throw new UsageError(`cannot open the database at ${describeTarget(target)}: ${describeError(error)}`)
  }
}

/** Runs `fn` with the target open: its database, or nothing for a geodata directory. */
async function withTarget<T>(target: Target | undefined, fn: (db: Database | undefined) => Promise<T>): Promise<T> {
  if (!target || target.kind === 'files')
    return fn(undefined)
  const db = await openTarget(target)
  try {
    return await fn(db)
  }
  finally {
    await db.close().catch(() => {})
  }
}

async function readContext(o: ImportOptions, db: Database | undefined, units: readonly Unit[]): Promise<{ context: Context, existing: Map<string, unknown> }> {
  if (db)
    return readDatabaseContext(db, units, o.level, o.retireMissing)
  if (o.target?.kind === 'files')
    return readFilesContext(o.target.dir, units, o.level, o.retireMissing)
  return { context: NO_CONTEXT, existing: new Map() }
}

function reportBase(o: ImportOptions): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
  return `${o.level}-${basename(o.file).replace(/[^\w.-]+/g, '_')}-${stamp}`
}

function printProblems(problems: readonly Problem[], blocking: number): void {
  if (problems.length === 0) {
    say('no problems found')
    return
  }
  say(`${problems.length} problem(s), ${blocking} stopping the import:`)
  problems.slice(0, MAX_PRINTED).forEach((p, i) => process.stdout.write(`${problemLine(p, i + 1)}\n`))
  if (problems.length > MAX_PRINTED)
    process.stdout.write(`     … and ${problems.length - MAX_PRINTED} more in the report\n`)
}

function printSummary(s: WriteSummary, where: string): void {
  say(`written to ${where}: ${s.inserted.length} inserted, ${s.updated.length} updated, ${s.unchanged.length} unchanged, ${s.retired.length} retired`)
}

/** `import` and `check`: read, validate (and repair), report, then write all or nothing. */
async function runImport(o: ImportOptions): Promise<number> {
  const source = await readSource(o.file, { maxBytes: o.maxSizeMb * 1e6, layer: o.layer, encoding: o.encoding })
  const prepared = prepareUnits(source, { level: o.level, crs: o.crs, codeField: o.codeField, nameField: o.nameField, parent: o.parent })
  if (prepared.units.length === 0)
    throw new UsageError(`${o.file} holds no polygon features`)
  say(`read ${o.file}: ${source.format}${source.layer ? ` (layer ${source.layer})` : ''}, ${source.features.length} feature(s), CRS ${prepared.crs.label}, fields: ${prepared.fields.how}`)
  const divisions = loadDivisions(o.divisionsDir)
  return withTarget(o.target, async (db) => {
    const { context, existing } = await readContext(o, db, prepared.units)
    const v = validate(prepared.units, context, { level: o.level, tolerance: o.toleranceM, repair: o.repair, accept: o.accept, divisions, orientationByFormat: source.orientationByFormat })
    v.problems.unshift(...prepared.problems)
    v.blocking += prepared.problems.length
    const header: ReportHeader = { command: o.command, file: o.file, format: source.format, layer: source.layer, level: o.level, crs: prepared.crs.label, fields: prepared.fields.how, tolerance: o.toleranceM, repair: o.repair, units: prepared.units.length, uncheckedParents: uncoveredParents(v.units, o.level, divisions) }
    const unchecked = uncheckedLine(header)
    if (unchecked)
      say(unchecked)
    const paths = await writeReport(o.reportDir, reportBase(o), header, v, pictureHtml(header, v.units, v.problems, context, v.frame))
    printProblems(v.problems, v.blocking)
    if (v.repairs.length > 0)
      say(`${v.repairs.length} safe repair(s) applied (listed in the report)`)
    say(`report ${paths.text}, picture ${paths.html}`)
    if (v.blocking > 0) {
      const repairable = v.problems.some(p => p.severity === 'repairable') ? ' (run with --repair to apply the safe repairs)' : ''
      say(o.command === 'import' ? `import stopped, nothing was written${repairable}` : `${v.blocking} problem(s) would stop an import${repairable}`)
      return 1
    }
    if (o.command === 'check')
      return 0
    const write = { level: o.level, retireMissing: o.retireMissing, parent: o.parent, frame: v.frame }
    const summary = db
      ? await writeDatabase(db, v.units, existing as Parameters<typeof writeDatabase>[2], write, divisions)
      : await writeFiles((o.target as { dir: string }).dir, v.units, existing as Parameters<typeof writeFiles>[2], write, divisions)
    printSummary(summary, describeTarget(o.target!))
    return 0
  })
}

/** `export`: the boundaries of the database or geodata directory, in each format. */
async function runExport(o: ExportOptions): Promise<number> {
  const layers = await withTarget(o.target, async (db): Promise<Layers> => {
    if (db) {
      await assertContract(db)
      return readDatabaseLayers(db, o.township)
    }
    return readFilesLayers((o.target as { dir: string }).dir, o.township)
  })
  const count = o.levels.reduce((n, level) => n + layers[level].length, 0)
  if (count === 0)
    throw new UsageError(`no boundaries to export in ${describeTarget(o.target)}${o.township ? ` for township ${o.township}` : ''}`)
  const written = await exportLayers(layers, o.out, o.formats, o.crs, o.levels)
  say(`exported ${o.levels.map(l => `${layers[l].length} ${l}(s)`).join(', ')} from ${describeTarget(o.target)} in ${o.crs.label}:`)
  for (const path of written)
    process.stdout.write(`  ${path}\n`)
  return 0
}

/** Runs the command line; resolves to the exit code. */
export async function runGeodataCli(argv: readonly string[]): Promise<number> {
  try {
    const options = parseCli(argv)
    return options.command === 'export' ? await runExport(options) : await runImport(options)
  }
  catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`geodata: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`geodata: failed, nothing was written: ${describeError(error)}\n`)
    return 1
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  // `… | head` closes the pipe early: the command carries on (an import still completes or not, as
  // a whole) and exits with its own code, not with an EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED')
      throw error
  })
  runGeodataCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  }, (error: unknown) => {
    process.stderr.write(`geodata: ${describeError(error)}\n`)
    process.exitCode = 1
  })
}
