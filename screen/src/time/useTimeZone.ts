import type { ComputedRef } from 'vue'
import { computed } from 'vue'
import { useAppStore } from '@/stores/app.ts'
import { DEFAULT_TIME_ZONE } from './format.ts'

/** The configured time zone (`/api/config`), Asia/Shanghai until the configuration is known. */
export function useTimeZone(): ComputedRef<string> {
  const app = useAppStore()
  return computed(() => app.config?.timeZone || DEFAULT_TIME_ZONE)
}
