import type { Ref } from 'vue'
import { nextTick, onBeforeUnmount, onMounted, ref, watch } from 'vue'

/**
 * The ticker runs one lane per physical screen (one on a single screen, three on a 3×1 video wall),
 * so that no case straddles a bezel. Each lane is a single wrapping row whose overflow is hidden:
 * a case that does not fit wholly wraps out of sight instead of being cut. The lanes continue one
 * another: the next lane starts with the first case the previous one had no room for.
 */

/** Where each lane starts in the feed, given how many cases each lane before it shows. */
export function laneStarts(shown: readonly number[], lanes: number): number[] {
  const starts: number[] = []
  let next = 0
  for (let i = 0; i < lanes; i++) {
    starts.push(next)
    next += shown[i] ?? 0
  }
  return starts
}

/** How many items sit on a wrapping row's first line, from their offsets from the row's top. */
export function firstLineCount(tops: readonly number[]): number {
  if (tops.length === 0)
    return 0
  const first = tops[0]!
  let n = 0
  while (n < tops.length && tops[n]! < first + 1)
    n++
  return n
}

/**
 * How many cases each lane shows, kept current: measured after every change of what the lanes
 * hold (`source`), when a lane is resized and once the fonts have loaded. Only the lanes' own
 * cases are measured (`[data-case-id]`, leaving ones excluded).
 */
export function useLaneFit(lanes: Readonly<Ref<readonly HTMLElement[] | null>>, source: () => unknown, guess = 3): Ref<number[]> {
  // Until measured, a guess (so that the lanes do not all start with the newest case).
  const shown = ref<number[]>(Array.from({ length: 8 }, () => guess))
  let measured = false
  let observer: ResizeObserver | undefined
  let disposed = false
  const observed = new Set<HTMLElement>()

  /** The lanes in order (a `v-for` ref array need not be), each observed for resizes. */
  function laneElements(): HTMLElement[] {
    for (const element of observed) {
      if (!element.isConnected) {
        observer?.unobserve(element)
        observed.delete(element)
      }
    }
    const elements = [...(lanes.value ?? [])].filter(el => el.isConnected).sort((a, b) => Number(a.dataset.lane) - Number(b.dataset.lane))
    for (const element of elements) {
      if (!observed.has(element)) {
        observed.add(element)
        observer?.observe(element)
      }
    }
    return elements
  }

  function measure(): void {
    if (disposed)
      return
    const counts = laneElements().map((lane) => {
      const items = [...lane.querySelectorAll<HTMLElement>(':scope > [data-case-id]:not(.case-ticker-leave-active)')]
      return firstLineCount(items.map(item => item.offsetTop))
    })
    // Each lane's start depends only on the lanes before it: settles in at most one pass per lane.
    if (!measured || counts.length !== shown.value.length || counts.some((n, i) => n !== shown.value[i]))
      shown.value = counts
    measured = counts.length > 0
  }
  watch(shown, () => void nextTick(measure))
  watch(source, () => void nextTick(measure), { flush: 'post' })
  onMounted(() => {
    observer = new ResizeObserver(() => measure())
    void nextTick(measure)
    void document.fonts?.ready.then(measure)
  })
  onBeforeUnmount(() => {
    disposed = true
    observer?.disconnect()
  })
  return shown
}
