import type { HeatBins, HistorySnapshot, SnapshotData, Topic } from '#wire'
import type { LiveData, LiveSource, LiveState } from '@/live/client.ts'
import { WALL_TOPICS } from '#wire'
import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, shallowRef, toRefs } from 'vue'
import { HistoryPlayer } from '@/history/replay.ts'
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
// eslint-disable-next-line max-lines-per-function -- one store of the views; the time machine's past is a mode of them, not a second store
export const useLiveStore = defineStore('live', () => {
  const views = shallowReactive(emptyLiveViews())
  const camerasVersion = ref(0)
  const heatVersion = ref(0)
  const state = ref<LiveState>(initialLiveState())
  /** Ticks every second so that `stale` and `ageSeconds` move on their own. */
  const now = ref(Date.now())

  let client: LiveClient | undefined
  let clock: ReturnType<typeof setInterval> | undefined
  /**
   * The time machine: when set, the views show the township as of a past moment (from
   * `/api/history/snapshot`) and the live connection is closed; `returnLive()` reopens it.
   */
  const past = ref<{ requested: string, speed: number, at: string | null, earliest: string | null, camerasAsOfNow: boolean, error: string | null } | null>(null)
  let player: HistoryPlayer | undefined
  /** The map's heat of one category as of the moment shown, when the map filters by one (`heatFilter`). */
  const pastCategoryHeat = shallowRef<HeatBins | null>(null)
  let heatFilter: () => { window: HeatBins['window'], category: number } | null = () => null
  let origin = ''
  let wanted: readonly Topic[] = WALL_TOPICS

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
    origin = url
    wanted = topics
    clock ??= setInterval(() => {
      now.value = Date.now()
    }, 1000)
    if (past.value) {
      startPlayer()
      return
    }
    if (client)
      return
    client = new LiveClient({ url, topics, onData, onState: (s) => {
      state.value = { ...s }
    } })
    client.start()
  }

  function disconnect(): void {
    client?.stop()
    client = undefined
    player?.stop()
    player = undefined
    clearInterval(clock)
    clock = undefined
  }

  function onPast(snapshot: HistorySnapshot): void {
    for (const topic of Object.keys(snapshot.data) as (keyof SnapshotData)[]) {
      if (wanted.includes(topic))
        onData(topic, snapshot.data[topic]!, 'snapshot')
    }
    past.value &&= { ...past.value, at: snapshot.at, earliest: snapshot.earliest, camerasAsOfNow: snapshot.camerasAsOfNow, error: null }
    pastCategoryHeat.value = snapshot.categoryHeat ?? null
    state.value = { ...state.value, asOf: snapshot.at, snapshots: state.value.snapshots + 1 }
  }

  function startPlayer(): void {
    client?.stop()
    client = undefined
    player ??= new HistoryPlayer({ url: origin, onSnapshot: onPast, onError: error => void (past.value &&= { ...past.value, error }), heatFilter: () => heatFilter() })
    player.start(past.value!.requested, past.value!.speed)
  }

  /** Shows the wall as of `at` (ISO; without an offset, the township's wall clock), replayed at `speed` (0: still). */
  function showPast(at: string, speed = 0): void {
    past.value = { requested: at, speed, at: null, earliest: past.value?.earliest ?? null, camerasAsOfNow: true, error: null }
    // Nothing of the present may linger on a past wall (an urgent alert, the pushed case).
    Object.assign(views, { urgent: [], push: null })
    if (clock)
      startPlayer()
  }

  /** Replays the past shown at `speed` from the moment it shows (0 pauses it there). */
  function setPastSpeed(speed: number): void {
    past.value &&= { ...past.value, speed }
    player?.setSpeed(speed)
  }

  /** What the map filters its heat by (one category), asked for with each past moment. */
  function setPastHeatFilter(filter: typeof heatFilter): void {
    heatFilter = filter
  }

  /** Leaves the past: the live connection again, its first snapshot replacing every view. */
  function returnLive(): void {
    player?.stop()
    player = undefined
    past.value = null
    if (clock)
      connect(origin, wanted)
  }

  /** Removes urgent cases the alert has shown. */
  function takeUrgent(ids: readonly number[]): void {
    views.urgent = views.urgent.filter(c => !ids.includes(c.id))
  }

  // A past moment is not stale: it is shown as the past, by its own frame.
  const stale = computed(() => past.value === null && isStale(state.value, now.value))
  /** Seconds since the figures were last known current (null before the first snapshot). */
  const age = computed(() => ageSeconds(state.value, now.value))

  return { ...toRefs(views), camerasVersion, heatVersion, state, stale, ageSeconds: age, connect, disconnect, takeUrgent, past, pastCategoryHeat, setPastHeatFilter, showPast, setPastSpeed, returnLive }
})
