import type { AlarmsView, Overview } from '#wire'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import AlarmsPanel from '../../screen/src/panels/alarms/AlarmsPanel.vue'
import { useLiveStore } from '../../screen/src/stores/live.ts'
import { freshPinia, wallI18n } from './wall-setup.ts'

function alarm(id: number) {
  return { id, kind: 'gas', status: 'active', raisedAt: '2026-12-01T02:00:00Z', lon: 112, lat: 28, villageId: null, gridId: null }
}

describe('IoT alarms panel', () => {
  it('says how many it lists when there are more open alarms than rows (one row here: no layout in the test DOM)', async () => {
    const pinia = freshPinia()
    const live = useLiveStore()
    live.overview = { alarms: { open: 3, byKind: { gas: 3 } } } as unknown as Overview
    live.alarms = { alarms: [alarm(3), alarm(2), alarm(1)] } as unknown as AlarmsView
    const wrapper = mount(AlarmsPanel, { global: { plugins: [pinia, wallI18n('zh-CN')] } })
    await nextTick()
    expect(wrapper.findAll('.alarms-panel__row')).toHaveLength(1)
    expect(wrapper.get('[data-testid="alarms-listed"]').text()).toBe('列出最新 1 起')
    // Its time a <time> (what the browser test reads), in Beijing time whatever the machine's zone.
    expect(wrapper.get('time.alarms-panel__when').attributes('datetime')).toBe('2026-12-01T02:00:00Z')
    expect(wrapper.get('time.alarms-panel__when').text()).toBe('10:00')

    // All listed: no note.
    live.overview = { alarms: { open: 1, byKind: { gas: 1 } } } as unknown as Overview
    live.alarms = { alarms: [alarm(3)] } as unknown as AlarmsView
    await nextTick()
    expect(wrapper.findAll('.alarms-panel__row')).toHaveLength(1)
    expect(wrapper.find('[data-testid="alarms-listed"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
