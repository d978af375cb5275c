/** The map's words (merged into the app's messages under `map`). Owned by the map feature. */
export const mapMessages = {
  'zh-CN': {
    loading: '三维地图加载中…',
    unsupported: '此设备无法显示三维地图（不支持 WebGL）',
  },
  'en': {
    loading: 'Loading the 3D map…',
    unsupported: 'This device cannot show the 3D map (no WebGL)',
  },
} as const
