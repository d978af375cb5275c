import type { Ref } from 'vue'
import { onBeforeUnmount, ref, watch } from 'vue'

/**
 * How many rows of `rowHeight` (design pixels, or a function read at each measure) fit in an element (or columns, along its width), kept current by a ResizeObserver
 * (released on unmount). Lets a panel show more of a ranking where the layout gives it more room.
 * The element may appear later (a panel renders its body once it has data).
 */
export function useRowCount(target: Readonly<Ref<HTMLElement | null>>, rowHeight: number | (() => number), limits: { min: number, max: number }, axis: 'height' | 'width' = 'height'): Readonly<Ref<number>> {
  const rows = ref(limits.min)
  let observer: ResizeObserver | undefined
  const measure = (height: number): void => {
    const row = typeof rowHeight === 'function' ? rowHeight() : rowHeight
    rows.value = Math.min(limits.max, Math.max(limits.min, Math.floor(height / row)))
  }
  watch(target, (element) => {
    observer?.disconnect()
    observer = undefined
    if (!element)
      return
    measure(axis === 'height' ? element.clientHeight : element.clientWidth)
    observer = new ResizeObserver(entries => measure(entries[0]?.contentRect[axis] ?? 0))
    observer.observe(element)
  }, { immediate: true, flush: 'post' })
  onBeforeUnmount(() => observer?.disconnect())
  return rows
}
