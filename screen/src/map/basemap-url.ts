/** Intranet tile URLs in Cesium's terms (no Cesium here, so that Node tests can import it). */

/**
 * An XYZ template in Cesium's terms: `{s}` for a subdomain; TMS counts rows from the south, so its
 * `{y}` becomes Cesium's `{reverseY}`.
 */
export function templateUrl(config: { kind: 'xyz' | 'tms', url: string }): string {
  return config.kind === 'tms' ? config.url.replace(/\{y\}/g, '{reverseY}') : config.url
}

/** WMTS tile-matrix labels: 天地图's geographic set ("c") starts at level 1 where Cesium starts at 0. */
export function wmtsMatrixLabels(config: { crs: 'webmercator' | 'geographic', maximumLevel: number }): string[] | undefined {
  return config.crs === 'geographic' ? Array.from({ length: config.maximumLevel + 1 }, (_, i) => String(i + 1)) : undefined
}
