import type { Database } from '../server/src/db/types.ts'
import { resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { describeError, parseOptions, redactUrl, UsageError } from './cli-util.ts'
import { startSimulator } from './simulate/simulator.ts'

/**
 * The live simulator: keeps writing a township's everyday activity into the operational database
 * through plain SQL, as the real systems (case platform, video platform, IoT platform, grid app)
 * would. It never talks to the command-centre server: whatever the wall shows of it came through the
 * integration contract, exactly like production data. One module per activity under `simulate/`
 * (reports, lifecycle moves, ratings, cameras, IoT alarms, check-ins), paced and calibrated by
 * `calibration/` as the generated year is.
 *
 * `npm run simulate -- [--rate N] [--speed N] [--seed N] [--database-url URL | --data-dir DIR] [--duration S]`
 */

export { startSimulator } from './simulate/simulator.ts'
export type { Simulator, SimulatorOptions } from './simulate/simulator.ts'
export type { SimulatorStats } from './simulate/context.ts'

interface CliOptions { rate: number, speed: number, seed: number | undefined, url: string | undefined, dataDir: string, duration: number | undefined }

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined)
    return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${value}"`)
  return n
}

function parseCli(argv: string[]): CliOptions {
  const { str } = parseOptions(argv, ['rate', 'speed', 'seed', 'database-url', 'data-dir', 'duration'])
  const seed = str('seed')
  if (seed !== undefined && !/^\d+$/.test(seed))
    throw new UsageError(`--seed must be a non-negative integer, got "${seed}"`)
  return {
    rate: number('rate', str('rate'), 1),
    speed: number('speed', str('speed'), 1),
    seed: seed === undefined ? undefined : Number(seed),
    url: str('database-url') ?? (process.env.DATABASE_URL || undefined),
    dataDir: str('data-dir') ?? '.data/pglite',
    duration: str('duration') === undefined ? undefined : number('duration', str('duration'), 0),
  }
}

async function main(argv: string[]): Promise<number> {
  let options: CliOptions
  try {
    options = parseCli(argv)
  }
  catch (error) {
    console.error(`simulate: ${(error as Error).message}`)
    return 2
  }
  const { openDatabase } = await import('../server/src/db/index.ts')
  let db: Database
  try {
    db = await openDatabase(options.url ? { url: options.url } : { dataDir: options.dataDir })
  }
  catch (error) {
    const where = options.url ? redactUrl(options.url) : options.dataDir
    console.error(`simulate: cannot open the database at ${where}: ${describeError(error)}`)
    return 2
  }
  const simulator = startSimulator(db, { rate: options.rate, speed: options.speed, seed: options.seed })
  try {
    await simulator.ready
  }
  catch (error) {
    const message = (error as Error).message
    console.error(`simulate: ${/does not exist/.test(message) ? 'the database holds no township (no contract tables); run `npm run mock` first' : message}`)
    await simulator.stop()
    await db.close()
    return 2
  }
  console.log(`simulate: writing ≈${options.rate}/min × speed ${options.speed} into ${options.url ? redactUrl(options.url) : options.dataDir}; Ctrl-C stops`)
  await new Promise<void>((resolve) => {
    const done = (): void => resolve()
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    if (options.duration !== undefined)
      setTimeout(done, options.duration * 1000).unref()
    const report = setInterval(() => console.log(`simulate: ${JSON.stringify(simulator.stats)}`), 60_000)
    report.unref()
  })
  await simulator.stop()
  await db.close()
  console.log(`simulate: stopped ${JSON.stringify(simulator.stats)}`)
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  }, (error: unknown) => {
    console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
}
