import type { Geometry, Position } from 'geojson'
import type { CrsHint, Parts, SourceData, SourceFeature } from '../types.ts'
import { UsageError } from '../errors.ts'

/** The polygon parts of a GeoJSON geometry (null when it has none), checking that positions are numbers. */
export function partsOf(geometry: Geometry | null | undefined, where: string): Parts | null {
  if (!geometry)
    return null
  switch (geometry.type) {
    case 'Polygon':
      return [checkRings(geometry.coordinates, where)]
    case 'MultiPolygon':
      return geometry.coordinates.map(rings => checkRings(rings, where))
    case 'GeometryCollection': {
      const parts = geometry.geometries.flatMap(g => partsOf(g, where) ?? [])
      return parts.length > 0 ? parts : null
    }
    default:
      return null
  }
}

function checkRings(rings: unknown, where: string): Position[][] {
  if (!Array.isArray(rings) || !rings.every(ring => Array.isArray(ring) && ring.every(isPosition)))
    throw new UsageError(`${where}: a polygon's coordinates are not arrays of [x, y] numbers`)
  return (rings as Position[][]).map(ring => ring.map(p => [p[0]!, p[1]!]))
}

function isPosition(p: unknown): boolean {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])
}

/** A SourceFeature from a GeoJSON-like feature (also used for KML after togeojson). */
export function sourceFeature(feature: { properties?: Record<string, unknown> | null, geometry?: Geometry | null }, index: number, where: string): SourceFeature {
  return {
    index,
    properties: { ...(feature.properties ?? {}) },
    parts: partsOf(feature.geometry, `${where}, feature ${index}`),
    geometryType: feature.geometry?.type ?? 'none',
  }
}

/** The union of property names, in first-seen order. */
export function fieldsOf(features: readonly SourceFeature[]): string[] {
  const fields = new Set<string>()
  for (const f of features) {
    for (const key of Object.keys(f.properties))
      fields.add(key)
  }
  return [...fields]
}

/** The old (2008) GeoJSON `crs` member, e.g. `urn:ogc:def:crs:EPSG::4546`. */
function crsMember(json: { crs?: { properties?: { name?: unknown } } }): CrsHint | undefined {
  const name = json.crs?.properties?.name
  if (typeof name !== 'string')
    return undefined
  if (/CRS84$/i.test(name))
    return { epsg: 4326, source: 'GeoJSON crs member' }
  const m = /EPSG:{1,2}(\d+)$/i.exec(name)
  if (!m)
    throw new UsageError(`unknown GeoJSON crs "${name}": give --crs`)
  return { epsg: Number(m[1]), source: 'GeoJSON crs member' }
}

/** Reads a GeoJSON FeatureCollection, Feature or bare geometry. */
export function readGeojson(bytes: Uint8Array, path: string): SourceData {
  let json: { type?: string, features?: unknown[], crs?: { properties?: { name?: unknown } } }
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as typeof json
  }
  catch (error) {
    throw new UsageError(`${path} is not valid JSON (${(error as Error).message})`)
  }
  let raw: { properties?: Record<string, unknown> | null, geometry?: Geometry | null }[]
  if (json?.type === 'FeatureCollection' && Array.isArray(json.features))
    raw = json.features as typeof raw
  else if (json?.type === 'Feature')
    raw = [json as (typeof raw)[number]]
  else if (typeof json?.type === 'string' && /Polygon|GeometryCollection/.test(json.type))
    raw = [{ properties: {}, geometry: json as Geometry }]
  else
    throw new UsageError(`${path} is JSON but not GeoJSON (no FeatureCollection, Feature or polygon)`)
  const features = raw.map((f, i) => sourceFeature(f, i + 1, path))
  return { format: 'geojson', path, features, fields: fieldsOf(features), crs: crsMember(json), orientationByFormat: false }
}
