import type { BasemapConfig, MapConfig, WatchdogConfig } from './wire/index.ts'
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

const seconds = (min: number, max: number, expected: string) => z.string().trim().regex(/^\d+$/, expected).transform(Number).pipe(z.number().min(min, expected).max(max, expected))

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
  TOURS_DIR: z.string().trim().min(1).default('tours'),
  SHUTDOWN_TIMEOUT_MS: z.string().trim().regex(/^\d+$/, 'a whole number of milliseconds').transform(Number).default(5000),
  DEMO: flag.optional(),
  MOCK_SEED: z.string().trim().regex(/^\d{1,9}$/, 'a whole number').transform(Number).default(7),
  MOCK_TOWNSHIP: z.string().trim().regex(/^\d{9}$/, 'a 9-digit township division code, e.g. 430821103').default('430821103'),
  TEMPLATE_DIR: z.string().trim().min(1).optional(),
  DEMO_SPEED: z.string().trim().regex(/^\d+(\.\d+)?$/, 'a positive number (1 = real time)').transform(Number).pipe(z.number().positive('a positive number (1 = real time)').max(1000, 'at most 1000')).default(1),
  CHANGE_CAPTURE: z.enum(['notify', 'poll'], { error: 'notify (triggers + LISTEN/NOTIFY) or poll (watermark polling on updated_at)' }).default('notify'),
  POLL_INTERVAL_MS: z.string().trim().regex(/^\d+$/, 'a whole number of milliseconds from 50 to 60000').transform(Number).pipe(z.number().min(50, 'a whole number of milliseconds from 50 to 60000').max(60_000, 'a whole number of milliseconds from 50 to 60000')).default(1000),
  MAP_BASEMAP: z.enum(['none', 'naturalearth', 'xyz', 'tms', 'wmts'], { error: 'one of none, naturalearth, xyz, tms, wmts' }).default('none'),
  MAP_TILE_URL: url(['http:', 'https:']).optional(),
  MAP_TILE_SUBDOMAINS: z.string().trim().regex(/^[\w.,-]{1,60}$/, 'subdomain letters, e.g. 01234567 or a,b,c').optional(),
  MAP_TILE_MAX_LEVEL: seconds(0, 22, 'a zoom level from 0 to 22').default(18),
  MAP_TILE_CRS: z.enum(['webmercator', 'geographic'], { error: 'webmercator (EPSG:3857) or geographic (EPSG:4326/CGCS2000)' }).default('webmercator'),
  MAP_WMTS_LAYER: z.string().trim().max(100).optional(),
  MAP_WMTS_STYLE: z.string().trim().max(100).default('default'),
  MAP_WMTS_MATRIX_SET: z.string().trim().max(100).optional(),
  MAP_WMTS_FORMAT: z.string().trim().max(100).default('image/png'),
  MAP_ATTRIBUTION: z.string().trim().max(200, 'at most 200 characters').optional(),
  MAP_REVIEW_NUMBER: z.string().trim().max(60, 'at most 60 characters').optional(),
  MAP_ORBIT_SECONDS: seconds(0, 86_400, 'seconds per turn from 0 (off) to 86400').default(720),
  MAP_IDLE_SECONDS: seconds(5, 86_400, 'seconds from 5 to 86400').default(90),
  MAP_RETURN_HOME_SECONDS: seconds(5, 86_400, 'seconds from 5 to 86400').default(60),
  CAMERA_HLS_URL: url(['http:', 'https:']).refine(value => /\{(?:code|id)\}/.test(value), 'a URL with {code} or {id}').optional(),
  TIME_ZONE: z.string().trim().refine(validZone, 'an IANA time zone, e.g. Asia/Shanghai').default('Asia/Shanghai'),
  WALL_MEMORY_LIMIT_MB: seconds(0, 65_536, 'megabytes from 0 (off) to 65536').default(1500),
  WALL_RELOAD_HOURS: z.string().trim().regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-4])$/, 'hours like 03-05 (from 03:00 to 05:00)').refine((value) => {
    const [from, to] = value.split('-').map(Number)
    return from !== to
  }, 'two different hours, like 03-05').default('03-05'),
  APP_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  WALL_ACCESS: z.enum(['open', 'device'], { error: 'open (any client on the intranet may view the wall) or device (a display token is needed)' }).optional(),
  SESSION_IDLE_MINUTES: seconds(1, 1440, 'minutes from 1 to 1440').default(30),
  SESSION_ABSOLUTE_HOURS: seconds(1, 168, 'hours from 1 to 168').default(12),
  LOGIN_MAX_FAILURES: seconds(1, 100, 'a number of attempts from 1 to 100').default(5),
  LOGIN_LOCK_MINUTES: seconds(1, 60, 'minutes from 1 to 60').default(1),
  ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters (see the password policy in the README)').max(200).optional(),
  ALLOWED_ORIGINS: z.string().trim().refine(value => value.split(',').every(o => /^https?:\/\/[^/\s]+$/.test(o.trim())), 'origins like http://wall.intranet:8080, comma-separated').optional(),
  TRUST_PROXY: flag.default(false),
  AUDIT_RETENTION_DAYS: seconds(1, 3650, 'days from 1 to 3650').default(180),
  TLS_CERT: z.string().trim().min(1).optional(),
  CASE_WRITEBACK: flag.optional(),
  MAP2D_RENDERER: z.enum(['maplibre', 'mapbox'], { error: 'maplibre (offline, the default) or mapbox (needs MAPBOX_ACCESS_TOKEN and contacts Mapbox)' }).default('maplibre'),
  MAPBOX_ACCESS_TOKEN: z.string().trim().regex(/^pk\.[\w.-]{20,}$/, 'a public Mapbox token (pk.…)').optional(),
  SPECIAL_POPULATION_MIN_COUNT: seconds(1, 100, 'a whole number from 1 to 100').default(3),
  METRICS_TOKEN: z.string().trim().min(16, 'at least 16 characters').max(200).optional(),
  TLS_KEY: z.string().trim().min(1).optional(),
})

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  }
  catch {
    return false
  }
}

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
  /** The guided tours (`<name>.yaml|.yml|.json`) served at `/api/tours` and played at `/?tour=<name>`. */
  toursDir: string
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
  /** The 3D map: base layer, attribution and 审图号, idle behaviour, camera streams (sent to screens). */
  map: MapConfig
  /** The one time zone of every date and time the product computes or shows (IANA name). */
  timeZone: string
  /** The wall's memory watchdog (sent to screens): its heap limit and the quiet hours it reloads in. */
  watchdog: WatchdogConfig
  /** Where accounts, sessions and the audit log live: a writable PostgreSQL, else the contract's database. */
  appDatabaseUrl: string | undefined
  /** `open`: any client may view the wall; `device`: a wall presents a display token. */
  wallAccess: 'open' | 'device'
  auth: {
    idleMinutes: number
    absoluteHours: number
    maxFailures: number
    lockMinutes: number
    /** The first administrator's password (else one is generated and printed once). */
    adminPassword: string | undefined
    /** Origins allowed to open Socket.IO connections and send state-changing requests; empty: this server's own. */
    allowedOrigins: string[]
    /** Take the client's address from X-Forwarded-For (behind a reverse proxy). */
    trustProxy: boolean
    auditRetentionDays: number
  }
  /** The console's 2D map: maplibre-gl (offline) or, opted in with a token, mapbox-gl. */
  map2d: { renderer: 'maplibre' | 'mapbox', mapboxAccessToken: string | null }
  /** Special-population counts below this (but above 0) leave the server as "<N". */
  specialMinCount: number
  /** Whether the console may move cases through their lifecycle in the contract database (on in the embedded demo). */
  caseWriteback: boolean
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined
  /** The server's own certificate and key (PEM files), to serve HTTPS without a reverse proxy. */
  tls: { cert: string, key: string } | undefined
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
  if (v.MAP_BASEMAP !== 'none' && v.MAP_BASEMAP !== 'naturalearth') {
    const tileUrl = v.MAP_TILE_URL
    if (!tileUrl)
      throw new ConfigError(`MAP_TILE_URL must be set when MAP_BASEMAP is ${v.MAP_BASEMAP} (got nothing)`)
    if (v.MAP_BASEMAP !== 'wmts' && !/\{z\}/.test(tileUrl))
      throw new ConfigError(`MAP_TILE_URL must be a template with {z}, {x} and {y} (got ${JSON.stringify(tileUrl)})`)
    if (v.MAP_BASEMAP === 'wmts' && !/\{TileMatrix\}/.test(tileUrl) && !v.MAP_WMTS_LAYER)
      throw new ConfigError(`MAP_WMTS_LAYER must be set for a WMTS URL without {TileMatrix}, {TileRow}, {TileCol} (got nothing)`)
  }
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
    toursDir: resolve(v.TOURS_DIR),
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    demo: v.DEMO ?? v.DATABASE_URL === undefined,
    changeCapture: v.CHANGE_CAPTURE,
    pollIntervalMs: v.POLL_INTERVAL_MS,
    mockSeed: v.MOCK_SEED,
    mockTownship: v.MOCK_TOWNSHIP,
    templateDir: resolve(v.TEMPLATE_DIR ?? `${v.DATA_DIR}/templates`),
    demoSpeed: v.DEMO_SPEED,
    map: {
      basemap: basemapConfig(v),
      attribution: v.MAP_ATTRIBUTION ?? null,
      reviewNumber: v.MAP_REVIEW_NUMBER ?? null,
      orbitSeconds: v.MAP_ORBIT_SECONDS,
      idleSeconds: v.MAP_IDLE_SECONDS,
      returnHomeSeconds: v.MAP_RETURN_HOME_SECONDS,
      cameraHlsUrl: v.CAMERA_HLS_URL ?? null,
    },
    timeZone: v.TIME_ZONE,
    watchdog: {
      memoryLimitMb: v.WALL_MEMORY_LIMIT_MB,
      quietHours: v.WALL_RELOAD_HOURS.split('-').map(Number) as [number, number],
    },
    appDatabaseUrl: v.APP_DATABASE_URL,
    wallAccess: v.WALL_ACCESS ?? (v.DATABASE_URL === undefined ? 'open' : 'device'),
    auth: {
      idleMinutes: v.SESSION_IDLE_MINUTES,
      absoluteHours: v.SESSION_ABSOLUTE_HOURS,
      maxFailures: v.LOGIN_MAX_FAILURES,
      lockMinutes: v.LOGIN_LOCK_MINUTES,
      adminPassword: v.ADMIN_PASSWORD,
      allowedOrigins: v.ALLOWED_ORIGINS?.split(',').map(o => o.trim()).filter(Boolean) ?? [],
      trustProxy: v.TRUST_PROXY,
      auditRetentionDays: v.AUDIT_RETENTION_DAYS,
    },
    caseWriteback: v.CASE_WRITEBACK ?? v.DATABASE_URL === undefined,
    specialMinCount: v.SPECIAL_POPULATION_MIN_COUNT,
    map2d: map2dConfig(v),
    metricsToken: v.METRICS_TOKEN,
    tls: tlsConfig(v),
  }
}

