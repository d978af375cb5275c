import type { CameraPoint, Overview, Rankings, Trends } from '#wire'
import { describe, expect, it } from 'vitest'
import { alarmKindCounts, latestAlarms } from '../../screen/src/panels/alarms/alarms.ts'
import { camerasByVillage } from '../../screen/src/panels/cameras/byVillage.ts'
import { categoriesOption } from '../../screen/src/panels/categories/options.ts'
import { buildKpis, camerasOnlineRatio } from '../../screen/src/panels/kpi/kpis.ts'
import { METRIC, metricAttrs } from '../../screen/src/panels/metrics.ts'
import { starCounts, starsOption } from '../../screen/src/panels/party/options.ts'
import { dailyOption, hourlyOption } from '../../screen/src/panels/trend/options.ts'

const overview: Overview = {
  asOf: '2026-03-14T02:00:00.000Z',
  todayNew: 37,
  open: 312,
  overdue: 0,
  closedWithinSla: { numerator: 971, denominator: 1000, value: 0.971 },
  settledAtVillage: { numerator: 980, denominator: 1000, value: 0.98 },
  satisfaction: { numerator: 0, denominator: 0, value: null },
  cameras: { online: 950, offline: 50, alarm: 30, total: 1030 },
  workersOnDuty: 140,
  households: 7010,
  residents: 24678,
  nonLocalResidents: 1200,
  specialPopulation: {},
  specialPopulationMinCount: 3,
  specialPopulationWithheld: [],
  party: { members: 715, probationary: 20, averagePoints: 78.86, pairedHouseholds: 0, branches: 21, branchStars: { 3: 9, 5: 1 } },
  alarms: { open: 3, byKind: { gas: 2, elderly_call: 1, flood_gate: 4 } },
}

describe('overview KPIs', () => {
  it('lists the ten figures with ids, raw values and units; 在线率 counts alarming cameras as online', () => {
    const kpis = buildKpis(overview)
    expect(kpis.map(k => k.metric)).toEqual([METRIC.todayNew, METRIC.open, METRIC.overdue, METRIC.closedWithinSla, METRIC.settledAtVillage, METRIC.satisfaction, METRIC.camerasOnline, METRIC.workersOnDuty, METRIC.households, METRIC.residents])
    expect(camerasOnlineRatio(overview.cameras)).toEqual({ numerator: 980, denominator: 1030, value: 980 / 1030 })
    const byKey = Object.fromEntries(kpis.map(k => [k.key, k]))
    expect(byKey.overdue!.tone).toBe('good')
    expect(buildKpis({ ...overview, overdue: 4 }).find(k => k.key === 'overdue')!.tone).toBe('alarm')
    expect(byKey.satisfaction!.value).toBeNull() // nothing rated: no figure, not 0 %
    expect(byKey.closedWithinSla!.kind).toBe('percent')
    // 小事不出村: the share of settled cases settled at grid or village level, with its parts.
    expect(byKey.settledAtVillage).toMatchObject({ kind: 'percent', value: overview.settledAtVillage.value, ratio: overview.settledAtVillage, window: 'window30' })
    expect(byKey.residents!.value).toBe(24678)
  })

  it('exposes raw values (and a ratio\'s parts) as attributes', () => {
    expect(metricAttrs('overview.open', 312)).toEqual({ 'data-metric': 'overview.open', 'data-value': 312 })
    expect(metricAttrs('overview.satisfaction', overview.satisfaction)).toEqual({ 'data-metric': 'overview.satisfaction', 'data-value': '', 'data-numerator': 0, 'data-denominator': 0 })
    expect(metricAttrs('x', null)['data-value']).toBe('')
  })
})

