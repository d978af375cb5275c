import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { parseOptions, UsageError } from '../../mock/cli-util.ts'
import { runSoak } from './run.ts'

/**
 * `npm run soak -- [--hours 24] [--speed 60] [--short] [--rate 1] [--sample-minutes M] [--warmup 0.25]
 * [--scale 1] [--viewport 1920x1080] [--out-dir bench/results] [--name soak-…]`: see tools/soak/README.md.
 * Exit 0 when every series stays within its bound and the day rolled over; 1 naming what failed; 2 on usage.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined)
    return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${value}"`)
  return n
}

function parse(argv: string[]) {
  const { str, flag } = parseOptions(argv, ['hours', 'speed', 'rate', 'sample-minutes', 'warmup', 'scale', 'viewport', 'out-dir', 'name', 'midnight-at'], ['short'])
  const short = flag('short')
  const hours = positive('hours', str('hours'), short ? 2 : 24)
  const speed = positive('speed', str('speed'), short ? 120 : 60)
  const viewport = str('viewport') ?? (short ? '1280x720' : '1920x1080')
  const size = /^(\d{3,4})x(\d{3,4})$/.exec(viewport)
  if (!size)
    throw new UsageError(`--viewport must be WIDTHxHEIGHT, got "${viewport}"`)
  const warmup = positive('warmup', str('warmup'), 0.25)
  const midnightAt = positive('midnight-at', str('midnight-at'), 0.5)
  if (warmup >= 0.8 || midnightAt >= 1)
    throw new UsageError('--warmup must be below 0.8 and --midnight-at below 1 (shares of the run)')
  const name = str('name') ?? `soak-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}-${hours}h`
  if (!/^[\w.-]+$/.test(name))
    throw new UsageError(`--name must be letters, digits, . _ -, got "${name}"`)
  return {
    hours,
    speed,
    rate: positive('rate', str('rate'), 1),
    // About 60 samples a run unless told, never more often than every 2 real seconds.
    sampleMinutes: positive('sample-minutes', str('sample-minutes'), Math.max(hours, speed * 2 / 60)),
    warmupFraction: warmup,
    midnightAt,
    scale: positive('scale', str('scale'), short ? 0.3 : 1),
    viewport: { width: Number(size[1]), height: Number(size[2]) },
    timeZone: process.env.TIME_ZONE || 'Asia/Shanghai',
    outDir: str('out-dir') ?? join(root, 'bench', 'results'),
    name,
    log: (line: string) => console.log(line),
  }
}

let options: ReturnType<typeof parse>
try {
  options = parse(process.argv.slice(2))
}
catch (error) {
  console.error(`soak: ${(error as Error).message}`)
  process.exit(2)
}
try {
  const report = await runSoak(options)
  console.log(`soak: report in ${join(options.outDir, `${options.name}.md`)} (.json, .svg, .png)`)
  if (report.passed) {
    console.log(`soak: passed — ${report.series.map(v => `${v.bound.series} ${v.perDay.toFixed(2)}/day`).join(', ')}; ${report.rollover.reason}`)
  }
  else {
    for (const failure of report.failures)
      console.error(`soak: FAIL ${failure}`)
    process.exitCode = 1
  }
}
catch (error) {
  console.error(`soak: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  process.exitCode = 1
}
