/** The tour's own words (the captions come from the tour file, in both languages). */
export const tourMessages = {
  'zh-CN': {
    step: '第 {n} / {count} 步',
    paused: '已暂停 · 空格继续',
    ended: '巡览结束 · Esc 退出',
    keys: 'PgDn 下一步 · PgUp 上一步 · 空格 暂停 · Esc 退出',
    loading: '巡览加载中…',
    failed: '巡览无法播放：{message}',
    briefing: '打开近{days}天工作简报（可打印）→',
  },
  'en': {
    step: 'Step {n} of {count}',
    paused: 'Paused · Space to go on',
    ended: 'End of the tour · Esc to leave',
    keys: 'PgDn next · PgUp back · Space pause · Esc leave',
    loading: 'Loading the tour…',
    failed: 'The tour cannot play: {message}',
    briefing: 'Open the last {days} days\' briefing (printable) →',
  },
} as const

export type TourLocale = keyof typeof tourMessages

/** The tour's words for the wall's locale (zh-CN unless English). */
export function tourWords(locale: string): typeof tourMessages[TourLocale] {
  return locale.startsWith('en') ? tourMessages.en : tourMessages['zh-CN']
}

/** `{name}` placeholders filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole))
}
