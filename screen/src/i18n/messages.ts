/** The screen's words, zh-CN first (the default) and English. Keys group by feature. */
export const messages = {
  'zh-CN': {
    app: {
      systemName: '乡镇基层治理指挥中心',
      crashed: '画面模块出错，正在恢复…',
    },
    title: {
      live: '实时',
      stale: '数据延迟',
    },
    map: {
      loading: '三维地图加载中…',
      unsupported: '此设备无法显示三维地图（不支持 WebGL）',
    },
  },
  'en': {
    app: {
      systemName: 'Township Governance Command Centre',
      crashed: 'A part of the screen failed; recovering…',
    },
    title: {
      live: 'Live',
      stale: 'Stale',
    },
    map: {
      loading: 'Loading the 3D map…',
      unsupported: 'This device cannot show the 3D map (no WebGL)',
    },
  },
} as const

export type Locale = keyof typeof messages
export const LOCALES = Object.keys(messages) as Locale[]
