import type { Geography } from './types.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The files {@link writeGeodata} writes, by layer. */
export const GEODATA_FILES = {
  township: 'township.geojson',
  villages: 'villages.geojson',
  grids: 'grids.geojson',
  roads: 'roads.geojson',
} as const

/**
 * Serialises a geography as compact RFC 7946 GeoJSON: the township as a Feature, the other layers as
 * FeatureCollections. Pure, so tests can compare bytes without touching the disk.
 */
export function geodataFiles(geo: Geography): Record<keyof typeof GEODATA_FILES, string> {
  return {
    township: `${JSON.stringify(geo.township)}\n`,
    villages: `${JSON.stringify(geo.villages)}\n`,
    grids: `${JSON.stringify(geo.grids)}\n`,
    roads: `${JSON.stringify(geo.roads)}\n`,
  }
}

/** Writes township.geojson, villages.geojson, grids.geojson and roads.geojson into `dir` (created if missing). */
export async function writeGeodata(geo: Geography, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const files = geodataFiles(geo)
  const written: string[] = []
  for (const layer of Object.keys(GEODATA_FILES) as (keyof typeof GEODATA_FILES)[]) {
    const path = join(dir, GEODATA_FILES[layer])
    await writeFile(path, files[layer])
    written.push(path)
  }
  return written
}
