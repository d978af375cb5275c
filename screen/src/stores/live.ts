import type { HeatCellUpdate, Topic, TopicData } from '#wire'
import type { CameraPoint, CasePoint } from '#wire'
import type { LiveState } from '@/live/client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import { LiveClient } from '@/live/client.ts'

/** After this long without a word from the server, the data counts as stale even if the socket looks open. */
export const SILENCE_STALE_MS = 15_000

const ALL_TOPICS: Topic[] = ['overview', 'trends', 'rankings', 'sla', 'cases', 'cameras', 'heat', 'alarms']

/**
 * The screen's live data, fed by one LiveClient (one socket for the whole screen). Large collections
 * live in shallow refs and are replaced or triggered, never deeply reactive. Consumers:
 * - panels read `overview`, `trends`, `rankings`, `sla`, `alarms`, `feed`;
 * - the map reads `cameras` (Map by id; `camerasVersion` bumps on change, `changedCameras` holds the
 *   last frame's changes for in-place updates), `heat` (Map by cell key) and `urgent` (new urgent cases).
 */
export const useLiveStore = defineStore('live', () => {
  const overview = shallowRef<TopicData['overview'] | null>(null)
  const trends = shallowRef<TopicData['trends'] | null>(null)
  const rankings = shallowRef<TopicData['rankings'] | null>(null)
  const sla = shallowRef<TopicData['sla'] | null>(null)
  const alarms = shallowRef<TopicData['alarms'] | null>(null)
  const feed = shallowRef<CasePoint[]>([])
  /** Urgent (紧急/重大) cases as they arrive; the alert consumes and clears them. */
  const urgent = shallowRef<CasePoint[]>([])
  const cameras = shallowRef(new Map<number, CameraPoint>())
  /** Cameras changed by the last frame (all of them after a snapshot: `null`). */
  const changedCameras = shallowRef<CameraPoint[] | null>(null)
  const camerasVersion = ref(0)
  /** Heat cells by "lon,lat" of their south-west corner: [lon, lat, today, 7 days, 30 days]. */
  const heat = shallowRef(new Map<string, HeatCellUpdate>())
  const heatCellDeg = ref(0.001)
  const heatVersion = ref(0)
  const state = ref<LiveState>({ connected: false, database: 'up', version: null, asOf: null, heardAt: 0, snapshots: 0 })
  /** Ticks every second so that `stale` and `ageSeconds` move on their own. */
  const now = ref(Date.now())

  let client: LiveClient | undefined
  let clock: ReturnType<typeof setInterval> | undefined

  function onData(topic: Topic, data: unknown, from: 'snapshot' | 'frame'): void {
    switch (topic) {
      case 'overview': overview.value = data as TopicData['overview']
        break
      case 'trends': trends.value = data as TopicData['trends']
        break
      case 'rankings': rankings.value = data as TopicData['rankings']
        break
      case 'sla': sla.value = data as TopicData['sla']
        break
      case 'alarms': alarms.value = data as TopicData['alarms']
        break
      case 'cases': {
        const cases = data as TopicData['cases']
        feed.value = cases.cases
        if (from === 'frame' && cases.urgent.length > 0)
          urgent.value = [...urgent.value, ...cases.urgent].slice(-20)
        break
      }
      case 'cameras': {
        if (from === 'snapshot') {
          cameras.value = new Map((data as { cameras: CameraPoint[] }).cameras.map(c => [c.id, c]))
          changedCameras.value = null
        }
        else {
          const delta = data as TopicData['cameras']
          for (const camera of delta.changed)
            cameras.value.set(camera.id, camera)
          for (const id of delta.removed)
            cameras.value.delete(id)
          changedCameras.value = delta.changed
          triggerRef(cameras)
        }
        camerasVersion.value++
        break
      }
      case 'heat': {
        const update = data as TopicData['heat']
        heatCellDeg.value = update.cellDeg
        if (from === 'snapshot')
          heat.value = new Map()
        for (const cell of update.cells) {
          const key = `${cell[0]},${cell[1]}`
          if (cell[4] === 0)
            heat.value.delete(key)
          else
            heat.value.set(key, cell)
        }
        triggerRef(heat)
        heatVersion.value++
        break
      }
    }
  }

  /** Connects (once); `url` is the server origin, '' for the page's own. */
  function connect(url = '', topics: Topic[] = ALL_TOPICS): void {
    if (client)
      return
    client = new LiveClient({ url, topics, onData, onState: (s) => {
      state.value = { ...s }
    } })
    client.start()
    clock = setInterval(() => {
      now.value = Date.now()
    }, 1000)
  }

  function disconnect(): void {
    client?.stop()
    client = undefined
    clearInterval(clock)
  }

  /** Removes urgent cases the alert has shown. */
  function takeUrgent(ids: readonly number[]): void {
    urgent.value = urgent.value.filter(c => !ids.includes(c.id))
  }

  const stale = computed(() => !state.value.connected || state.value.database === 'down' || state.value.snapshots === 0 || now.value - state.value.heardAt > SILENCE_STALE_MS)
  /** Seconds since the figures were last known current (null before the first snapshot). */
  const ageSeconds = computed(() => (state.value.asOf ? Math.max(0, Math.round((now.value - Date.parse(state.value.asOf)) / 1000)) : null))

  return { overview, trends, rankings, sla, alarms, feed, urgent, cameras, changedCameras, camerasVersion, heat, heatCellDeg, heatVersion, state, stale, ageSeconds, connect, disconnect, takeUrgent }
})
