import type { HeatWindow } from '#wire'
import type { GridLegend, GridMetric } from '@/map/layers/grids.ts'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'

/** The map's toggleable layers (the township and village boundaries are always drawn). */
export type MapLayer = 'grids' | 'cameras' | 'heat' | 'incidents'

/** What the map's card shows. */
export type MapSelection
  = | { kind: 'grid', id: number }
    | { kind: 'camera', id: number }
    | { kind: 'incident', id: number }
    | { kind: 'alarm', id: number }

/** A request to look at a place (consumed by the map; `seq` makes a repeated request count). */
export interface MapFocus {
  lon: number
  lat: number
  /** Metres from the point (default ≈ 2 km). */
  range?: number
  seq: number
}

/**
 * The map's state, shared with the rest of the screen: which layers show and how, what is
 * selected, and where to look. Panels may call `focusCase` (e.g. an urgent-case alert) or
 * `focusPoint`; the map flies there, shows the card and returns home after the configured time.
 */
export const useMapStore = defineStore('map', () => {
  const layers = ref<Record<MapLayer, boolean>>({ grids: true, cameras: true, heat: true, incidents: true })
  const gridMetric = ref<GridMetric>('open')
  const gridExtruded = ref(false)
  const heatWindow = ref<HeatWindow>('7d')
  /** A case category (any level of the tree), or null for all. */
  const heatCategory = ref<number | null>(null)
  const selection = ref<MapSelection | null>(null)
  const focus = shallowRef<MapFocus | null>(null)
  const homeRequests = ref(0)
  const state = ref<'loading' | 'ready' | 'unsupported'>('loading')
  /** Legends, as the layers last drew them. */
  const gridLegend = shallowRef<GridLegend | null>(null)
  const heatLegend = shallowRef<{ topCount: number, total: number } | null>(null)

  function toggle(layer: MapLayer, on = !layers.value[layer]): void {
    layers.value = { ...layers.value, [layer]: on }
  }

  function select(value: MapSelection | null): void {
    selection.value = value
  }

  function focusPoint(lon: number, lat: number, range?: number): void {
    focus.value = { lon, lat, range, seq: (focus.value?.seq ?? 0) + 1 }
  }

  /** Flies to a case and opens its card (its nearest cameras, SLA clock). */
  function focusCase(incident: { id: number, lon: number, lat: number }): void {
    selection.value = { kind: 'incident', id: incident.id }
    focusPoint(incident.lon, incident.lat, 1800)
  }

  function goHome(): void {
    selection.value = null
    homeRequests.value++
  }

  return { layers, gridMetric, gridExtruded, heatWindow, heatCategory, selection, focus, homeRequests, state, gridLegend, heatLegend, toggle, select, focusPoint, focusCase, goHome }
})
