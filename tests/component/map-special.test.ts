import type { Overview, Rankings } from '#wire'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import GridCard from '../../screen/src/map/cards/GridCard.vue'
import MapLegend from '../../screen/src/map/MapLegend.vue'
import { useLiveStore } from '../../screen/src/stores/live.ts'
import { useMapStore } from '../../screen/src/stores/map.ts'
import { freshPinia, wallI18n } from './wall-setup.ts'

const grid = { id: 7, code: '430821103201007', name: '新花村第7网格', village: '新花村', labelPoint: [111.1, 29.4] as [number, number], geometry: { type: 'Polygon' as const, coordinates: [[[111, 29], [111.1, 29], [111.1, 29.1], [111, 29]]] } }
const special = { minCount: 3, kinds: ['disabled', 'elderly_alone', 'left_behind_child'], grids: { 7: [0, 12, null], 9: [5, 3, 4] } }

describe('special populations (重点人群)', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('the grid card lists the grid\'s counts by kind, "<3" where suppressed, and follows the live counts', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ gridId: 7, workers: [] }), { headers: { 'content-type': 'application/json' } })))
    for (const locale of ['zh-CN', 'en'] as const) {
      const pinia = freshPinia()
      const live = useLiveStore()
      live.rankings = { asOf: '', villages: [], grids: [], specialPopulation: special } as unknown as Rankings
      const wrapper = mount(GridCard, { props: { grid, figures: undefined, areaKm2: 1 }, global: { plugins: [pinia, wallI18n(locale)] } })
      await flushPromises()
      const rows = (): string[][] => {
        const cells = wrapper.findAll('[data-testid="grid-special"] > *').map(el => el.text())
        return Array.from({ length: cells.length / 2 }, (_, i) => [cells[2 * i]!, cells[2 * i + 1]!])
      }
      if (locale === 'zh-CN') {
        expect(wrapper.text()).toContain('重点人群')
        expect(rows()).toEqual([['社区矫正', '0'], ['戒毒康复', '0'], ['严重精神障碍', '0'], ['刑满释放', '0'], ['重点信访', '0'], ['独居老人', '12'], ['留守儿童', '<3'], ['残疾人', '0']])
      }
      else {
        expect(rows()).toContainEqual(['Left-behind', '<3'])
        expect(rows()).toContainEqual(['Elderly alone', '12'])
      }
      // A registry update reaches the open card.
      live.rankings = { ...live.rankings, specialPopulation: { ...special, grids: { 7: [0, 12, 4] } } }
      await nextTick()
      expect(wrapper.get('[data-kind="left_behind_child"]').text()).toBe('4')
      wrapper.unmount()
    }
  })

  it('the legend offers the layer, and with it the township\'s totals by kind, each choosing the kind to colour by', async () => {
    const pinia = freshPinia()
    const live = useLiveStore()
    const map = useMapStore()
    live.overview = { specialPopulation: { elderly_alone: 210, left_behind_child: 150, community_correction: null }, specialPopulationMinCount: 3 } as unknown as Overview
    const wrapper = mount(MapLegend, { global: { plugins: [pinia, wallI18n('zh-CN')] } })
    expect(wrapper.find('[data-testid="special-totals"]').exists()).toBe(false)

    await wrapper.get('[data-testid="grid-metric-special"]').trigger('click')
    expect(map.gridMetric).toBe('special')
    const totals = Object.fromEntries(wrapper.findAll('[data-metric]').map(el => [el.attributes('data-metric'), [el.text(), el.attributes('data-value')]]))
    expect(totals).toEqual({
      'special.community_correction.total': ['<3', ''],
      'special.drug_rehabilitation.total': ['0', '0'],
      'special.severe_mental_disorder.total': ['0', '0'],
      'special.released_prisoner.total': ['0', '0'],
      'special.key_petitioner.total': ['0', '0'],
      'special.elderly_alone.total': ['210', '210'],
      'special.left_behind_child.total': ['150', '150'],
      'special.disabled.total': ['0', '0'],
    })
    expect(wrapper.get('[data-testid="special-totals"]').text()).toContain('不足 3 人显示为“<3”')

    await wrapper.get('[data-testid="special-kind-elderly_alone"]').trigger('click')
    expect(map.gridMetric).toBe('special:elderly_alone')
    expect(wrapper.get('[data-testid="grid-metric-special"]').classes()).toContain('on')
    // The legend's lowest class is everything under the threshold.
    map.gridLegend = { metric: 'special:elderly_alone', breaks: [0, 3, 7, 11, 15, 19], colours: [[0, 0, 0, 255], [0, 0, 0, 255], [0, 0, 0, 255], [0, 0, 0, 255], [0, 0, 0, 255]], minCount: 3 }
    await nextTick()
    expect(wrapper.findAll('.map-legend__class').map(c => c.text()).slice(0, 2)).toEqual(['<3', '3–7'])
    expect(wrapper.text()).toContain('人')
    await wrapper.get('[data-testid="special-kind-elderly_alone"]').trigger('click')
    expect(map.gridMetric).toBe('special')

    // Back to a case metric: the totals go.
    await wrapper.get('[data-testid="grid-metric-open"]').trigger('click')
    expect(wrapper.find('[data-testid="special-totals"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
