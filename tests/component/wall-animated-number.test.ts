import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AnimatedNumber from '../../screen/src/motion/AnimatedNumber.vue'
import { freshPinia, wallI18n } from './wall-setup.ts'

describe('animated figures on the wall', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance', 'Date', 'setTimeout'] })
  })
  afterEach(() => vi.useRealTimers())

  it('shows a count at once, then eases to a new one through whole numbers and settles', async () => {
    const wrapper = mount(AnimatedNumber, { props: { value: 120 }, global: { plugins: [freshPinia(), wallI18n('zh-CN')] } })
    expect(wrapper.text()).toBe('120')
    await wrapper.setProps({ value: 1320 })
    await vi.advanceTimersByTimeAsync(300)
    const midway = Number(wrapper.text().replace(',', ''))
    expect(midway).toBeGreaterThan(120)
    expect(midway).toBeLessThan(1320)
    expect(Number.isInteger(midway)).toBe(true)
    await vi.advanceTimersByTimeAsync(1500)
    expect(wrapper.text()).toBe('1,320')
    wrapper.unmount()
  })

  it('shows shares as percentages with their decimals, and — for no value', async () => {
    const wrapper = mount(AnimatedNumber, { props: { value: 0.9712, percent: true, decimals: 1 }, global: { plugins: [freshPinia(), wallI18n('en')] } })
    expect(wrapper.text()).toBe('97.1')
    await wrapper.setProps({ value: 0.5 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(wrapper.text()).toBe('50.0')
    await wrapper.setProps({ value: null })
    expect(wrapper.text()).toBe('—')
    wrapper.unmount()
  })
})
