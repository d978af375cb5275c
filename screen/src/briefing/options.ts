import type { EChartsCoreOption } from 'echarts/core'
import type { Briefing, BriefingCategory } from '#wire'

/**
 * The briefing's charts as ECharts options, for paper: dark ink on white, no animation, the
 * previous period grey beside this period's blue, every series labelled in the legend.
 */

export const PRINT_FONT = '\'Noto Sans CJK SC\', \'Source Han Sans SC\', \'PingFang SC\', \'Microsoft YaHei\', sans-serif'
export const INK = { text: '#1f2933', muted: '#52606d', axis: '#9aa5b1', grid: '#e4e7eb', period: '#1f5fbf', previous: '#9aa5b1', accent: '#c0392b' } as const

interface Labels {
  period: string
  previous: string
}

function base(labels: Labels): EChartsCoreOption {
  return {
    animation: false,
    textStyle: { fontFamily: PRINT_FONT, color: INK.text, fontSize: 11 },
    legend: { top: 0, right: 0, itemWidth: 16, itemHeight: 8, textStyle: { color: INK.muted, fontSize: 11 }, data: [labels.period, labels.previous] },
    grid: { left: 8, right: 8, top: 26, bottom: 4, containLabel: true },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: INK.muted, fontSize: 10 }, splitLine: { lineStyle: { color: INK.grid } } },
  }
}

/** Cases each day: this period's bars (labelled with their counts when there is room), the previous period's line, day by day. */
export function dailyOption(b: Briefing, labels: Labels): EChartsCoreOption {
  const days = b.daily.period
  const short = days.length <= 31
  return {
    ...base(labels),
    xAxis: {
      type: 'category',
      data: days.map(d => d.day.slice(5)),
      axisLabel: { color: INK.muted, fontSize: 10, hideOverlap: true },
      axisLine: { lineStyle: { color: INK.axis } },
      axisTick: { show: false },
    },
    series: [
      { name: labels.period, type: 'bar', data: days.map(d => d.count), itemStyle: { color: INK.period }, barMaxWidth: 28, label: { show: short && days.length <= 14, position: 'top', fontSize: 10, color: INK.text } },
      { name: labels.previous, type: 'line', data: b.daily.previous.map(d => d.count), lineStyle: { color: INK.previous, width: 2, type: 'dashed' }, itemStyle: { color: INK.previous }, symbol: short ? 'circle' : 'none', symbolSize: 4 },
    ],
  }
}

/** Cases by hour of the day, both periods. */
export function hourlyOption(b: Briefing, labels: Labels): EChartsCoreOption {
  return {
    ...base(labels),
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => `${h}`),
      axisLabel: { color: INK.muted, fontSize: 10, interval: 1 },
      axisLine: { lineStyle: { color: INK.axis } },
      axisTick: { show: false },
    },
    series: [
      { name: labels.period, type: 'line', data: b.hourly.period, lineStyle: { color: INK.period, width: 2 }, itemStyle: { color: INK.period }, symbol: 'none', smooth: 0.2, areaStyle: { color: 'rgba(31, 95, 191, 0.12)' } },
      { name: labels.previous, type: 'line', data: b.hourly.previous, lineStyle: { color: INK.previous, width: 1.5, type: 'dashed' }, itemStyle: { color: INK.previous }, symbol: 'none', smooth: 0.2 },
    ],
  }
}

/** The classes as horizontal bars, the busiest on top, both periods. */
export function categoriesOption(categories: BriefingCategory[], english: boolean, labels: Labels): EChartsCoreOption {
  const rows = [...categories].reverse()
  const name = (c: BriefingCategory): string => (english ? c.nameEn ?? c.name : c.name)
  return {
    ...base(labels),
    grid: { left: 8, right: 36, top: 26, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: INK.muted, fontSize: 10 }, splitLine: { lineStyle: { color: INK.grid } } },
    yAxis: { type: 'category', data: rows.map(name), axisLabel: { color: INK.text, fontSize: 11 }, axisLine: { lineStyle: { color: INK.axis } }, axisTick: { show: false } },
    series: [
      { name: labels.period, type: 'bar', data: rows.map(c => c.period), itemStyle: { color: INK.period }, barGap: '10%', barMaxWidth: 12, label: { show: true, position: 'right', fontSize: 10, color: INK.text } },
      { name: labels.previous, type: 'bar', data: rows.map(c => c.previous), itemStyle: { color: INK.previous }, barMaxWidth: 12 },
    ],
  }
}
