import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson'

/** Properties of the township boundary feature. */
export interface TownshipProps {
  /** 9-digit township division code (6 county + 3 township), e.g. "430821103". */
  code: string
  name: string
  /** Division names above it, for the title bar and the README. */
  county: string
  /** [lon, lat] of the township seat (镇政府驻地). */
  seat: [number, number]
  synthetic: true
  /** Area in square kilometres (added by the geography generator). */
  areaKm2?: number
  /** The seed the geometry was generated from. */
  seed?: number
  /** Where the names, codes and geometry come from, for the attribution slot and the README. */
  provenance?: string
}

/** Properties of a village (行政村/社区) feature. */
export interface VillageProps {
  /** 12-digit statistical division code, e.g. "430821103201". */
  code: string
  name: string
  /** 'community' for 社区/居委会 (code digits 0xx), 'village' for 村委会 (2xx). */
  kind: 'community' | 'village'
  /** [lon, lat] of the village centre (村委会驻地), where cases and cameras cluster. */
  center: [number, number]
  /** Area in square kilometres. */
  areaKm2: number
  /** Official name in the statistical division list, e.g. "江西村委会" for "江西村". */
  officialName?: string
  /** 'nbs-2023' when name and code are real (2023 统计用区划代码), 'synthetic' when made up. */
  nameSource?: 'nbs-2023' | 'synthetic'
}

/** Properties of a grid (网格) feature. */
export interface GridProps {
  /** Grid code: the village's 12-digit code + a 3-digit sequence, e.g. "430821103201001". */
  code: string
  /** Display name, e.g. "杨柳村第1网格". */
  name: string
  villageCode: string
  /** [lon, lat] of a representative interior point (for labels). */
  labelPoint: [number, number]
  areaKm2: number
}

/** Properties of a road polyline (used for hot spots and for splitting grids along village roads). */
export interface RoadProps {
  name: string
  kind: 'county' | 'township' | 'village'
}

/**
 * The synthetic township's geography, all in WGS84 [lon, lat], RFC 7946 (exterior rings
 * counter-clockwise). Grids partition the township; each grid lies inside its village.
 */
export interface Geography {
  township: Feature<Polygon, TownshipProps>
  villages: FeatureCollection<Polygon, VillageProps>
  grids: FeatureCollection<Polygon, GridProps>
  roads: FeatureCollection<LineString, RoadProps>
}
