import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import GridCard from '../../screen/src/map/cards/GridCard.vue'
import { freshPinia, wallI18n } from './wall-setup.ts'

const grid = { id: 7, code: '430821103201007', name: '新花村第7网格', village: '新花村', labelPoint: [111.1, 29.4] as [number, number], geometry: { type: 'Polygon' as const, coordinates: [[[111, 29], [111.1, 29], [111.1, 29.1], [111, 29]]] } }
const figures = { open: 4, overdue: 1, today: 2, last30Days: 37 }

function respond(status: number, body: unknown): void {
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    expect(url).toBe('/api/grids/7/workers')
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }))
}

describe('grid card', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('shows the grid\'s figures and its staff by role, duty and last check-in', async () => {
    respond(200, { gridId: 7, workers: [
      { id: 2, role: 'grid_leader', dutyStatus: 'off_duty', lastCheckinAt: null },
      { id: 1, role: 'grid_worker', dutyStatus: 'on_duty', lastCheckinAt: new Date(Date.now() - 5 * 60_000).toISOString() },
    ] })
    const wrapper = mount(GridCard, { props: { grid, figures, areaKm2: 1.234 }, global: { plugins: [freshPinia(), wallI18n('zh-CN')] } })
    await flushPromises()
    expect(wrapper.text()).toContain('新花村第7网格')
    expect(wrapper.text()).toContain('1.23 km²')
    const rows = wrapper.findAll('[data-testid="grid-staff"] li').map(li => li.findAll('span').map(span => span.text()))
    expect(rows).toEqual([['网格长', '离岗', '未签到'], ['网格员', '在岗', '5 分钟前签到']])
    wrapper.unmount()
  })

  it('says when a grid has no staff, and when the staff cannot be loaded (the figures stay)', async () => {
    respond(200, { gridId: 7, workers: [] })
    const empty = mount(GridCard, { props: { grid, figures, areaKm2: 1 }, global: { plugins: [freshPinia(), wallI18n('en')] } })
    await flushPromises()
    expect(empty.text()).toContain('No grid worker assigned')
    empty.unmount()

    respond(503, { error: { code: 'not_ready', message: 'starting' } })
    const failed = mount(GridCard, { props: { grid, figures, areaKm2: 1 }, global: { plugins: [freshPinia(), wallI18n('zh-CN')] } })
    await flushPromises()
    expect(failed.text()).toContain('网格员信息暂不可用')
    expect(failed.text()).toContain('37')
    failed.unmount()
  })
})
