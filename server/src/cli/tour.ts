import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { readTours, tourSummary } from '../api/tours.ts'
import { parseTour, TourError, tourNameOf } from '../domain/tour.ts'
import { commandConfig, runCommand, UsageError } from './app-db.ts'

const USAGE = `usage: npm run tour -- <command>
  list                 the tours in TOURS_DIR (default tours/): name, steps, length, title, or why one is refused
  check <file>…        validates tour files (YAML or JSON); exit 1 with one line naming the step and field`

/** `m:ss` of a number of seconds. */
function length(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** `npm run tour -- list|check <file>…`: every refusal on stderr, exit 1 when any file is refused. */
async function main(argv: string[]): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: {} })
  }
  catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`)
  }
  const [command, ...files] = parsed.positionals
  if (command === 'list' && files.length === 0) {
    const config = commandConfig()
    const tours = await readTours(config.toursDir)
    if (tours.length === 0)
      process.stdout.write(`no tours in ${config.toursDir}\n`)
    for (const summary of tours.map(tourSummary)) {
      if (summary.error)
        process.stderr.write(`✗ ${summary.name}  ${summary.error}\n`)
      else
        process.stdout.write(`${summary.name}  ${summary.steps} steps, ${length(summary.seconds)}  ${summary.title!.zh} · ${summary.title!.en}\n`)
    }
    if (tours.some(t => t.error !== null))
      process.exitCode = 1
    return
  }
  if (command !== 'check' || files.length === 0)
    throw new UsageError(USAGE)
  for (const file of files) {
    const name = basename(file)
    try {
      const source = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new TourError(`${name}: cannot be read (${error.code ?? error.message})`)
      })
      const tour = parseTour(source, tourNameOf(name) ?? name, name)
      process.stdout.write(`ok: ${name}  ${tour.steps.length} steps, ${length(tour.steps.reduce((sum, step) => sum + step.seconds, 0))}\n`)
    }
    catch (error) {
      if (!(error instanceof TourError))
        throw error
      process.stderr.write(`error: ${error.message}\n`)
      process.exitCode = 1
    }
  }
}

await runCommand(() => main(process.argv.slice(2)))
