import type { WatchdogAction } from './memory.ts'
import { onScopeDispose } from 'vue'
import { useI18n } from 'vue-i18n'
import { useAppStore } from '@/stores/app.ts'
import { useScreenStore } from '@/stores/screen.ts'
import { DEFAULT_TIME_ZONE } from '@/time/format.ts'
import { saveHandoff } from './handoff.ts'
import { watchdogAction } from './memory.ts'

/** How often the heap is sampled. */
export const SAMPLE_MS = 60_000

/** Chromium's heap figures (`performance.memory`); other browsers have none and the watchdog stays idle. */
function usedHeap(): number | undefined {
  return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize
}

/**
 * The wall's memory watchdog: samples the JS heap every minute and, above `WALL_MEMORY_LIMIT_MB`,
 * reloads the page at the quiet hours (`WALL_RELOAD_HOURS`, the configured time zone) — at once when
 * far above — keeping the language and profile (in the URL) and the map's view (handed over).
 * `active()`: whether this page may reload now (the wall, not a console mid-task).
 */
export function useMemoryWatchdog(active: () => boolean): void {
  const app = useAppStore()
  const screen = useScreenStore()
  const { locale } = useI18n()

  function sample(): WatchdogAction {
    const action = active() ? watchdogAction(usedHeap(), Date.now(), app.config?.timeZone ?? DEFAULT_TIME_ZONE, app.config?.watchdog) : 'none'
    if (action === 'reload') {
      console.warn(`memory watchdog: ${Math.round(usedHeap()! / 1024 / 1024)} MB of JS heap, over the ${app.config!.watchdog.memoryLimitMb} MB limit: reloading`)
      const url = new URL(location.href)
      url.searchParams.set('lang', String(locale.value))
      url.searchParams.set('profile', screen.profile.id)
      saveHandoff()
      history.replaceState(history.state, '', url)
      location.reload()
    }
    return action
  }
  const timer = setInterval(sample, SAMPLE_MS)
  onScopeDispose(() => clearInterval(timer))
}
