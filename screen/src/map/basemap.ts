import type { ImageryProvider } from 'cesium'
import { templateUrl, wmtsMatrixLabels } from './basemap-url.ts'
import type { BasemapConfig } from '#wire'
import {
  buildModuleUrl,
  GeographicTilingScheme,
  ImageryLayer,
  TileMapServiceImageryProvider,
  UrlTemplateImageryProvider,
  WebMapTileServiceImageryProvider,
  WebMercatorTilingScheme,
} from 'cesium'

/** Darkened and desaturated for the wall, so that the township's own layers stand out. */
const WALL_LOOK = { brightness: 0.42, contrast: 1.3, saturation: 0.35, hue: 0.05, gamma: 1.15 }
/** Intranet imagery (photos or vector tiles) is brighter and busier than NaturalEarthII: darker still. */
const TILES_LOOK = { brightness: 0.38, contrast: 1.15, saturation: 0.4, gamma: 1.1 }

function provider(config: Exclude<BasemapConfig, { kind: 'none' | 'naturalearth' }>): ImageryProvider {
  const tilingScheme = config.crs === 'geographic' ? new GeographicTilingScheme() : new WebMercatorTilingScheme()
  const subdomains = config.subdomains.length > 0 ? config.subdomains : undefined
  if (config.kind === 'wmts') {
    return new WebMapTileServiceImageryProvider({
      url: config.url,
      layer: config.layer,
      style: config.style,
      tileMatrixSetID: config.tileMatrixSetID,
      format: config.format,
      tilingScheme,
      maximumLevel: config.maximumLevel,
      tileMatrixLabels: wmtsMatrixLabels(config),
      ...(subdomains ? { subdomains } : {}),
    })
  }
  return new UrlTemplateImageryProvider({ url: templateUrl(config), tilingScheme, maximumLevel: config.maximumLevel, ...(subdomains ? { subdomains } : {}) })
}

/** The base imagery layer for a configuration; null for "none" (the styled dark globe alone). */
export function createBaseLayer(config: BasemapConfig): ImageryLayer | null {
  switch (config.kind) {
    case 'none':
      return null
    case 'naturalearth':
      return ImageryLayer.fromProviderAsync(TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII')), WALL_LOOK)
    default:
      return new ImageryLayer(provider(config), TILES_LOOK)
  }
}
