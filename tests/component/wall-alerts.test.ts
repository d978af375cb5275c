import type { CasePoint } from '#wire'
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import AlertBanner from '../../screen/src/alerts/AlertBanner.vue'
import { useAlertStore } from '../../screen/src/stores/alerts.ts'
import { useLiveStore } from '../../screen/src/stores/live.ts'
import { freshPinia, wallI18n } from './wall-setup.ts'

function point(id: number, level: string): CasePoint {
  return { id, code: `430821103-260314-${id}`, categoryId: 1, category: '燃气泄漏', categoryEn: 'Gas leak', level, status: 'reported', source: 'iot', lon: 111.1, lat: 29.4, villageId: 1, village: '杨柳村', gridId: 2, grid: '杨柳村第3网格', reportedAt: new Date().toISOString(), slaDeadline: null, closedAt: null }
}

describe('urgent-case alert', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-14T02:00:00.000Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('raises a banner and the map\'s alertCase for a 紧急 case, once, and dismisses it after 30 s', async () => {
    const pinia = freshPinia()
    const live = useLiveStore()
    const alerts = useAlertStore()
    const wrapper = mount(AlertBanner, { global: { plugins: [pinia, wallI18n('zh-CN')] } })
    expect(wrapper.find('[data-testid="alert"]').exists()).toBe(false)

    live.urgent = [point(7, 'urgent')]
    await nextTick()
    const banner = wrapper.get('[data-testid="alert"]')
    expect(banner.attributes('data-case-id')).toBe('7')
    expect(banner.text()).toContain('紧急事件')
    expect(banner.text()).toContain('燃气泄漏')
    expect(banner.text()).toContain('杨柳村 · 第3网格')
    expect(alerts.alertCase?.id).toBe(7)
    expect(alerts.alertSeq).toBe(1)
    expect(live.urgent).toEqual([]) // consumed

    // The same case again (a resent frame): no second alert. A 重大 case joins it.
    live.urgent = [point(7, 'urgent'), point(8, 'major')]
    await nextTick()
    expect(alerts.alertSeq).toBe(2)
    expect(alerts.active.map(a => a.case.id)).toEqual([8, 7])
    expect(alerts.alertCase?.id).toBe(8)
    expect(wrapper.text()).toContain('另有 1 起')

    await vi.advanceTimersByTimeAsync(30_100)
    await nextTick()
    expect(alerts.active).toEqual([])
    expect(alerts.alertCase).toBeNull()
    expect(wrapper.find('[data-testid="alert"]').exists()).toBe(false)
    alerts.stop()
    wrapper.unmount()
  })

  it('ignores 一般 and 较大 cases', async () => {
    freshPinia()
    const live = useLiveStore()
    const alerts = useAlertStore()
    live.urgent = [point(1, 'general'), point(2, 'serious')]
    await nextTick()
    expect(alerts.active).toEqual([])
    expect(alerts.alertCase).toBeNull()
  })
})
