import type { QueueCase } from '#wire'
import type { QueueFilters } from './queue.ts'
import type { LiveData } from '@/live/client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { answer, api } from '@/api/rpc.ts'
import { LiveClient } from '@/live/client.ts'
import { beep } from './beep.ts'
import { byUrgency, emptyFilters, filtersToQuery, hasFilters, mergeQueue, pruneAnnounced, toAnnounce } from './queue.ts'

/** How long a newly announced case stays highlighted. */
const ANNOUNCE_MS = 15_000

/**
 * The live incident queue: snapshot + frames of the `queue` topic (a LiveClient of its own), and the
 * filters — applied by the server, whose answer selects rows of the live list, so every row stays
 * live. A new urgent or major case is announced: highlighted for a while, and a beep unless muted.
 */
export const useQueueStore = defineStore('console-queue', () => {
  const all = shallowRef<QueueCase[]>([])
  const loaded = ref(false)
  const filters = ref<QueueFilters>(emptyFilters())
  /** The ids the server answered for the filters, or null with no filter. */
  const matching = shallowRef<Set<number> | null>(null)
  const now = ref(Date.now())
  const announced = ref<Record<number, number>>({})
  const muted = ref(false)
  let client: LiveClient | undefined
  let clock: ReturnType<typeof setInterval> | undefined
  let refetch: ReturnType<typeof setTimeout> | undefined
  let fetchSeq = 0

  const cases = computed(() => (matching.value ? all.value.filter(c => matching.value!.has(c.id)) : all.value))

  function announce(fresh: QueueCase[], t: number): void {
    announced.value = { ...announced.value, ...Object.fromEntries(fresh.map(c => [c.id, t + ANNOUNCE_MS])) }
    if (fresh.length > 0 && !muted.value)
      beep()
  }

  function onQueue(data: LiveData<'queue'>, from: 'snapshot' | 'frame'): void {
    const t = Date.now()
    if (from === 'snapshot' && 'cases' in data) {
      all.value = [...data.cases].sort(byUrgency(t))
      loaded.value = true
    }
    else if ('changed' in data) {
      const merged = mergeQueue(all.value, data.changed, data.removed, t)
      all.value = merged.cases
      announce(toAnnounce(merged.added), t)
    }
    // New or changed cases may (no longer) match: ask the server again, soon.
    if (matching.value)
      scheduleFetch(400)
  }

  function tick(): void {
    now.value = Date.now()
    announced.value = pruneAnnounced(announced.value, now.value)
  }

  function connect(): void {
    if (client)
      return
    const onData = (topic: string, data: unknown, from: 'snapshot' | 'frame') => topic === 'queue' && onQueue(data as LiveData<'queue'>, from)
    client = new LiveClient({ url: '', topics: ['queue'], onData })
    client.start()
    clock = setInterval(tick, 1000)
  }

  function disconnect(): void {
    client?.stop()
    client = undefined
    clearInterval(clock)
    clearTimeout(refetch)
  }

  function scheduleFetch(delayMs: number): void {
    clearTimeout(refetch)
    refetch = setTimeout(() => void fetchMatching(), delayMs)
  }

  async function fetchMatching(): Promise<void> {
    const seq = ++fetchSeq
    try {
      const result = await answer(api.console.queue.$get({ query: filtersToQuery(filters.value) }))
      if (seq !== fetchSeq)
        return
      matching.value = new Set(result.cases.map(c => c.id))
      // Cases the live list has not heard of yet (a frame on its way) show at once.
      const extra = result.cases.filter(c => !all.value.some(held => held.id === c.id))
      all.value = extra.length > 0 ? mergeQueue(all.value, extra, [], Date.now()).cases : all.value
    }
    catch {
      if (seq === fetchSeq)
        scheduleFetch(3000)
    }
  }

  function setFilters(next: QueueFilters): void {
    const typing = next.q !== filters.value.q
    filters.value = next
    if (hasFilters(next))
      return scheduleFetch(typing ? 250 : 0)
    matching.value = null
    clearTimeout(refetch)
    fetchSeq++
  }

  return { all, cases, loaded, filters, now, announced, muted, connect, disconnect, setFilters }
})
