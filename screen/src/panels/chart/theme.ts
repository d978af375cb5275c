/**
 * The wall's one ECharts theme: dark navy, calm, luminous cyan and teal, labels legible from 5 m
 * (never under the wall's minimum, `MIN_TEXT_PX`, at 1080p). Colours of the panels' CSS (panels/frame) match it.
 */
import { MIN_TEXT_PX } from '../../layout/profiles.ts'

export const THEME_NAME = 'command-centre'

export const CHART_FONT = '\'Noto Sans CJK SC\', \'Source Han Sans SC\', \'PingFang SC\', \'Microsoft YaHei\', sans-serif'

/** Named colours the option builders use. */
export const PALETTE = {
  teal: '#2ee6d6',
  cyan: '#3fc8ff',
  blue: '#2d7dff',
  amber: '#ffc447',
  orange: '#ff9838',
  red: '#ff4d5e',
  green: '#4ef0a0',
  violet: '#9b8cff',
  text: '#d6ecff',
  muted: '#8fb4d6',
  faint: 'rgba(120, 190, 255, 0.14)',
  axis: 'rgba(110, 185, 255, 0.35)',
} as const

export const CHART_THEME = {
  color: [PALETTE.teal, PALETTE.cyan, PALETTE.amber, PALETTE.violet, PALETTE.green, PALETTE.orange, PALETTE.red],
  backgroundColor: 'transparent',
  textStyle: { color: PALETTE.text, fontFamily: CHART_FONT, fontSize: 16 },
  legend: { textStyle: { color: PALETTE.text, fontSize: 16 }, itemWidth: 22, itemHeight: 10, itemGap: 18 },
  categoryAxis: {
    axisLine: { show: true, lineStyle: { color: PALETTE.axis } },
    axisTick: { show: false },
    axisLabel: { color: PALETTE.muted, fontSize: 15 },
    splitLine: { show: false },
  },
  valueAxis: {
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: { color: PALETTE.muted, fontSize: MIN_TEXT_PX },
    splitLine: { show: true, lineStyle: { color: PALETTE.faint, type: 'dashed' } },
    nameTextStyle: { color: PALETTE.muted, fontSize: MIN_TEXT_PX },
  },
  line: { symbol: 'none', smooth: 0.3, lineStyle: { width: 3 } },
  bar: { barMaxWidth: 26 },
}
