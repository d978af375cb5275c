import type { ScreenConfig } from '#wire'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { answer, api } from '@/api/rpc.ts'

/** The screen's configuration from the server (title, township); retried until the server answers. */
export const useAppStore = defineStore('app', () => {
  const config = ref<ScreenConfig | null>(null)
  let retry: ReturnType<typeof setTimeout> | undefined

  async function load(delayMs = 1000): Promise<void> {
    clearTimeout(retry)
    try {
      config.value = await answer(api.config.$get())
    }
    catch {
      // The wall starts before the server at times (power cuts): keep asking, never give up.
      retry = setTimeout(() => void load(Math.min(delayMs * 2, 15_000)), delayMs)
    }
  }

  function dispose(): void {
    clearTimeout(retry)
  }

  return { config, load, dispose }
})
