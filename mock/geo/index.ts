/**
 * Deterministic synthetic township geography: boundary, villages (行政村/社区), grids (网格) and roads,
 * placed in one of the seed counties, with real division names and codes where the seed data has them.
 */
export { generateCountyGeography } from './county.ts'
export type { CountyGeography } from './county.ts'
export { DEFAULT_TOWNSHIP, displayName } from './names.ts'
export { generateGeography, MIN_GRID_COMPACTNESS, MIN_GRID_KM2, pointInRing } from './township.ts'
export type { GeographyOptions } from './township.ts'
export type { Geography, GridProps, RoadProps, TownshipProps, VillageProps } from './types.ts'
export { GEODATA_FILES, geodataFiles, writeGeodata } from './write.ts'
