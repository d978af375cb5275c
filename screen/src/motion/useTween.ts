import type { Ref } from 'vue'
import { onBeforeUnmount, ref, watch } from 'vue'
import { tweenAt, tweenDuration } from './tween.ts'
import { useReducedMotion } from './useReducedMotion.ts'

/**
 * A number that eases to its source's new value (one animation frame loop while moving, none at
 * rest), or jumps when the screen prefers reduced motion. Null while the source is null.
 */
export function useTween(source: () => number | null, duration = 900): Readonly<Ref<number | null>> {
  const reduced = useReducedMotion()
  const shown = ref<number | null>(source())
  let frame = 0
  let from = 0
  let to = 0
  let started = 0
  let length = 0

  const step = (now: number): void => {
    shown.value = tweenAt(from, to, now - started, length)
    frame = shown.value === to ? 0 : requestAnimationFrame(step)
  }

  watch(source, (next) => {
    cancelAnimationFrame(frame)
    frame = 0
    if (next === null) {
      shown.value = null
      return
    }
    length = tweenDuration(shown.value, next, reduced.value, duration)
    if (length === 0 || typeof requestAnimationFrame !== 'function') {
      shown.value = next
      return
    }
    from = shown.value!
    to = next
    started = performance.now()
    frame = requestAnimationFrame(step)
  })
  onBeforeUnmount(() => cancelAnimationFrame(frame))
  return shown
}