function map2dConfig(v: z.infer<typeof schema>): Config['map2d'] {
  if (v.MAP2D_RENDERER === 'mapbox' && !v.MAPBOX_ACCESS_TOKEN)
    throw new ConfigError('MAPBOX_ACCESS_TOKEN must be set when MAP2D_RENDERER is mapbox (got nothing); without a Mapbox account use MAP2D_RENDERER=maplibre')
  return { renderer: v.MAP2D_RENDERER, mapboxAccessToken: v.MAP2D_RENDERER === 'mapbox' ? v.MAPBOX_ACCESS_TOKEN! : null }
}

function tlsConfig(v: z.infer<typeof schema>): Config['tls'] {
  if (!v.TLS_CERT && !v.TLS_KEY)
    return undefined
  if (!v.TLS_CERT || !v.TLS_KEY)
    throw new ConfigError(`TLS_CERT and TLS_KEY must be set together (got only ${v.TLS_CERT ? 'TLS_CERT' : 'TLS_KEY'})`)
  return { cert: v.TLS_CERT, key: v.TLS_KEY }
}

function basemapConfig(v: z.infer<typeof schema>): BasemapConfig {
  if (v.MAP_BASEMAP === 'none' || v.MAP_BASEMAP === 'naturalearth')
    return { kind: v.MAP_BASEMAP }
  const subdomains = (v.MAP_TILE_SUBDOMAINS ?? '').includes(',') ? v.MAP_TILE_SUBDOMAINS!.split(',').filter(Boolean) : [...(v.MAP_TILE_SUBDOMAINS ?? '')]
  const common = { url: v.MAP_TILE_URL!, subdomains, maximumLevel: v.MAP_TILE_MAX_LEVEL, crs: v.MAP_TILE_CRS }
  if (v.MAP_BASEMAP === 'wmts') {
    // 天地图's own matrix sets: "w" (Web Mercator) and "c" (CGCS2000 geographic).
    const tileMatrixSetID = v.MAP_WMTS_MATRIX_SET ?? (v.MAP_TILE_CRS === 'geographic' ? 'c' : 'w')
    return { kind: 'wmts', ...common, layer: v.MAP_WMTS_LAYER ?? '', style: v.MAP_WMTS_STYLE, tileMatrixSetID, format: v.MAP_WMTS_FORMAT }
  }
  return { kind: v.MAP_BASEMAP, ...common }
}
