import { authMessages } from '../auth/messages.ts'
import { inspectMessages } from '../inspect/messages.ts'
import { mapMessages } from '../map/messages.ts'
import { wallMessages } from '../panels/messages.ts'

/** The screen's words, zh-CN first (the default) and English. Keys group by feature. */
export const messages = {
  'zh-CN': {
    app: {
      systemName: '乡镇基层治理指挥中心',
      crashed: '画面模块出错，正在恢复…',
    },
    title: {
      live: '实时',
      stale: '数据延迟 {age}',
      connecting: '连接中…',
      township: '{township}基层治理指挥中心',
    },
    map: mapMessages['zh-CN'],
    wall: wallMessages['zh-CN'],
    auth: authMessages['zh-CN'],
    inspect: inspectMessages['zh-CN'],
  },
  'en': {
    app: {
      systemName: 'Township Governance Command Centre',
      crashed: 'A part of the screen failed; recovering…',
    },
    title: {
      live: 'Live',
      stale: 'Data delayed {age}',
      connecting: 'Connecting…',
      township: '{township} Governance Command Centre',
    },
    map: mapMessages.en,
    wall: wallMessages.en,
    auth: authMessages.en,
    inspect: inspectMessages.en,
  },
} as const

export type Locale = keyof typeof messages
export const LOCALES = Object.keys(messages) as Locale[]
