import type { EChartsCoreOption } from 'echarts/core'
import { PALETTE } from '../chart/theme.ts'

/** Stars 1–5 always, counts 0 when absent (the server lists only stars that occur). */
export function starCounts(branchStars: Record<string, number>): { stars: number, count: number }[] {
  return [1, 2, 3, 4, 5].map(stars => ({ stars, count: branchStars[String(stars)] ?? 0 }))
}

/** Party branches per star rating (星级党组织), five bars in party red-gold. */
export function starsOption(counts: readonly { stars: number, count: number }[], names: { star: (n: number) => string, series: string }): EChartsCoreOption {
  return {
    grid: { left: 4, right: 8, top: 22, bottom: 2, containLabel: true },
    xAxis: { type: 'category', data: counts.map(c => names.star(c.stars)), axisLabel: { color: PALETTE.text, fontSize: 15 } },
    yAxis: { type: 'value', show: false, minInterval: 1 },
    series: [{
      name: names.series,
      type: 'bar',
      barWidth: '46%',
      label: { show: true, position: 'top', color: PALETTE.text, fontSize: 16, fontWeight: 'bold' },
      itemStyle: {
        borderRadius: [3, 3, 0, 0],
        color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: '#ffd36b' }, { offset: 1, color: 'rgba(230, 70, 60, 0.55)' }] },
        shadowColor: 'rgba(255, 196, 71, 0.45)',
        shadowBlur: 8,
      },
      data: counts.map(c => c.count),
    }],
  }
}
