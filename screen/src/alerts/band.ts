import type { ComputedRef } from 'vue'
import { computed } from 'vue'
import { useAlertStore } from '@/stores/alerts.ts'
import { useLiveStore } from '@/stores/live.ts'

/** Where the banner sits over the map: its top offset and its height (CSS pixels of the wall's stage). */
export const ALERT_BANNER_BOX = { top: 14, height: 72 } as const

/** How much of the map's top the banner takes while it shows, with a gap below it. */
export const ALERT_BAND_PX = ALERT_BANNER_BOX.top + ALERT_BANNER_BOX.height + 8

/**
 * The band at the top of the map that the banner covers now (0 while none shows): the map moves its
 * controls and cards below it, so that nothing one needs (a card's title, 回到全镇) sits under it.
 */
export function useAlertBand(): ComputedRef<number> {
  const alerts = useAlertStore()
  const live = useLiveStore()
  return computed(() => (alerts.active.length > 0 || live.push?.case ? ALERT_BAND_PX : 0))
}
