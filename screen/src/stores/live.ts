import type { Topic } from '#wire'
import type { LiveData, LiveSource, LiveState } from '@/live/client.ts'
import { WALL_TOPICS } from '#wire'
import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, toRefs } from 'vue'
import { initialLiveState, LiveClient } from '@/live/client.ts'
import { ageSeconds, applyUpdate, emptyLiveViews, isStale } from '@/live/views.ts'

/**
 * The screen's live data, fed by one LiveClient (one socket for the whole screen); how each
 * topic's update changes the views is `applyUpdate` (live/views.ts), this store only makes them
 * reactive. Views are shallow: replaced, never deeply reactive. Consumers:
 * - panels read `overview`, `trends`, `rankings`, `sla`, `alarms`, `feed`;
 * - the map reads `cameras` (Map by id, changed in place: `camerasVersion` bumps on change,
 *   `changedCameras` holds the last frame's changes), `heat` (Map by cell key, `heatVersion`) and
 *   `urgent` (new urgent cases, which the alert consumes with `takeUrgent`).
 */
export const useLiveStore = defineStore('live', () => {
  const views = shallowReactive(emptyLiveViews())
  const camerasVersion = ref(0)
  const heatVersion = ref(0)
  const state = ref<LiveState>(initialLiveState())
  /** Ticks every second so that `stale` and `ageSeconds` move on their own. */
  const now = ref(Date.now())

  let client: LiveClient | undefined
  let clock: ReturnType<typeof setInterval> | undefined

  function onData<K extends Topic>(topic: K, data: LiveData<K>, from: LiveSource): void {
    const patch = applyUpdate(views, topic, data, from)
    Object.assign(views, patch)
    if (patch.cameras)
      camerasVersion.value++
    if (patch.heat)
      heatVersion.value++
  }

  /** Connects (once); `url` is the server origin, '' for the page's own. */
  function connect(url = '', topics: readonly Topic[] = WALL_TOPICS): void {
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
    views.urgent = views.urgent.filter(c => !ids.includes(c.id))
  }

  const stale = computed(() => isStale(state.value, now.value))
  /** Seconds since the figures were last known current (null before the first snapshot). */
  const age = computed(() => ageSeconds(state.value, now.value))

  return { ...toRefs(views), camerasVersion, heatVersion, state, stale, ageSeconds: age, connect, disconnect, takeUrgent }
})
