import type { RolloverVerdict, Sample, SeriesVerdict } from './analyse.ts'
import * as echarts from 'echarts'
import { formatLocal } from '../../server/src/domain/calendar.ts'
import { formatNumber } from './analyse.ts'

const HOUR_MS = 3_600_000

/** Everything a soak run found, as written to `<name>.json`. */
export interface SoakReport {
  name: string
  passed: boolean
  failures: string[]
  options: { hours: number, speed: number, rate: number, timeZone: string, viewport: { width: number, height: number }, sampleMinutes: number, warmupFraction: number }
  /** Simulated clock: start, end of warm-up, midnight crossed, end (ISO). */
  clock: { start: string, warmupEnd: string, midnight: string, end: string, realSeconds: number }
  simulator: Record<string, number>
  series: SeriesVerdict[]
  rollover: RolloverVerdict
  pageErrors: string[]
  samples: Sample[]
}

/** The report in Markdown: verdict, bounds with what was measured, the rollover, the plot. */
export function markdown(report: SoakReport, plotFile: string): string {
  const at = (iso: string): string => formatLocal(new Date(iso))
  const row = (v: SeriesVerdict): string => `| ${v.bound.label} | ${v.first === null ? '–' : formatNumber(v.first)} → ${v.last === null ? '–' : formatNumber(v.last)} | ${v.min === null ? '–' : `${formatNumber(v.min)}–${formatNumber(v.max!)}`} | ${formatNumber(v.perDay)} | ≤ ${v.bound.perDay} ${v.bound.unit}/day unless the fitted change ≤ ${v.bound.floor} | ${v.pass ? 'pass' : `**FAIL**: ${v.reason}`} |`
  return [
    `# Soak ${report.name}: ${report.passed ? 'passed' : 'FAILED'}`,
    '',
    `${report.options.hours} simulated hours at ${report.options.speed}× (${Math.round(report.clock.realSeconds / 60)} min real), simulator ≈${report.options.rate}/min of everyday activity per simulated minute, wall at ${report.options.viewport.width}×${report.options.viewport.height}, time zone ${report.options.timeZone}.`,
    `Simulated clock ${at(report.clock.start)} → ${at(report.clock.end)}; warm-up until ${at(report.clock.warmupEnd)}; local midnight ${at(report.clock.midnight)}. ${report.samples.length} samples, one every ${report.options.sampleMinutes} simulated minutes.`,
    '',
    ...(report.failures.length ? ['## Failures', '', ...report.failures.map(f => `- ${f}`), ''] : []),
    '## Growth after warm-up (least-squares line over the samples)',
    '',
    '| Series | first → last | range | fitted /day | bound | verdict |',
    '|---|---|---|---|---|---|',
    ...report.series.map(row),
    '',
    '## Local midnight',
    '',
    `${report.rollover.pass ? 'Rolled over' : '**Did not roll over**'}: ${report.rollover.reason}${report.rollover.before && report.rollover.after ? ` (read at ${at(new Date(report.rollover.before.sim).toISOString())} and ${at(new Date(report.rollover.after.sim).toISOString())})` : ''}.`,
    '',
    `Simulator wrote: ${Object.entries(report.simulator).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `Page errors: ${report.pageErrors.length === 0 ? 'none' : report.pageErrors.map(e => `\`${e}\``).join('; ')}.`,
    '',
    `![soak plot](${plotFile})`,
    '',
  ].join('\n')
}

/** Small multiples of every series over simulated hours, with warm-up, midnight and the fitted line (SVG). */
export function plotSvg(report: SoakReport): string {
  const start = Date.parse(report.clock.start)
  const warmup = (Date.parse(report.clock.warmupEnd) - start) / HOUR_MS
  const midnight = (Date.parse(report.clock.midnight) - start) / HOUR_MS
  const panels = [...report.series.map(v => ({ key: v.bound.series, title: `${v.bound.label} (${v.bound.unit})${v.pass ? '' : '  FAIL'}`, verdict: v as SeriesVerdict | undefined })), { key: 'todayNew', title: '今日新增 on the wall (todayNew)', verdict: undefined }]
  const columns = 2
  const rows = Math.ceil(panels.length / columns)
  const width = 1400
  const panelHeight = 230
  const height = rows * panelHeight + 60
  const grid = panels.map((_, i) => ({ left: 70 + (i % columns) * (width / columns), width: width / columns - 110, top: 84 + Math.floor(i / columns) * panelHeight, height: panelHeight - 100 }))
  const xEnd = report.options.hours
  const series = panels.flatMap((panel, i) => {
    const data = report.samples.map(s => [(s.sim - start) / HOUR_MS, panel.key === 'todayNew' ? s.todayNew : s.values[panel.key] ?? null])
    const lines: echarts.SeriesOption[] = [{
      type: 'line',
      xAxisIndex: i,
      yAxisIndex: i,
      data,
      showSymbol: false,
      lineStyle: { width: 1.5, color: panel.verdict && !panel.verdict.pass ? '#d62728' : '#1f77b4' },
      markLine: { silent: true, symbol: 'none', label: { formatter: '{b}', fontSize: 10, color: '#666' }, lineStyle: { type: 'dashed', color: '#888' }, data: [{ name: 'warm-up', xAxis: warmup }, { name: 'midnight', xAxis: midnight }] },
    }]
    const v = panel.verdict
    if (v && v.samples > 1) {
      const x0 = warmup
      const y = (x: number): number => v.fit.intercept + v.fit.slope * (x - x0) * HOUR_MS
      lines.push({ type: 'line', xAxisIndex: i, yAxisIndex: i, data: [[x0, y(x0)], [xEnd, y(xEnd)]], showSymbol: false, lineStyle: { width: 1, type: 'dotted', color: '#ff7f0e' } })
    }
    return lines
  })
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption({
    animation: false,
    backgroundColor: '#fff',
    title: [{ text: `Soak ${report.name} — ${report.passed ? 'passed' : 'FAILED'} (x: simulated hours from ${formatLocal(new Date(start))}; dotted: fit after warm-up)`, left: 10, top: 8, textStyle: { fontSize: 15 } },
      ...panels.map((p, i) => ({ text: p.title, left: grid[i]!.left, top: grid[i]!.top - 40, textStyle: { fontSize: 12, fontWeight: 'normal' as const, color: p.verdict && !p.verdict.pass ? '#d62728' : '#333' } }))],
    grid,
    xAxis: grid.map((_, i) => ({ type: 'value', gridIndex: i, min: 0, max: xEnd, axisLabel: { fontSize: 10 } })),
    yAxis: grid.map((_, i) => ({ type: 'value', gridIndex: i, scale: true, axisLabel: { fontSize: 10 } })),
    series,
  })
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}
