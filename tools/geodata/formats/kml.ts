import type { FeatureCollection, Geometry } from 'geojson'
import type { Parts, SourceData } from '../types.ts'
import type { ZipEntries } from './zip.ts'
import { toKML } from '@placemarkio/tokml'
import { kml } from '@tmcw/togeojson'
import { DOMParser } from '@xmldom/xmldom'
import { UsageError } from '../errors.ts'
import { sourceFeature } from './geojson.ts'
import { entriesEndingWith, zipFiles } from './zip.ts'

/** Properties togeojson derives from styles and times: not attribute fields of the boundaries. */
const STYLE_KEYS = /^(?:styleUrl|styleHash|styleMapHash|stroke|stroke-opacity|stroke-width|fill|fill-opacity|icon|icon-.*|label-.*|visibility|timespan|timestamp|@id)$/

/** Reads KML (@tmcw/togeojson on an @xmldom/xmldom document): Placemarks with their name and ExtendedData. */
export function readKml(text: string, path: string, format: 'kml' | 'kmz' = 'kml'): SourceData {
  let collection: FeatureCollection
  try {
    // Errors stop parsing and become the one line of the UsageError; nothing is logged.
    const doc = new DOMParser({ onError: (level, message) => {
      if (level !== 'warning')
        throw new Error(message)
    } }).parseFromString(text, 'text/xml')
    if (!doc.documentElement || doc.getElementsByTagName('kml').length === 0)
      throw new Error('no <kml> element')
    collection = kml(doc as unknown as Parameters<typeof kml>[0]) as FeatureCollection
  }
  catch (error) {
    throw new UsageError(`${path} is not readable KML (${(error as Error).message.split('\n')[0]})`)
  }
  const features = collection.features.map((f, i) => sourceFeature(f, i + 1, path))
  const fields = new Set<string>()
  for (const f of features) {
    for (const key of Object.keys(f.properties)) {
      if (STYLE_KEYS.test(key))
        delete f.properties[key]
      else
        fields.add(key)
    }
  }
  return { format, path, features, fields: [...fields], orientationByFormat: false }
}

/** Reads a KMZ: its doc.kml (or its only .kml). */
export function readKmz(entries: ZipEntries, path: string): SourceData {
  const kmls = entriesEndingWith(entries, '.kml')
  const main = kmls.find(name => name.toLowerCase() === 'doc.kml') ?? (kmls.length === 1 ? kmls[0] : undefined)
  if (!main)
    throw new UsageError(kmls.length === 0 ? `${path} holds no .kml file` : `${path} holds several .kml files and no doc.kml (${kmls.join(', ')})`)
  return readKml(new TextDecoder().decode(entries[main]), path, 'kmz')
}

/** A feature to write as a Placemark: its `name` becomes the Placemark's name, the rest ExtendedData. */
export interface KmlFeature {
  parts: Parts
  properties: Record<string, string | number | null | undefined>
}

function geometryOf(parts: Parts): Geometry {
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts }
}

/** KML text of the features (@placemarkio/tokml). */
export function kmlText(features: readonly KmlFeature[]): string {
  return toKML({
    type: 'FeatureCollection',
    features: features.map(f => ({ type: 'Feature', properties: { ...f.properties }, geometry: geometryOf(f.parts) })),
  })
}

/** A KMZ archive (doc.kml zipped) of the features. */
export function kmzBytes(features: readonly KmlFeature[]): Uint8Array {
  return zipFiles({ 'doc.kml': kmlText(features) })
}
