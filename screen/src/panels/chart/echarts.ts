import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { registerTheme, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { CHART_THEME, THEME_NAME } from './theme.ts'

let ready = false

/**
 * Registers the parts of ECharts the wall uses (only these are bundled) and its one dark theme.
 * Idempotent: every chart calls it, the work happens once.
 */
export function ensureCharts(): string {
  if (!ready) {
    use([BarChart, LineChart, GridComponent, LegendComponent, CanvasRenderer])
    registerTheme(THEME_NAME, CHART_THEME)
    ready = true
  }
  return THEME_NAME
}
