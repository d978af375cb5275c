import type { EChartsCoreOption } from 'echarts/core'
import type { CategoryCount } from '#wire'
import { PALETTE } from '../chart/theme.ts'

/** The top categories over 30 days as horizontal bars, largest on top, each with its count. */
export function categoriesOption(categories: readonly CategoryCount[], names: { label: (c: CategoryCount) => string, series: string }): EChartsCoreOption {
  return {
    grid: { left: 4, right: 56, top: 4, bottom: 0, containLabel: true },
    xAxis: { type: 'value', show: false, max: 'dataMax' },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories.map(names.label),
      axisLine: { show: false },
      axisLabel: { color: PALETTE.text, fontSize: 16 },
    },
    series: [{
      name: names.series,
      type: 'bar',
      barWidth: 12,
      showBackground: true,
      backgroundStyle: { color: 'rgba(63, 200, 255, 0.08)', borderRadius: 6 },
      itemStyle: {
        borderRadius: 6,
        color: { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: 'rgba(45, 125, 255, 0.85)' }, { offset: 1, color: PALETTE.teal }] },
        shadowColor: 'rgba(46, 230, 214, 0.5)',
        shadowBlur: 8,
      },
      label: { show: true, position: 'right', color: PALETTE.text, fontSize: 16, fontWeight: 'bold' },
      data: categories.map(c => c.last30Days),
    }],
  }
}
