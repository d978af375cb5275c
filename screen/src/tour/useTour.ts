import type { Tour, TourFlight, TourStep } from '#wire'
import type { TourTarget } from './targets.ts'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import { answer, api } from '@/api/rpc.ts'
import { useMapStore } from '@/stores/map.ts'
import { panelSelector, StepClock, stepAfter, stepBefore } from './player.ts'
import { createResolver } from './resolve.ts'
import { applyLayers, highlightPanel, keepLit, restoreLayers, snapshotLayers } from './stage.ts'
import { useTourInput } from './useTourInput.ts'

/** How often the step's clock and progress are looked at. */
const TICK_MS = 250

/**
 * The map's part of a step: a flight (home, or to the place the resolver finds) and the card it
 * opens. `isCurrent` tells whether the step is still the one showing when its place is found.
 */
function useFlights() {
  const map = useMapStore()
  const resolver = createResolver()
  /** Where the current step's flight went (null: it kept the view, or its place is still being found). */
  const target = ref<TourTarget | 'home' | null>(null)

  async function fly(flight: TourFlight | undefined, isCurrent: () => boolean): Promise<void> {
    target.value = null
    // A card stays open only for a step that flies to a case, a camera, or a grid with its card.
    if (!flight || flight.to === 'home' || flight.to === 'village' || (flight.to === 'grid' && !flight.card))
      map.select(null)
    if (!flight)
      return
    if (flight.to === 'home') {
      map.goHome()
      target.value = 'home'
      return
    }
    const found = await resolver.resolve(flight).catch((failure: unknown) => {
      console.warn('tour: a step\'s place was not found', failure)
      return null
    })
    if (!isCurrent() || !found)
      return
    map.select(found.selection)
    map.focusPoint(found.lon, found.lat, found.range)
    target.value = found
  }
  return { target, fly }
}

/**
 * Resolves once the map is drawn (or cannot be, or the wall has none: `?map=off`), so that the first
 * step's time is not spent while the map loads.
 */
function mapSettled(map: ReturnType<typeof useMapStore>): Promise<void> {
  return new Promise((resolve) => {
    const stop = watch(() => map.state, (state) => {
      if (state !== 'loading' || !document.querySelector('[data-testid="map"]')) {
        queueMicrotask(() => stop())
        resolve()
      }
    }, { immediate: true })
  })
}

/** What the overlay shows of a tour being played. */
function playerState() {
  return { tour: shallowRef<Tour | null>(null), error: ref<string | null>(null), index: ref(0), paused: ref(false), ended: ref(false), remainingMs: ref(0) }
}

/**
 * Plays a tour on the wall: loads it, applies each step to the map store (layers, flight, card)
 * and to the page (the highlighted panel, the rest dimmed), keeps the step's clock, and takes the
 * presenter's keys (next/previous, pause, exit) and any touch (pauses). The live data goes on as
 * usual: the tour only moves the map and dims panels. What it changed on the map is put back on exit.
 */
export function useTour(name: string, options: { kiosk: boolean, onExit: () => void }) {
  const map = useMapStore()
  const { target, fly } = useFlights()
  const { tour, error, index, paused, ended, remainingMs } = playerState()
  const step = computed<TourStep | null>(() => tour.value?.steps[index.value] ?? null)
  const clock = new StepClock()
  const before = snapshotLayers(map)
  let applied = 0
  let lit: string | null = null
  let timer: ReturnType<typeof setInterval> | undefined

  function apply(i: number): void {
    const s = tour.value?.steps[i]
    if (!s)
      return
    index.value = i
    ended.value = false
    const seq = ++applied
    if (s.layers)
      applyLayers(map, s.layers)
    lit = s.highlight ? panelSelector(s.highlight) : null
    highlightPanel(lit)
    void fly(s.fly, () => seq === applied)
    clock.start(s.seconds * 1000, Date.now())
    if (paused.value)
      clock.pause(Date.now())
    remainingMs.value = clock.remaining(Date.now())
  }

  function next(): void {
    const after = stepAfter(index.value, tour.value?.steps.length ?? 0, options.kiosk)
    if (after !== null)
      return apply(after)
    ended.value = true
    clock.pause(Date.now())
  }

  function setPaused(value: boolean): void {
    if (ended.value && !value)
      apply(index.value) // resuming at the end plays the last step again
    clock[value ? 'pause' : 'resume'](Date.now())
    remainingMs.value = clock.remaining(Date.now())
    paused.value = value
  }

  function tick(): void {
    if (clock.due(Date.now()))
      next()
    remainingMs.value = clock.remaining(Date.now())
    keepLit(lit)
  }

  const stopInput = useTourInput({
    handles: action => action === 'exit' || tour.value !== null,
    onKey: action => (action === 'next' ? next() : action === 'previous' ? apply(stepBefore(index.value, tour.value?.steps.length ?? 0, options.kiosk)) : action === 'pause' ? setPaused(!paused.value) : stop(true)),
    onTouch: () => tour.value && !paused.value && setPaused(true),
  })

  let stopped = false
  /** Ends the tour and puts the map back; `exit`: the presenter left it (Esc). */
  function stop(exit = false): void {
    if (!stopped) {
      stopped = true
      clearInterval(timer)
      stopInput()
      highlightPanel(null)
      restoreLayers(map, before)
      map.goHome()
    }
    if (exit)
      options.onExit()
  }
  onScopeDispose(() => stop())

  void answer(api.tours[':name'].$get({ param: { name } })).then(async (loaded) => {
    await mapSettled(map)
    if (stopped)
      return
    tour.value = loaded
    apply(0)
    timer = setInterval(tick, TICK_MS)
  }, (failure: unknown) => {
    error.value = failure instanceof Error ? failure.message : String(failure)
  })

  return { tour, error, index, step, paused, ended, remainingMs, target, setPaused, exit: () => stop(true) }
}
