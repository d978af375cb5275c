import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

let ready = false

/**
 * Registers the parts of ECharts the briefing uses, with the SVG renderer: charts print as vectors,
 * crisp at any resolution. Idempotent. (The wall registers the canvas renderer for itself.)
 */
export function ensurePrintCharts(): void {
  if (!ready) {
    use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer])
    ready = true
  }
}
