import type { CasePoint } from '#wire'
import type { MapEngine } from '../engine.ts'
import { watch } from 'vue'
import { useAlertStore } from '@/stores/alerts.ts'
import { useLiveStore } from '@/stores/live.ts'
import { useMapStore } from '@/stores/map.ts'
import { UrgentMemory } from '../urgent.ts'

/**
 * The incidents layer: the feed's open cases, urgent ones kept for a while after they arrive (a
 * new one pulses), and the open IoT alarms — in the past, the feed's and the alarms of then only. The urgent-case alert's case pulses too, and the map
 * flies to it (it returns home by itself later).
 */
export function useIncidents(engine: MapEngine): void {
  const live = useLiveStore()
  const map = useMapStore()
  const alerts = useAlertStore()
  let urgent = new UrgentMemory()

  const show = (feed: readonly CasePoint[], arrived: readonly CasePoint[]): void => {
    // The past (the time machine) shows its feed's open cases as they were, nothing of the present.
    if (live.past) {
      engine.incidents.setCases(feed)
      return
    }
    const pulse = urgent.add(arrived, Date.now())
    engine.incidents.setCases(urgent.withFeed(feed), pulse)
  }
  // Into the past or back: the urgent cases remembered from the present are forgotten.
  watch(() => live.past === null, () => {
    urgent = new UrgentMemory()
    show(live.feed, [])
  })
  watch([() => live.feed, () => live.urgent], ([feed, arrived]) => show(feed, arrived), { immediate: true })
  // The alert consumes live.urgent: the case it shows is pulsed here too.
  watch(() => alerts.alertCase, (incident) => {
    if (!incident)
      return
    show(live.feed, [incident])
    map.focusCase(incident)
  })
  watch(() => live.alarms, alarms => engine.incidents.setAlarms(alarms?.alarms ?? []), { immediate: true })
}
