import type { Kpi } from '../../screen/src/panels/kpi/kpis.ts'
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import KpiTile from '../../screen/src/panels/kpi/KpiTile.vue'
import { freshPinia, wallI18n } from './wall-setup.ts'

const open: Kpi = { key: 'open', metric: 'overview.open', kind: 'count', value: 1200, unit: 'cases', tone: 'calm' }

describe('KPI tile', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance', 'Date', 'setTimeout'] })
  })
  afterEach(() => vi.useRealTimers())

  it('carries its raw value at once while the shown number eases to it, then settles and stops', async () => {
    const wrapper = mount(KpiTile, { props: { kpi: open }, global: { plugins: [freshPinia(), wallI18n('zh-CN')] } })
    const value = () => wrapper.get('[data-metric="overview.open"]')
    expect(value().attributes('data-value')).toBe('1200')
    expect(value().text()).toBe('1,200')
    expect(wrapper.text()).toContain('在办事件')
    expect(wrapper.text()).toContain('件')

    await wrapper.setProps({ kpi: { ...open, value: 2200 } })
    expect(value().attributes('data-value')).toBe('2200')
    await vi.advanceTimersByTimeAsync(300)
    const midway = Number(value().text().replace(',', ''))
    expect(midway).toBeGreaterThan(1200)
    expect(midway).toBeLessThan(2200)
    await vi.advanceTimersByTimeAsync(1000)
    expect(value().text()).toBe('2,200')
    wrapper.unmount()
  })

  it('shows a share as a percentage with its parts as attributes, and — when there is nothing to divide', async () => {
    const kpi: Kpi = { key: 'satisfaction', metric: 'overview.satisfaction', kind: 'percent', value: 0.9712, ratio: { numerator: 971, denominator: 1000, value: 0.9712 }, unit: 'percent', tone: 'good' }
    const wrapper = mount(KpiTile, { props: { kpi }, global: { plugins: [freshPinia(), wallI18n('en')] } })
    const el = wrapper.get('[data-metric="overview.satisfaction"]')
    expect(el.text()).toBe('97.1')
    expect(el.attributes()).toMatchObject({ 'data-value': '0.9712', 'data-numerator': '971', 'data-denominator': '1000' })
    expect(wrapper.text()).toContain('Satisfaction')
    await wrapper.setProps({ kpi: { ...kpi, value: null, ratio: { numerator: 0, denominator: 0, value: null } } })
    await nextTick()
    expect(wrapper.get('[data-metric="overview.satisfaction"]').text()).toBe('—')
    wrapper.unmount()
  })
})
