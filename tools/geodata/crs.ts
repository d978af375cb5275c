import type { Position } from 'geojson'
import type { CrsHint, LonLat, SourceFeature } from './types.ts'
import gcoord from 'gcoord'
import proj4 from 'proj4'
import { UsageError } from './errors.ts'

/**
 * Coordinate reference systems of boundary files, and their conversion to WGS84 [lon, lat]
 * (CGCS2000 and WGS84 differ by centimetres here and are taken as one).
 *
 * - `wgs84` (EPSG:4326) and `cgcs2000` (EPSG:4490): longitude/latitude as stored.
 * - `gcj02` (高德, 腾讯) and `bd09` (百度): gcoord. Its GCJ-02 → WGS84 is an iteration that stops within
 *   1e-6° (≈ 0.1 m); BD-09 → GCJ-02 is Baidu's published closed-form inverse.
 * - `epsg:<code>`: proj4 with the CGCS2000 Gauss-Krüger definitions below (no network, no EPSG
 *   database), Web Mercator and WGS84 UTM. Xi'an 1980 and Beijing 1954 need a local seven-parameter
 *   transformation that no public definition carries: they are refused with that reason.
 */
export type Crs
  = | { kind: 'wgs84', label: string }
    | { kind: 'gcj02', label: string }
    | { kind: 'bd09', label: string }
    | { kind: 'proj', label: string, epsg?: number, definition: string }

/** Rough bounding box of China (gcoord's): converted coordinates outside it mean a wrong CRS. */
export const CHINA_BBOX = { minLon: 72.004, maxLon: 137.8347, minLat: 0.8293, maxLat: 55.8271 } as const

export const WGS84: Crs = { kind: 'wgs84', label: 'WGS84 (EPSG:4326)' }

const GK = '+proj=tmerc +lat_0=0 +k=1 +y_0=0 +ellps=GRS80 +units=m +no_defs'

/** The PROJ definition of a CGCS2000 Gauss-Krüger EPSG code (4491–4554), with its name. */
export function gaussKruger(epsg: number): { definition: string, name: string, centralMeridian: number, falseEasting: number } | undefined {
  let cm: number
  let fe = 500000
  let name: string
  if (epsg >= 4491 && epsg <= 4501) {
    const zone = epsg - 4491 + 13
    cm = zone * 6 - 3
    fe = zone * 1e6 + 500000
    name = `CGCS2000 / Gauss-Kruger zone ${zone}`
  }
  else if (epsg >= 4502 && epsg <= 4512) {
    cm = 75 + (epsg - 4502) * 6
    name = `CGCS2000 / Gauss-Kruger CM ${cm}E`
  }
  else if (epsg >= 4513 && epsg <= 4533) {
    const zone = epsg - 4513 + 25
    cm = zone * 3
    fe = zone * 1e6 + 500000
    name = `CGCS2000 / 3-degree Gauss-Kruger zone ${zone}`
  }
  else if (epsg >= 4534 && epsg <= 4554) {
    cm = 75 + (epsg - 4534) * 3
    name = `CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E`
  }
  else {
    return undefined
  }
  return { definition: `${GK} +lon_0=${cm} +x_0=${fe}`, name, centralMeridian: cm, falseEasting: fe }
}

const REFUSED_DATUMS = /xian|xi'an|beijing|1954|1980|krassowsky|krasovsky|iag[ _]?75/i

