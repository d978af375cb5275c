import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ChartCanvas from '../../screen/src/panels/chart/ChartCanvas.vue'
import { useScreenStore } from '../../screen/src/stores/screen.ts'
import { freshPinia } from './wall-setup.ts'

const charts = vi.hoisted(() => [] as { opts: { devicePixelRatio?: number }, setOption: ReturnType<typeof vi.fn>, resize: ReturnType<typeof vi.fn>, dispose: ReturnType<typeof vi.fn> }[])
vi.mock('echarts/core', async (original) => {
  const actual = await original<Record<string, unknown>>()
  return {
    ...actual,
    init: (_el: HTMLElement, _theme: string, opts: { devicePixelRatio?: number }) => {
      const chart = { opts, setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() }
      charts.push(chart)
      return chart
    },
  }
})

describe('chart canvas', () => {
  it('draws at the screen\'s pixel ratio, re-creates the chart when it changes, and disposes everything on unmount', async () => {
    const observers: { disconnect: ReturnType<typeof vi.fn> }[] = []
    vi.stubGlobal('ResizeObserver', class {
      disconnect = vi.fn()
      constructor() {
        observers.push(this)
      }

      observe(): void {}
    })
    const pinia = freshPinia()
    const screen = useScreenStore()
    const wrapper = mount(ChartCanvas, { props: { option: { series: [{ type: 'bar', data: [1] }] } }, global: { plugins: [pinia] } })
    expect(charts).toHaveLength(1)
    expect(charts[0]!.opts.devicePixelRatio).toBe(1)
    expect(charts[0]!.setOption).toHaveBeenCalledTimes(1)

    await wrapper.setProps({ option: { series: [{ type: 'bar', data: [2] }] } })
    expect(charts[0]!.setOption).toHaveBeenCalledTimes(2)

    // The window becomes a 4K screen: the same layout, drawn at twice the pixels.
    screen.setViewport(3840, 2160)
    await nextTick()
    expect(charts).toHaveLength(2)
    expect(charts[0]!.dispose).toHaveBeenCalledTimes(1)
    expect(charts[1]!.opts.devicePixelRatio).toBe(2)

    wrapper.unmount()
    expect(charts[1]!.dispose).toHaveBeenCalledTimes(1)
    expect(observers).toHaveLength(1)
    expect(observers[0]!.disconnect).toHaveBeenCalledTimes(1)
    vi.unstubAllGlobals()
  })
})
