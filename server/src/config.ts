import { resolve } from 'node:path'
import { z } from 'zod'

const port = z.string().trim().regex(/^\d+$/, 'an integer from 0 to 65535').transform(Number).pipe(z.number().int().min(0, 'an integer from 0 to 65535').max(65535, 'an integer from 0 to 65535'))

const url = (protocols: string[]) => z.string().trim().refine((value) => {
  try {
    return protocols.includes(new URL(value).protocol)
  }
  catch {
    return false
  }
}, `a URL starting with ${protocols.map(p => `${p}//`).join(' or ')}`)

const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'one of 1/0, true/false, yes/no, on/off' })
  .transform(value => ['1', 'true', 'yes', 'on'].includes(value))

/**
 * Every environment variable the server reads, with its default. The README's "Configuration" table
 * is written from this schema: keep them together.
 */
const schema = z.object({
  PORT: port.default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_PREFIX: z.string().trim().regex(/^[\w:-]{1,40}$/, 'letters, digits, _, : or - (at most 40)').default('cc'),
  TOWNSHIP_NAME: z.string().trim().max(40, 'at most 40 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  SCREEN_DIR: z.string().trim().min(1).default('dist/screen'),
  SHUTDOWN_TIMEOUT_MS: z.string().trim().regex(/^\d+$/, 'a whole number of milliseconds').transform(Number).default(5000),
  DEMO: flag.optional(),
  MOCK_SEED: z.string().trim().regex(/^\d{1,9}$/, 'a whole number').transform(Number).default(7),
  MOCK_TOWNSHIP: z.string().trim().regex(/^\d{9}$/, 'a 9-digit township division code, e.g. 430821103').default('430821103'),
  TEMPLATE_DIR: z.string().trim().min(1).optional(),
  DEMO_SPEED: z.string().trim().regex(/^\d+(\.\d+)?$/, 'a positive number (1 = real time)').transform(Number).pipe(z.number().positive('a positive number (1 = real time)').max(1000, 'at most 1000')).default(1),
  FRAME_BATCHING: flag.default(true),
  CHANGE_CAPTURE: z.enum(['notify', 'poll'], { error: 'notify (triggers + LISTEN/NOTIFY) or poll (watermark polling on updated_at)' }).default('notify'),
  POLL_INTERVAL_MS: z.string().trim().regex(/^\d+$/, 'a whole number of milliseconds from 50 to 60000').transform(Number).pipe(z.number().min(50, 'a whole number of milliseconds from 50 to 60000').max(60_000, 'a whole number of milliseconds from 50 to 60000')).default(1000),
})

export interface Config {
  port: number
  host: string
  databaseUrl: string | undefined
  /** Where the embedded database and other state live (`DATA_DIR`). */
  dataDir: string
  redisUrl: string | undefined
  /** Prefix of this deployment's Redis keys and channels (several deployments may share a Redis). */
  redisPrefix: string
  townshipName: string | undefined
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** The built screen (Vite's output) served at `/`. */
  screenDir: string
  shutdownTimeoutMs: number
  /** Run the live simulator in-process; on by default with the embedded database. */
  demo: boolean
  /** How changes are captured: NOTIFY triggers where allowed, or watermark polling. */
  changeCapture: 'notify' | 'poll'
  pollIntervalMs: number
  /** Seed and township of the mock data the embedded database is created with. */
  mockSeed: number
  mockTownship: string
  /** Where seeded embedded-database templates are kept (default DATA_DIR/templates). */
  templateDir: string
  /** Time-lapse factor of the demo simulator. */
  demoSpeed: number
  /** Batch changes into ~100 ms frames (true), or emit once per change (false: the benchmark's baseline). */
  frameBatching: boolean
}

/** A configuration value that cannot be used: names the variable and what was expected, in one line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the configuration; throws a one-line `ConfigError` on the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key in schema.shape && value !== undefined && value !== ''))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0])
    const got = present[name]
    throw new ConfigError(`${name} must be ${issue.message.replace(/^Invalid input: expected /, '')} (got ${JSON.stringify(got)})`)
  }
  const v = parsed.data
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    dataDir: resolve(v.DATA_DIR),
    redisUrl: v.REDIS_URL,
    redisPrefix: v.REDIS_PREFIX,
    townshipName: v.TOWNSHIP_NAME,
    logLevel: v.LOG_LEVEL,
    screenDir: resolve(v.SCREEN_DIR),
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    demo: v.DEMO ?? v.DATABASE_URL === undefined,
    changeCapture: v.CHANGE_CAPTURE,
    pollIntervalMs: v.POLL_INTERVAL_MS,
    mockSeed: v.MOCK_SEED,
    mockTownship: v.MOCK_TOWNSHIP,
    templateDir: resolve(v.TEMPLATE_DIR ?? `${v.DATA_DIR}/templates`),
    demoSpeed: v.DEMO_SPEED,
    frameBatching: v.FRAME_BATCHING,
  }
}
