import type { FitMode, StageTransform, WallProfile } from '@/layout/profiles.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { canvasPixelRatio, clientToElement, pickFit, pickProfile, stageTransform } from '@/layout/profiles.ts'

const FIT_KEY = 'command-centre.fit'

function savedFit(): string | null {
  try {
    return localStorage.getItem(FIT_KEY)
  }
  catch {
    return null
  }
}

/**
 * The screen's adaptation: the layout profile, fit mode and the CSS scale of the design canvas.
 * The map reads `scaleX`/`scaleY` (or calls `toLocal`) so that clicks land where they look, and
 * `pixelRatio` to render at the screen's real resolution.
 */
export const useScreenStore = defineStore('screen', () => {
  const search = typeof location === 'undefined' ? '' : location.search
  const fit = ref<FitMode>(pickFit(search, savedFit()))
  if (new URLSearchParams(search).has('fit')) {
    try {
      localStorage.setItem(FIT_KEY, fit.value)
    }
    catch {}
  }
  const viewport = ref({ width: 1920, height: 1080 })
  const profile = shallowRef<WallProfile>(pickProfile(search, viewport.value))
  const transform = computed<StageTransform>(() => stageTransform(viewport.value, profile.value, fit.value))
  const scaleX = computed(() => transform.value.scaleX)
  const scaleY = computed(() => transform.value.scaleY)
  const pixelRatio = computed(() => canvasPixelRatio(typeof devicePixelRatio === 'number' ? devicePixelRatio : 1, transform.value))

  /** Called with the window's size (at start and on every resize). */
  function setViewport(width: number, height: number): void {
    if (width === viewport.value.width && height === viewport.value.height)
      return
    viewport.value = { width, height }
    const next = pickProfile(search, viewport.value)
    if (next.id !== profile.value.id)
      profile.value = next
  }

  /** A client (viewport) point to an element's own layout pixels, given its `getBoundingClientRect()`. */
  function toLocal(clientX: number, clientY: number, rect: { left: number, top: number }): { x: number, y: number } {
    return clientToElement(clientX, clientY, rect, transform.value)
  }

  return { fit, viewport, profile, transform, scaleX, scaleY, pixelRatio, setViewport, toLocal }
})
