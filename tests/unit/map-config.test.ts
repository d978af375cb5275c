import { describe, expect, it } from 'vitest'
import { templateUrl, wmtsMatrixLabels } from '../../screen/src/map/basemap-url.ts'
import { ConfigError, loadConfig } from '../../server/src/config.ts'

describe('map configuration', () => {
  it('defaults to no base imagery, a slow orbit after 90 s idle, no stream', () => {
    expect(loadConfig({}).map).toEqual({
      basemap: { kind: 'none' },
      attribution: null,
      reviewNumber: null,
      orbitSeconds: 720,
      idleSeconds: 90,
      returnHomeSeconds: 60,
      cameraHlsUrl: null,
    })
    expect(loadConfig({ MAP_BASEMAP: 'naturalearth', MAP_ORBIT_SECONDS: '0' }).map).toMatchObject({ basemap: { kind: 'naturalearth' }, orbitSeconds: 0 })
  })

  it('takes intranet XYZ/TMS templates with subdomains, and 天地图-style WMTS', () => {
    expect(loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILE_URL: 'http://10.1.1.2/tiles/{z}/{x}/{y}.png', MAP_TILE_SUBDOMAINS: 'abc', MAP_ATTRIBUTION: '县自然资源局', MAP_REVIEW_NUMBER: '湘S(2024)001号' }).map)
      .toMatchObject({ basemap: { kind: 'xyz', url: 'http://10.1.1.2/tiles/{z}/{x}/{y}.png', subdomains: ['a', 'b', 'c'], maximumLevel: 18, crs: 'webmercator' }, attribution: '县自然资源局', reviewNumber: '湘S(2024)001号' })
    expect(loadConfig({ MAP_BASEMAP: 'wmts', MAP_TILE_URL: 'http://t{s}.tdt.intranet/img_c/wmts', MAP_TILE_SUBDOMAINS: '0,1,2', MAP_WMTS_LAYER: 'img', MAP_WMTS_FORMAT: 'tiles', MAP_TILE_CRS: 'geographic' }).map.basemap)
      .toEqual({ kind: 'wmts', url: 'http://t{s}.tdt.intranet/img_c/wmts', subdomains: ['0', '1', '2'], maximumLevel: 18, crs: 'geographic', layer: 'img', style: 'default', tileMatrixSetID: 'c', format: 'tiles' })
    expect(loadConfig({ CAMERA_HLS_URL: 'http://10.0.0.5/live/{code}.m3u8' }).map.cameraHlsUrl).toBe('http://10.0.0.5/live/{code}.m3u8')
  })

  it('names the variable of a bad map setting', () => {
    expect(() => loadConfig({ MAP_BASEMAP: 'google' })).toThrow(/^MAP_BASEMAP must be one of none, naturalearth, xyz, tms, wmts/)
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz' })).toThrow(ConfigError)
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz' })).toThrow(/^MAP_TILE_URL must be set/)
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILE_URL: 'http://x/tiles.png' })).toThrow(/^MAP_TILE_URL must be a template/)
    expect(() => loadConfig({ MAP_BASEMAP: 'wmts', MAP_TILE_URL: 'http://x/wmts' })).toThrow(/^MAP_WMTS_LAYER must be set/)
    expect(() => loadConfig({ MAP_ORBIT_SECONDS: 'slow' })).toThrow(/^MAP_ORBIT_SECONDS must be/)
    expect(() => loadConfig({ CAMERA_HLS_URL: 'http://x/live.m3u8' })).toThrow(/^CAMERA_HLS_URL must be a URL with \{code\} or \{id\}/)
  })

  it('turns TMS rows around for Cesium and labels 天地图\'s geographic matrices from 1', () => {
    expect(templateUrl({ kind: 'tms', url: 'http://x/{z}/{x}/{y}.png' })).toBe('http://x/{z}/{x}/{reverseY}.png')
    expect(templateUrl({ kind: 'xyz', url: 'http://x/{z}/{x}/{y}.png' })).toBe('http://x/{z}/{x}/{y}.png')
    expect(wmtsMatrixLabels({ crs: 'geographic', maximumLevel: 2 })).toEqual(['1', '2', '3'])
    expect(wmtsMatrixLabels({ crs: 'webmercator', maximumLevel: 2 })).toBeUndefined()
  })
})
