import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import LiveIndicator from '../../screen/src/components/title/LiveIndicator.vue'
import { useLiveStore } from '../../screen/src/stores/live.ts'
import { freshPinia, wallI18n } from './wall-setup.ts'

describe('live indicator', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-14T02:00:00.000Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('says 连接中 before the first data, 实时 while current, and 数据延迟 with the age when stale', async () => {
    const pinia = freshPinia()
    const live = useLiveStore()
    const wrapper = mount(LiveIndicator, { global: { plugins: [pinia, wallI18n('zh-CN')] } })
    const el = () => wrapper.get('[data-testid="live-indicator"]')
    expect(el().attributes('data-state')).toBe('connecting')
    expect(el().text()).toBe('连接中…')

    const now = Date.now()
    live.state = { connected: true, database: 'up', version: 'v1', asOf: new Date(now - 2000).toISOString(), heardAt: now, snapshots: 1 }
    await nextTick()
    expect(el().attributes('data-state')).toBe('live')
    expect(el().text()).toBe('实时')

    // The server goes away: stale, with how old the figures are.
    live.state = { ...live.state, connected: false, asOf: new Date(now - 65_000).toISOString() }
    await nextTick()
    expect(el().attributes('data-state')).toBe('stale')
    expect(el().attributes('data-age-seconds')).toBe('65')
    expect(el().text()).toBe('数据延迟 1 分 5 秒')

    // The database is down while the socket is up: stale too.
    live.state = { ...live.state, connected: true, database: 'down' }
    await nextTick()
    expect(el().attributes('data-state')).toBe('stale')
    wrapper.unmount()
  })

  it('writes the age in English with ?lang=en', async () => {
    const pinia = freshPinia()
    const live = useLiveStore()
    live.state = { connected: false, database: 'up', version: 'v1', asOf: new Date(Date.now() - 9000).toISOString(), heardAt: Date.now() - 9000, snapshots: 2 }
    const wrapper = mount(LiveIndicator, { global: { plugins: [pinia, wallI18n('en')] } })
    await nextTick()
    expect(wrapper.text()).toBe('Data delayed 9 s')
    wrapper.unmount()
  })
})
