import type { CameraPoint, CasePoint, UnitRanking } from './views.ts'

/**
 * What the REST API answers beyond the live views. The screen reaches every endpoint through the
 * Hono RPC client (`hc<AppType>`), whose types are inferred from the routes; the routes annotate their
 * answers with these, so both sides read one declaration.
 */

/** A status change of a case, with the role (never the person) that made it. */
export interface CaseEventView {
  from: string | null
  to: string
  at: string
  actorRole: string
}

/** An online camera near a case, with its distance. */
export interface NearCamera extends CameraPoint {
  meters: number
}

/** `GET /api/cases/:id`: a case without personal data, its history and the nearest online cameras. */
export interface CaseDetail extends CasePoint {
  acceptedAt: string | null
  dispatchedAt: string | null
  resolvedLevel: string | null
  rating: string | null
  events: CaseEventView[]
  nearestCameras: NearCamera[]
}

/** `GET /api/cases`: one page of a search, newest first. */
export interface CasePage {
  total: number
  page: number
  pageSize: number
  cases: CasePoint[]
}

/** A grid's staff as the wall may show them: role, duty and last check-in — never a name or a phone. */
export interface GridWorkerView {
  id: number
  role: 'grid_leader' | 'grid_worker' | string
  dutyStatus: 'on_duty' | 'off_duty' | 'on_leave' | string
  lastCheckinAt: string | null
}

/** `GET /api/grids/:id/workers`. */
export interface GridWorkers {
  gridId: number
  workers: GridWorkerView[]
}

/** A GeoJSON polygon (WGS84). */
export interface PolygonGeometry {
  type: 'Polygon'
  coordinates: number[][][]
}

/** A GeoJSON feature collection of polygons with the given properties. */
export interface PolygonCollection<P> {
  type: 'FeatureCollection'
  features: { type: 'Feature', id?: number, geometry: PolygonGeometry, properties: P }[]
}

/** A grid's live figures on the map, with its village and where its name goes. */
export interface GridProperties extends UnitRanking {
  village: string | null
  labelPoint: [number, number] | null
  /** Special-population counts by kind (null: below the threshold, shown "<3"). */
  specialPopulation: Record<string, number | null>
}

export interface TownshipProperties {
  code: string
  name: string
  county: string
  seat: [number, number] | null
}

export interface VillageProperties {
  code: string
  name: string
  kind: string
  center: [number, number] | null
}

/** The map's base layer: none (a dark ground), Cesium's bundled NaturalEarthII, or intranet tiles. */
export type BasemapConfig
  = | { kind: 'none' | 'naturalearth' }
    | { kind: 'xyz' | 'tms', url: string, subdomains: string[], maximumLevel: number, crs: 'webmercator' | 'geographic' }
    | { kind: 'wmts', url: string, subdomains: string[], maximumLevel: number, crs: 'webmercator' | 'geographic', layer: string, style: string, tileMatrixSetID: string, format: string }

/** What the screen's map is configured with (`GET /api/config` → `map`). */
export interface MapConfig {
  basemap: BasemapConfig
  /** The basemap's attribution, shown in the map's corner. */
  attribution: string | null
  /** The map's 审图号 (map review number), shown beside the attribution. */
  reviewNumber: string | null
  /** Seconds for one idle orbit around the township; 0: no orbit. */
  orbitSeconds: number
  /** Seconds without interaction before the idle orbit starts. */
  idleSeconds: number
  /** Seconds a fly-to stays before the map returns home. */
  returnHomeSeconds: number
  /** HLS URL of a camera's live stream, `{code}`/`{id}` replaced; null: a still placeholder. */
  cameraHlsUrl: string | null
}

/** The wall's memory watchdog (`WALL_MEMORY_LIMIT_MB`, `WALL_RELOAD_HOURS`): above the limit, a soft reload in the quiet hours. */
export interface WatchdogConfig {
  /** JS heap (MB) above which the wall reloads itself; 0: never. */
  memoryLimitMb: number
  /** From and to hour (configured time zone) of the quiet time a reload waits for, e.g. [3, 5]; may wrap midnight ([23, 2]). */
  quietHours: [number, number]
}

/** `GET /api/config`: the screen's title and its map's configuration. */
export interface ScreenConfig {
  systemName: string
  townshipName: string | null
  title: string
  /** The one time zone every screen shows dates and times in (IANA name, e.g. Asia/Shanghai). */
  timeZone: string
  /** `open`: the wall needs no sign-in on the intranet; `device`: a wall presents a display token. */
  wallAccess: 'open' | 'device'
  map: MapConfig
  /** The console's 2D map: maplibre-gl (offline) or mapbox-gl (with the deployment's token; contacts Mapbox). */
  map2d: { renderer: 'maplibre' | 'mapbox', mapboxAccessToken: string | null }
  watchdog: WatchdogConfig
}

/** `GET /api/cameras`: the cameras asked for. */
export interface CameraList {
  total: number
  cameras: CameraPoint[]
}

/** `GET /api/provenance`: where the wall's figures come from and how fresh they are (`?inspect=1`). */
export interface Provenance {
  asOf: string
  /** When this server built its state (start, or the last resync). */
  since: string
  database: 'up' | 'down'
  /** How changes are read: `notify` (the database's triggers ring) or `poll`. */
  capture: 'notify' | 'poll'
  /** Per contract table: rows held in memory and when a change was last read (null: none since start). */
  tables: { table: string, rows: number, lastChangeAt: string | null }[]
  /** From a row's commit to the frame that carried it, over the recent changes (ms). */
  lagMs: { samples: number, p50: number | null, p95: number | null, max: number | null }
}