/** The CRS of an EPSG code the tool supports; a UsageError for one it does not. */
export function crsForEpsg(epsg: number): Crs {
  if (epsg === 4326)
    return WGS84
  if (epsg === 4490)
    return { kind: 'wgs84', label: 'CGCS2000 (EPSG:4490)' }
  if (epsg === 3857 || epsg === 900913)
    return { kind: 'proj', epsg: 3857, label: 'Web Mercator (EPSG:3857)', definition: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs' }
  const gk = gaussKruger(epsg)
  if (gk)
    return { kind: 'proj', epsg, label: `${gk.name} (EPSG:${epsg})`, definition: gk.definition }
  if (epsg >= 32643 && epsg <= 32653)
    return { kind: 'proj', epsg, label: `WGS 84 / UTM zone ${epsg - 32600}N (EPSG:${epsg})`, definition: `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs` }
  if ((epsg >= 2327 && epsg <= 2442) || epsg === 4610 || epsg === 4214 || (epsg >= 21413 && epsg <= 21483))
    throw new UsageError(`EPSG:${epsg} is on the Xi'an 1980 or Beijing 1954 datum, which needs a local seven-parameter transformation: convert the file to CGCS2000 first`)
  throw new UsageError(`unsupported CRS EPSG:${epsg}: use wgs84, cgcs2000, gcj02, bd09, or epsg: 4326, 4490, 3857, 4491–4554 (CGCS2000 Gauss-Krüger) or 32643–32653 (UTM)`)
}

/** Parses `--crs wgs84|cgcs2000|gcj02|bd09|epsg:<code>`. */
export function parseCrsOption(text: string): Crs {
  const t = text.trim().toLowerCase()
  if (t === 'wgs84' || t === 'wgs-84')
    return WGS84
  if (t === 'cgcs2000')
    return crsForEpsg(4490)
  if (t === 'gcj02' || t === 'gcj-02')
    return { kind: 'gcj02', label: 'GCJ-02' }
  if (t === 'bd09' || t === 'bd-09')
    return { kind: 'bd09', label: 'BD-09' }
  const m = /^epsg:(\d{4,6})$/.exec(t)
  if (m)
    return crsForEpsg(Number(m[1]))
  throw new UsageError(`unknown --crs "${text}": use wgs84, cgcs2000, gcj02, bd09 or epsg:<code> (e.g. epsg:4546)`)
}

/** The CRS a file declares (a .prj, a GeoPackage srs, a GeoJSON crs member). */
export function crsFromHint(hint: CrsHint): Crs {
  if (hint.epsg !== undefined)
    return crsForEpsg(hint.epsg)
  const definition = hint.definition?.trim() ?? ''
  const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(definition)
  if (authority)
    return crsForEpsg(Number(authority[1]))
  if (REFUSED_DATUMS.test(definition))
    throw new UsageError(`the ${hint.source} names the Xi'an 1980 or Beijing 1954 datum, which needs a local seven-parameter transformation: convert the file to CGCS2000 first`)
  try {
    proj4(definition, 'EPSG:4326')
  }
  catch (error) {
    throw new UsageError(`cannot read the CRS in the ${hint.source} (${(error as Error).message}): give --crs`)
  }
  const name = /^\s*\w+\s*\[\s*"([^"]*)"/.exec(definition)?.[1] ?? 'as declared'
  const geographic = /^\s*GEOGCS/i.test(definition) || /\+proj=longlat/.test(definition)
  if (geographic)
    return { kind: 'wgs84', label: `${name} (${hint.source}), taken as WGS84/CGCS2000` }
  return { kind: 'proj', label: `${name} (${hint.source})`, definition }
}

/** A function converting a position in `crs` to WGS84 [lon, lat]. */
export function toWgs84(crs: Crs): (p: Position) => LonLat {
  switch (crs.kind) {
    case 'wgs84':
      return p => [p[0]!, p[1]!]
    case 'gcj02':
      return p => gcoord.transform([p[0]!, p[1]!], gcoord.GCJ02, gcoord.WGS84) as LonLat
    case 'bd09':
      return p => gcoord.transform([p[0]!, p[1]!], gcoord.BD09, gcoord.WGS84) as LonLat
    case 'proj': {
      const converter = proj4(crs.definition, 'EPSG:4326')
      return p => converter.forward([p[0]!, p[1]!]) as LonLat
    }
  }
}

/** A function converting WGS84 [lon, lat] into `crs` (for exports and fixtures). */
export function fromWgs84(crs: Crs): (p: Position) => Position {
  switch (crs.kind) {
    case 'wgs84':
      return p => [p[0]!, p[1]!]
    case 'gcj02':
      return p => gcoord.transform([p[0]!, p[1]!], gcoord.WGS84, gcoord.GCJ02) as Position
    case 'bd09':
      return p => gcoord.transform([p[0]!, p[1]!], gcoord.WGS84, gcoord.BD09) as Position
    case 'proj': {
      const converter = proj4('EPSG:4326', crs.definition)
      return p => converter.forward([p[0]!, p[1]!])
    }
  }
}

