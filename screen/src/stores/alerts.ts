import type { CasePoint } from '#wire'
import type { AlertQueue } from '@/alerts/queue.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import { admit, ALERT_DEFAULTS, dismiss as dismissOne, emptyQueue, expire, nextExpiry } from '@/alerts/queue.ts'
import { useLiveStore } from '@/stores/live.ts'

/**
 * The urgent-case alert (紧急/重大): fed by the live store's `urgent` list (which it consumes),
 * deduplicated by case id, each alert dismissed by itself after ~30 s.
 *
 * For the map: `alertCase` is the case to fly to and pulse — the newest alert, replaced by a new
 * object for every new alert, null when no alert is showing. `alertSeq` counts alerts raised.
 */
export const useAlertStore = defineStore('alerts', () => {
  const live = useLiveStore()
  const queue = shallowRef<AlertQueue>(emptyQueue())
  const alertCase = shallowRef<CasePoint | null>(null)
  const alertSeq = shallowRef(0)
  const active = computed(() => queue.value.active)
  let timer: ReturnType<typeof setTimeout> | undefined

  function schedule(): void {
    clearTimeout(timer)
    timer = undefined
    const next = nextExpiry(queue.value)
    if (next !== null)
      timer = setTimeout(tick, Math.max(0, next - Date.now()) + 20)
  }

  function sync(): void {
    const newest = queue.value.active[0]?.case ?? null
    if (newest?.id !== alertCase.value?.id)
      alertCase.value = newest
    schedule()
  }

  function tick(): void {
    queue.value = expire(queue.value, Date.now())
    sync()
  }

  /** Raises alerts for these cases (those of an alerting level not alerted before). */
  function raise(cases: readonly CasePoint[]): CasePoint[] {
    const result = admit(queue.value, cases, Date.now(), ALERT_DEFAULTS)
    if (result.added.length === 0)
      return []
    queue.value = result.queue
    alertSeq.value += result.added.length
    sync()
    return result.added
  }

  function dismiss(caseId: number): void {
    queue.value = dismissOne(queue.value, caseId)
    sync()
  }

  // After render ('post'): other readers of `live.urgent` (the map pulses them) see the list before it is consumed.
  watch(() => live.urgent, (urgent) => {
    if (urgent.length === 0)
      return
    raise(urgent)
    live.takeUrgent(urgent.map(c => c.id))
  }, { immediate: true, flush: 'post' })

  function stop(): void {
    clearTimeout(timer)
    timer = undefined
  }

  return { active, alertCase, alertSeq, raise, dismiss, stop }
})
