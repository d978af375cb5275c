import type { Briefing } from '#wire'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import BriefingFigures from '../../screen/src/briefing/BriefingFigures.vue'
import BriefingMap from '../../screen/src/briefing/BriefingMap.vue'
import BriefingOverdue from '../../screen/src/briefing/BriefingOverdue.vue'
import { briefingMessages } from '../../screen/src/briefing/messages.ts'
import { briefingMetrics } from '../../screen/src/briefing/metrics.ts'
import { wallI18n } from './wall-setup.ts'

const ratio = (numerator: number, denominator: number) => ({ numerator, denominator, value: denominator ? numerator / denominator : null })
const square = (w: number, s: number, d = 0.05) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [w + d, s], [w + d, s + d], [w, s + d], [w, s]]] })
const period = (from: string, to: string) => ({ from, to, days: 7, start: `${from}T00:00:00Z`, end: `${to}T16:00:00Z` })
const figures = (reported: number, onTime: number, overdue: number) => ({ reported, urgentOrMajor: 3, closed: reported - 5, closedWithinSla: ratio(onTime, 100), settledAtVillage: ratio(98, 100), satisfaction: ratio(96, 100), open: 12, overdue })

const briefing: Briefing = {
  township: { code: '430821103', name: '东岳观镇' },
  timeZone: 'Asia/Shanghai',
  generatedAt: '2026-12-01T02:00:00Z',
  period: period('2026-11-24', '2026-11-30'),
  previous: period('2026-11-17', '2026-11-23'),
  figures: { period: figures(120, 97, 2), previous: figures(100, 95, 4) },
  daily: { period: [{ day: '2026-11-24', count: 20 }], previous: [{ day: '2026-11-17', count: 15 }] },
  hourly: { period: Array.from({ length: 24 }, () => 5), previous: Array.from({ length: 24 }, () => 4) },
  categories: [],
  subcategories: [],
  villages: [],
  sla: [],
  overdue: { total: 3, cases: [
    { code: 'SJ20261125-0007', level: 'urgent', category: '防汛隐患', categoryEn: 'Flood hazards', village: '杨柳村', grid: '杨柳村第1网格', reportedAt: '2026-11-25T01:00:00Z', deadline: '2026-11-25T06:00:00Z', lateMinutes: 3480 },
    { code: 'SJ20261126-0002', level: 'general', category: '邻里纠纷', categoryEn: 'Neighbour disputes', village: '石门村', grid: null, reportedAt: '2026-11-26T01:00:00Z', deadline: '2026-11-29T01:00:00Z', lateMinutes: 45 },
  ] },
  grids: [
    { id: 1, code: 'G1', name: '第1网格', village: '杨柳村', period: 0 },
    { id: 2, code: 'G2', name: '第2网格', village: '杨柳村', period: 9 },
  ],
}

function i18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const plugin = wallI18n(locale)
  for (const [l, words] of Object.entries(briefingMessages))
    plugin.global.mergeLocaleMessage(l, { briefing: words })
  return plugin
}

describe('the briefing\'s sections', () => {
  it('shows each headline figure against the previous period, with its id and raw value, better or worse by its meaning', () => {
    const wrapper = mount(BriefingFigures, { props: { briefing }, global: { plugins: [i18n()] } })
    const reported = wrapper.get('[data-metric="period.reported"]')
    expect(reported.text()).toBe('120')
    expect(wrapper.get('[data-metric="previous.reported"]').attributes('data-value')).toBe('100')
    const onTime = wrapper.get('[data-metric="period.closedWithinSla"]')
    expect(onTime.attributes()).toMatchObject({ 'data-value': '0.97', 'data-numerator': '97', 'data-denominator': '100' })
    expect(onTime.text()).toBe('97.0%')
    const rows = wrapper.findAll('tbody tr').map(r => ({ label: r.get('th').text(), trend: r.get('[data-trend]').attributes('data-trend'), change: r.get('[data-trend]').text() }))
    expect(rows.find(r => r.label === '新上报事件')).toEqual({ label: '新上报事件', trend: 'same', change: '+20 (+20.0%)' })
    expect(rows.find(r => r.label === '按期办结率')).toEqual({ label: '按期办结率', trend: 'better', change: '+2.0个百分点' })
    expect(rows.find(r => r.label === '期末超期')).toMatchObject({ trend: 'better', change: '−2 (−50.0%)' })
  })

  it('lists overdue cases by code, category and place with how late, and says how many are not listed', () => {
    const wrapper = mount(BriefingOverdue, { props: { briefing }, global: { plugins: [i18n()] } })
    const rows = wrapper.findAll('[data-testid="briefing-overdue-row"]')
    expect(rows.map(r => r.attributes('data-code'))).toEqual(['SJ20261125-0007', 'SJ20261126-0002'])
    expect(rows[0]!.text()).toContain('杨柳村 · 杨柳村第1网格')
    expect(rows[0]!.get('[data-metric="overdue.SJ20261125-0007.lateMinutes"]').text()).toBe('2天10小时')
    expect(rows[0]!.text()).toContain('2026/11/25 14:00') // the deadline in the township's time
    expect(wrapper.get('[data-metric="overdue.total"]').attributes('data-value')).toBe('3')
    expect(wrapper.text()).toContain('另有 1 件超期事件未列出（共 3 件）')
  })

  it('draws each grid in the colour of its cases, with the legend, and every figure\'s id is the list the tests read', () => {
    const grids = { type: 'FeatureCollection' as const, features: [1, 2].map(id => ({ type: 'Feature' as const, id, geometry: square(111 + id * 0.05, 29.3), properties: { id } as never })) }
    const township = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, geometry: square(111.05, 29.3, 0.1), properties: { code: '430821103', name: '东岳观镇', county: '慈利县', seat: null } }] }
    const wrapper = mount(BriefingMap, { props: { briefing, township, villages: null, grids, legend: '本期事件（件）' }, global: { plugins: [i18n()] } })
    const cells = wrapper.findAll('path[data-metric^="grid."]')
    expect(cells.map(c => [c.attributes('data-metric'), c.attributes('data-value'), c.attributes('fill')])).toEqual([['grid.G1.period', '0', '#f7f4ea'], ['grid.G2.period', '9', '#8f1d1d']])
    expect(wrapper.get('figcaption').text()).toContain('本期事件（件）')
    const shown = new Set(briefingMetrics(briefing).map(m => m.id))
    for (const cell of cells)
      expect(shown).toContain(cell.attributes('data-metric'))
  })
})
