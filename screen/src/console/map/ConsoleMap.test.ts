import type { ScreenConfig } from '#wire'
import type { ConsoleMapEngine, EngineOptions } from './engine.ts'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { shallowRef } from 'vue'
import { freshPinia, wallI18n } from '../../../../tests/component/wall-setup.ts'
import { useAppStore } from '@/stores/app.ts'
import { consoleMessages } from '../messages.ts'
import { consoleStyle } from './style.ts'

// Which renderer modules were evaluated (each factory runs when its module is first imported), and
// the engines made, with what.
const seen = vi.hoisted(() => ({ modules: [] as string[], made: [] as { renderer: string, options: EngineOptions, token?: string, elements: HTMLElement[] }[] }))

function fakeEngine(renderer: 'maplibre' | 'mapbox', options: EngineOptions, token?: string): ConsoleMapEngine {
  const record = { renderer, options, token, elements: [] as HTMLElement[] }
  seen.made.push(record)
  const nothing = () => undefined
  return {
    renderer,
    loaded: Promise.resolve(),
    setData: nothing,
    setFilter: nothing,
    fitBounds: nothing,
    flyTo: nothing,
    zoomInAt: nothing,
    onClick: nothing,
    pointerOver: nothing,
    addElement(_lon, _lat, element) {
      record.elements.push(element)
      return nothing
    },
    remove: nothing,
  }
}
vi.mock('./maplibre.ts', () => {
  seen.modules.push('maplibre')
  return { createMaplibreEngine: (options: EngineOptions) => fakeEngine('maplibre', options) }
})
vi.mock('./mapbox.ts', () => {
  seen.modules.push('mapbox')
  return { createMapboxEngine: (options: EngineOptions, token: string) => fakeEngine('mapbox', options, token) }
})

const villages = {
  type: 'FeatureCollection' as const,
  features: [
    { type: 'Feature' as const, id: 1, geometry: { type: 'Polygon' as const, coordinates: [[[111, 29], [111.1, 29], [111.1, 29.1], [111, 29]]] }, properties: { code: '1', name: '新花村', kind: 'village', center: [111.05, 29.04] as [number, number] } },
    { type: 'Feature' as const, id: 2, geometry: { type: 'Polygon' as const, coordinates: [[[111, 29], [111.1, 29], [111.1, 29.1], [111, 29]]] }, properties: { code: '2', name: '无点村', kind: 'village', center: null } },
  ],
}

async function mountWith(map2d: ScreenConfig['map2d']) {
  const pinia = freshPinia()
  useAppStore().config = { systemName: 's', townshipName: null, title: 't', timeZone: 'Asia/Shanghai', wallAccess: 'open', map: { basemap: { kind: 'none' } }, map2d } as unknown as ScreenConfig
  // Imported after the mocks are reset, as the console imports it: lazily.
  const { default: ConsoleMap } = await import('./ConsoleMap.vue')
  const geodata = { township: shallowRef(null), villages: shallowRef(villages), grids: shallowRef(null), cameras: shallowRef([]), heat: shallowRef(null) }
  const i18n = wallI18n('zh-CN')
  i18n.global.mergeLocaleMessage('zh-CN', { console: consoleMessages['zh-CN'] })
  const wrapper = mount(ConsoleMap, { props: { geodata: geodata as never, cases: [], selected: null }, global: { plugins: [pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('the console map\'s renderer', () => {
  beforeEach(() => {
    vi.resetModules()
    seen.modules.length = 0
    seen.made.length = 0
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('is maplibre-gl by default, never loading mapbox-gl, with an offline style', async () => {
    const wrapper = await mountWith({ renderer: 'maplibre', mapboxAccessToken: null })
    expect(seen.modules).toEqual(['maplibre'])
    expect(seen.made.map(m => m.renderer)).toEqual(['maplibre'])
    expect(wrapper.get('[data-testid="console-map"]').attributes()).toMatchObject({ 'data-renderer': 'maplibre', 'data-state': 'ready' })
    // Nothing in the style names another host: no style URL, no glyphs, no sprite, no remote source.
    const style = JSON.stringify(seen.made[0]!.options.style)
    expect(style).not.toMatch(/https?:|mapbox:\/\/|"glyphs"|"sprite"/)
    wrapper.unmount()
  })

  it('is mapbox-gl with the deployment\'s token when configured, never loading maplibre-gl', async () => {
    const wrapper = await mountWith({ renderer: 'mapbox', mapboxAccessToken: 'pk.test-token-0123456789abcdef' })
    expect(seen.modules).toEqual(['mapbox'])
    expect(seen.made).toHaveLength(1)
    expect(seen.made[0]).toMatchObject({ renderer: 'mapbox', token: 'pk.test-token-0123456789abcdef' })
    expect(wrapper.get('[data-testid="console-map"]').attributes('data-renderer')).toBe('mapbox')
    wrapper.unmount()
  })

  it('names the villages that have a label point, as text the renderer needs no glyphs for', async () => {
    const wrapper = await mountWith({ renderer: 'maplibre', mapboxAccessToken: null })
    expect(seen.made[0]!.elements.map(e => e.textContent)).toEqual(['新花村'])
    wrapper.unmount()
  })

  it('keeps the default style offline with an intranet basemap: only the configured tile host', () => {
    const style = consoleStyle({ basemap: { kind: 'xyz', url: 'http://10.1.2.3/tiles/{z}/{x}/{y}.png', subdomains: [], maximumLevel: 18, crs: 'webmercator' } } as never)
    expect(JSON.stringify(style).match(/https?:\/\/[^/"]+/g)).toEqual(['http://10.1.2.3'])
  })
})