/** The first position of the features (for messages and guesses). */
function firstPosition(features: readonly SourceFeature[]): Position | undefined {
  for (const f of features) {
    const p = f.parts?.[0]?.[0]?.[0]
    if (p)
      return p
  }
  return undefined
}

/**
 * The CRS of a file that declares none. Longitude/latitude when the numbers are degrees; a CGCS2000
 * Gauss-Krüger zone when the x coordinates carry its zone number (e.g. 37 512 345 → zone 37,
 * EPSG:4525); otherwise a UsageError asking for `--crs`.
 */
export function guessCrs(features: readonly SourceFeature[]): Crs {
  const p = firstPosition(features)
  if (!p || (Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90))
    return WGS84
  const zone = Math.floor(p[0]! / 1e6)
  if (zone >= 13 && zone <= 23 && p[1]! > 0 && p[1]! < 1e7)
    return { ...crsForEpsg(4491 + zone - 13), label: `${gaussKruger(4491 + zone - 13)!.name} (EPSG:${4491 + zone - 13}, from the zone number in x)` }
  if (zone >= 25 && zone <= 45 && p[1]! > 0 && p[1]! < 1e7)
    return { ...crsForEpsg(4513 + zone - 25), label: `${gaussKruger(4513 + zone - 25)!.name} (EPSG:${4513 + zone - 25}, from the zone number in x)` }
  throw new UsageError(`coordinates are not longitude/latitude (first x ${p[0]}, y ${p[1]}) and the file declares no CRS: give --crs (e.g. epsg:4546 for CGCS2000 Gauss-Krüger CM 111°E)`)
}

/** Throws a UsageError when a converted position lies outside China (a wrong CRS). */
export function assertInChina(p: LonLat, original: Position, crs: Crs): void {
  const [lon, lat] = p
  if (Number.isFinite(lon) && Number.isFinite(lat) && lon >= CHINA_BBOX.minLon && lon <= CHINA_BBOX.maxLon && lat >= CHINA_BBOX.minLat && lat <= CHINA_BBOX.maxLat)
    return
  const where = Number.isFinite(lon) && Number.isFinite(lat) ? `${lon.toFixed(5)}, ${lat.toFixed(5)}` : 'no valid position'
  throw new UsageError(`coordinates fall outside China when read as ${crs.label} (${original[0]}, ${original[1]} → ${where}): wrong --crs?`)
}

/** A short, stable description for WKT in .prj files and GeoPackages. */
export function wktFor(crs: Crs): string {
  if (crs.kind === 'proj' && crs.epsg !== undefined) {
    const gk = gaussKruger(crs.epsg)
    if (gk)
      return gaussKrugerWkt(gk.name, gk.centralMeridian, gk.falseEasting, crs.epsg)
  }
  return 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
}

function gaussKrugerWkt(name: string, cm: number, fe: number, epsg: number): string {
  return `PROJCS["${name}",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${cm}],PARAMETER["scale_factor",1],PARAMETER["false_easting",${fe}],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","${epsg}"]]`
}

/**
 * The .prj an ArcGIS user would have for a CGCS2000 Gauss-Krüger zone (ESRI WKT, no authority): the
 * fixtures use it to prove that such files are read by their parameters, not by a code.
 */
export function esriGaussKrugerPrj(epsg: number): string {
  const gk = gaussKruger(epsg)
  if (!gk)
    throw new Error(`not a CGCS2000 Gauss-Krüger code: ${epsg}`)
  const width = epsg >= 4513 ? '3_Degree_' : ''
  const zoneName = gk.falseEasting > 1e6 ? `CGCS2000_${width}GK_Zone_${Math.floor(gk.falseEasting / 1e6)}` : `CGCS2000_${width}GK_CM_${gk.centralMeridian}E`
  return `PROJCS["${zoneName}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${gk.falseEasting.toFixed(1)}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${gk.centralMeridian.toFixed(1)}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
}
