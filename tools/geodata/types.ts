import type { Position } from 'geojson'

/** The three levels of the integration contract's boundaries. */
export const LEVELS = ['township', 'village', 'grid'] as const
export type Level = typeof LEVELS[number]

/** Rings of one polygon: the exterior first, then holes. Closed rings repeat their first position. */
export type Rings = Position[][]

/** The parts of a (multi)polygon. */
export type Parts = Rings[]

/** A longitude/latitude pair in WGS84 (CGCS2000) degrees. */
export type LonLat = [number, number]

/** The file formats the tool reads. */
export type FormatName = 'geojson' | 'shapefile' | 'kml' | 'kmz' | 'gpkg'

/** One feature as read from a file, in the file's own coordinates. */
export interface SourceFeature {
  /** 1-based position in the file (the row a user finds in their GIS). */
  index: number
  properties: Record<string, unknown>
  /** Polygon parts, or null for a feature without (polygonal) geometry. */
  parts: Parts | null
  /** The geometry type found in the file (for messages). */
  geometryType: string
}

/** What a file says about its coordinate reference system. */
export interface CrsHint {
  /** An EPSG code when the file names one. */
  epsg?: number
  /** A WKT or PROJ definition (a Shapefile's .prj, a GeoPackage's srs definition). */
  definition?: string
  /** Where the hint came from, for messages: ".prj", "gpkg_spatial_ref_sys", "GeoJSON crs". */
  source: string
}

/** A file as read: features, their attribute fields, and what the file says of its CRS. */
export interface SourceData {
  format: FormatName
  path: string
  /** The layer read (GeoPackage table, Shapefile name), when the file has names for them. */
  layer?: string
  features: SourceFeature[]
  fields: string[]
  crs?: CrsHint
  /**
   * Whether the format defines which ring is the exterior independently of orientation (Shapefile:
   * clockwise exteriors by definition). Then orientation is normalised silently, not reported.
   */
  orientationByFormat: boolean
}

/** A boundary unit to import: one township, village or grid, in WGS84 degrees. */
export interface Unit {
  /** 1-based position in the file. */
  index: number
  code: string
  name: string
  /** The parent's code (township for a village, village for a grid), when known. */
  parent: string | undefined
  /** Where the parent code came from. */
  parentSource: 'option' | 'field' | 'code' | undefined
  parts: Parts
}

/** The kinds of problem the validation reports. */
export const PROBLEM_KINDS = [
  'geometry-missing',
  'ring-unclosed',
  'ring-degenerate',
  'duplicate-vertex',
  'ring-orientation',
  'self-intersection',
  'multipart',
  'sliver',
  'area-implausible',
  'overlap',
  'gap',
  'outside-parent',
  'children-outside',
  'code-missing',
  'code-invalid',
  'code-duplicate',
  'code-parent-mismatch',
  'code-unknown',
  'parent-missing',
  'name-missing',
  'name-mismatch',
] as const
export type ProblemKind = typeof PROBLEM_KINDS[number]

/**
 * `error` stops the import; `repairable` stops it unless `--repair` applies the safe repair; `warning`
 * is reported and does not stop it; `accepted` is an error the user accepted with `--accept`.
 */
export type Severity = 'error' | 'repairable' | 'warning' | 'accepted'

/** One problem found by the validation. */
export interface Problem {
  kind: ProblemKind
  severity: Severity
  /** The features concerned, as "code name" (or "#index" when the feature has no code). */
  features: string[]
  /** Where, [lon, lat] in WGS84. */
  at: LonLat | undefined
  /** Size in m² (0 for a point-like problem such as a duplicate vertex). */
  areaM2: number
  /** For gaps, overlaps and parts outside the parent: the diameter of the largest circle inside, m. */
  widthM?: number
  message: string
  /** A suggested fix (the official name or code). */
  suggestion?: string
  /** The problem's own area, [lon, lat] polygons, for the picture. */
  pieces?: Position[][][]
}

/** A safe repair that was applied. */
export interface Repair {
  kind: 'close-ring' | 'remove-duplicates' | 'orient-ring' | 'snap'
  feature: string
  at: LonLat | undefined
  detail: string
}