describe('panel data', () => {
  it('counts cameras online per village with the KPI\'s definition, villages without cameras included', () => {
    const camera = (id: number, villageId: number | null, status: string): CameraPoint => ({ id, code: String(id), name: '', kind: 'community', lon: 0, lat: 0, villageId, gridId: null, status, lastHeartbeatAt: null, hasStream: false })
    const result = camerasByVillage(
      [camera(1, 1, 'online'), camera(2, 1, 'alarm'), camera(3, 1, 'offline'), camera(4, 2, 'offline'), camera(5, null, 'online')],
      [{ id: 2, code: '430821103202', name: '乙村' }, { id: 1, code: '430821103201', name: '甲村' }, { id: 3, code: '430821103203', name: '丙村' }],
    )
    expect(result).toEqual([
      { id: 1, code: '430821103201', name: '甲村', online: 2, total: 3, rate: 2 / 3 },
      { id: 2, code: '430821103202', name: '乙村', online: 0, total: 1, rate: 0 },
      { id: 3, code: '430821103203', name: '丙村', online: 0, total: 0, rate: null },
    ])
  })

  it('shows the four alarm kinds always, and the latest alarms by grid or village, never an address', () => {
    expect(alarmKindCounts(overview.alarms.byKind)).toEqual([
      { kind: 'elderly_call', count: 1 },
      { kind: 'gas', count: 2 },
      { kind: 'smoke', count: 0 },
      { kind: 'water_level', count: 0 },
      { kind: 'flood_gate', count: 4 },
    ])
    const rankings = { asOf: '', villages: [{ id: 1, name: '甲村' }], grids: [{ id: 7, name: '甲村第1网格' }] } as unknown as Rankings
    const alarms = [
      { id: 1, kind: 'gas', status: 'active', raisedAt: '2026-03-14T01:00:00Z', lon: 1, lat: 2, villageId: 1, gridId: 7, caseId: null },
      { id: 2, kind: 'smoke', status: 'acknowledged', raisedAt: '2026-03-14T00:00:00Z', lon: null, lat: null, villageId: 1, gridId: null, caseId: null },
      { id: 3, kind: 'smoke', status: 'active', raisedAt: '2026-03-13T00:00:00Z', lon: null, lat: null, villageId: null, gridId: null, caseId: null },
    ]
    expect(latestAlarms(alarms, rankings, 2)).toEqual([
      { id: 1, kind: 'gas', status: 'active', raisedAt: '2026-03-14T01:00:00Z', place: '甲村第1网格' },
      { id: 2, kind: 'smoke', status: 'acknowledged', raisedAt: '2026-03-14T00:00:00Z', place: '甲村' },
    ])
  })

  it('lists branch stars 1–5 with zeros where none', () => {
    expect(starCounts(overview.party.branchStars)).toEqual([{ stars: 1, count: 0 }, { stars: 2, count: 0 }, { stars: 3, count: 9 }, { stars: 4, count: 0 }, { stars: 5, count: 1 }])
  })
})

describe('chart options', () => {
  const trends: Trends = {
    asOf: '',
    hourly: { today: [...Array.from({ length: 10 }, (_, h) => h), ...Array.from<null>({ length: 14 }).fill(null)], yesterday: Array.from({ length: 24 }, () => 3) },
    daily: Array.from({ length: 30 }, (_, i) => ({ date: `2026-03-${String(i + 1).padStart(2, '0')}`, count: i })),
    categories: [],
  }
  type Series = { data: unknown[], name: string }

  it('draws today against yesterday per hour, with gaps for hours not yet reached', () => {
    const option = hourlyOption(trends.hourly, { today: '今日', yesterday: '昨日', hour: h => `${h}时` }) as { series: Series[], xAxis: { data: string[] } }
    expect(option.xAxis.data).toHaveLength(24)
    expect(option.xAxis.data[8]).toBe('8时')
    const today = option.series.find(s => s.name === '今日')!
    expect(today.data).toHaveLength(24)
    expect(today.data[9]).toBe(9)
    expect(today.data[10]).toBeNull()
  })

  it('keeps every series a bounded window: 30 days, the categories given, five star ratings', () => {
    const daily = dailyOption(trends.daily, { cases: '事件' }) as { series: Series[], xAxis: { data: string[] } }
    expect(daily.series[0]!.data).toHaveLength(30)
    expect(daily.xAxis.data[0]).toBe('3/1')
    expect((daily.series[0]!.data[29] as { value: number }).value).toBe(29)
    const categories = categoriesOption(
      [{ id: 1, code: 'livelihood', name: '民生服务', nameEn: 'Livelihood', today: 3, last30Days: 716 }, { id: 2, code: 'dispute', name: '矛盾纠纷', nameEn: 'Disputes', today: 1, last30Days: 608 }],
      { label: c => c.name, series: '近30天' },
    ) as { series: Series[], yAxis: { data: string[] } }
    expect(categories.yAxis.data).toEqual(['民生服务', '矛盾纠纷'])
    expect(categories.series[0]!.data).toEqual([716, 608])
    const stars = starsOption(starCounts({}), { star: n => `${n}星`, series: '' }) as { series: Series[] }
    expect(stars.series[0]!.data).toEqual([0, 0, 0, 0, 0])
  })
})
