import type { EChartsCoreOption } from 'echarts/core'
import type { Trends } from '#wire'
import { PALETTE } from '../chart/theme.ts'
import { formatDayLabel } from '../format.ts'

function fade(rgb: string, top: number, bottom: number): object {
  return {
    type: 'linear',
    x: 0,
    y: 0,
    x2: 0,
    y2: 1,
    colorStops: [{ offset: 0, color: `rgba(${rgb}, ${top})` }, { offset: 1, color: `rgba(${rgb}, ${bottom})` }],
  }
}

/** Today's cases per hour (hours not yet reached are gaps) against yesterday's. */
export function hourlyOption(hourly: Trends['hourly'], names: { today: string, yesterday: string, hour: (h: number) => string }): EChartsCoreOption {
  return {
    grid: { left: 8, right: 14, top: 34, bottom: 4, containLabel: true },
    legend: { top: 0, right: 4, data: [names.today, names.yesterday] },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: Array.from({ length: 24 }, (_, h) => names.hour(h)),
      axisLabel: { interval: 3 },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
    series: [
      {
        name: names.yesterday,
        type: 'line',
        data: hourly.yesterday,
        lineStyle: { width: 2, type: 'dashed', color: PALETTE.muted },
        itemStyle: { color: PALETTE.muted },
        z: 1,
      },
      {
        name: names.today,
        type: 'line',
        data: hourly.today,
        connectNulls: false,
        lineStyle: { width: 3, color: PALETTE.teal, shadowColor: 'rgba(46, 230, 214, 0.8)', shadowBlur: 10 },
        itemStyle: { color: PALETTE.teal },
        areaStyle: { color: fade('46, 230, 214', 0.42, 0.02) },
        z: 2,
      },
    ],
  }
}

/** Cases per day over 30 days, today (still counting) highlighted. */
export function dailyOption(daily: Trends['daily'], names: { cases: string }): EChartsCoreOption {
  const last = daily.length - 1
  return {
    grid: { left: 8, right: 14, top: 16, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      data: daily.map(d => formatDayLabel(d.date)),
      axisLabel: { interval: 6 },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
    series: [{
      name: names.cases,
      type: 'bar',
      barWidth: '58%',
      data: daily.map((d, i) => ({
        value: d.count,
        itemStyle: { color: i === last ? fade('255, 196, 71', 1, 0.35) : fade('63, 200, 255', 0.95, 0.2), borderRadius: [2, 2, 0, 0] },
      })),
    }],
  }
}
