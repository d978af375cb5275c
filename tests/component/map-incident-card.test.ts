import type { CasePoint } from '#wire'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import IncidentCard from '../../screen/src/map/cards/IncidentCard.vue'
import { freshPinia, wallI18n } from './wall-setup.ts'

const reported: CasePoint = {
  id: 42, code: 'SJ-42', categoryId: 3, category: '道路积水', categoryEn: 'Flooded road', level: 'urgent', status: 'reported', source: 'hotline',
  lon: 111.1, lat: 29.4, villageId: 1, village: '新花村', gridId: 7, grid: '新花村第7网格', reportedAt: new Date(Date.now() - 60_000).toISOString(), slaDeadline: null, closedAt: null,
}

describe('incident card', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('follows the case as the live feed moves it on, whatever the detail fetched when it opened said', async () => {
    // The detail, fetched once, says what the case was when the card opened.
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ ...reported, nearestCameras: [] }), { status: 200, headers: { 'content-type': 'application/json' } })))
    const wrapper = mount(IncidentCard, { props: { id: 42, live: reported, known: reported }, global: { plugins: [freshPinia(), wallI18n('zh-CN')] } })
    await flushPromises()
    const status = (): string => wrapper.get('[data-testid="incident-status"]').text()
    const sla = (): string => wrapper.get('[data-testid="incident-sla"]').text()
    expect([status(), sla()]).toEqual(['已上报', '未派遣'])

    const dispatched = { ...reported, status: 'dispatched', slaDeadline: new Date(Date.now() + 2 * 3600_000).toISOString() }
    await wrapper.setProps({ live: dispatched })
    expect(status()).toBe('已派遣')
    expect(sla()).toContain('剩余')

    await wrapper.setProps({ live: { ...dispatched, slaDeadline: new Date(Date.now() - 5 * 60_000).toISOString() } })
    expect(sla()).toContain('已超期')
    expect(wrapper.get('[data-testid="incident-sla"]').classes()).toContain('warn')

    await wrapper.setProps({ live: { ...dispatched, status: 'closed', slaDeadline: new Date(Date.now() - 5 * 60_000).toISOString(), closedAt: new Date().toISOString() } })
    expect([status(), sla()]).toEqual(['已结案', '超期办结'])
    wrapper.unmount()
  })

  it('asks for the case again while the feed no longer holds it', async () => {
    vi.useFakeTimers()
    let answer: CasePoint = reported
    const fetch = vi.fn(async () => new Response(JSON.stringify({ ...answer, nearestCameras: [] }), { status: 200, headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', fetch)
    const wrapper = mount(IncidentCard, { props: { id: 42, live: undefined, known: reported }, global: { plugins: [freshPinia(), wallI18n('en')] } })
    await flushPromises()
    expect(wrapper.get('[data-testid="incident-status"]').text()).toBe('Reported')
    answer = { ...reported, status: 'closed', closedAt: new Date().toISOString() }
    await vi.advanceTimersByTimeAsync(16_000)
    await flushPromises()
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(2)
    expect(wrapper.get('[data-testid="incident-status"]').text()).toBe('Closed')
    expect(wrapper.get('[data-testid="incident-sla"]').text()).toBe('Closed')
    wrapper.unmount()
    vi.useRealTimers()
  })
})
