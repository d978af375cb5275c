import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import TitleBar from '../../screen/src/components/title/TitleBar.vue'
import { pickLocale } from '../../screen/src/i18n/index.ts'
import { useLiveStore } from '../../screen/src/stores/live.ts'
import { freshPinia, wallI18n as i18n } from './wall-setup.ts'

describe('TitleBar', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    // 09:05:07 in Beijing, whatever zone the machine running the test is in.
    vi.setSystemTime(new Date('2026-11-23T01:05:07Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('shows the title and a clock that advances every second, and stops its timer when unmounted', async () => {
    const setSpy = vi.spyOn(globalThis, 'setInterval')
    const clearSpy = vi.spyOn(globalThis, 'clearInterval')
    const wrapper = mount(TitleBar, { props: { title: '东岳观镇基层治理指挥中心' }, global: { plugins: [i18n('zh-CN'), freshPinia()] } })
    expect(wrapper.get('[data-testid="title"]').text()).toBe('东岳观镇基层治理指挥中心')
    expect(wrapper.get('[data-testid="clock"]').text()).toContain('2026年11月23日')
    expect(wrapper.get('[data-testid="clock"]').text()).toContain('09:05:07')
    await vi.advanceTimersByTimeAsync(2000)
    expect(wrapper.get('[data-testid="clock"]').text()).toContain('09:05:09')
    expect(setSpy).toHaveBeenCalledTimes(1)
    wrapper.unmount()
    expect(clearSpy).toHaveBeenCalledWith(setSpy.mock.results[0]!.value)
  })

  it('shows the time machine\'s moment, not the present, while the wall shows the past', async () => {
    const pinia = freshPinia()
    const wrapper = mount(TitleBar, { props: { title: '东岳观镇基层治理指挥中心' }, global: { plugins: [i18n('zh-CN'), pinia] } })
    const live = useLiveStore()
    live.past = { requested: '2026-11-16T02:30:00.000Z', speed: 0, at: '2026-11-16T02:30:00.000Z', earliest: null, camerasAsOfNow: true, error: null }
    await wrapper.vm.$nextTick()
    const clock = wrapper.get('[data-testid="clock"]')
    expect(clock.text()).toContain('2026年11月16日')
    expect(clock.text()).toContain('10:30:00')
    expect(clock.attributes('data-past')).toBe('true')
    live.past = null
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid="clock"]').text()).toContain('09:05:07')
    expect(wrapper.get('[data-testid="clock"]').attributes('data-past')).toBeUndefined()
    wrapper.unmount()
  })
})

describe('pickLocale', () => {
  it('defaults to Chinese, honours ?lang= and then a saved choice', () => {
    expect(pickLocale('', null)).toBe('zh-CN')
    expect(pickLocale('?lang=en', null)).toBe('en')
    expect(pickLocale('?lang=EN-us', 'zh-CN')).toBe('en')
    expect(pickLocale('', 'en')).toBe('en')
    expect(pickLocale('?lang=fr', null)).toBe('zh-CN')
  })
})
