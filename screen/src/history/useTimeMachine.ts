import { onBeforeUnmount, onMounted, ref } from 'vue'
import { useLiveStore } from '@/stores/live.ts'
import { nextSpeed, requestedAt, requestedSpeed } from './replay.ts'

const HOUR_MS = 3_600_000
/** The speed Space resumes at when the replay was opened still. */
const DEFAULT_PLAY_SPEED = 60

/** Keys typed into a field are the field's, not the wall's. */
function typing(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null
  return target !== null && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)
}

function setAddress(at: string | null, speed: number): void {
  const url = new URL(location.href)
  if (at === null) {
    url.searchParams.delete('at')
    url.searchParams.delete('speed')
  }
  else {
    url.searchParams.set('at', at)
    if (speed > 0)
      url.searchParams.set('speed', String(speed))
    else
      url.searchParams.delete('speed')
  }
  history.replaceState(history.state, '', url)
}

/**
 * The wall's time machine: `/?at=<ISO>[&speed=60]` opens on the past; the T key opens the picker,
 * L (or Esc) returns to live. In the past: Space plays or pauses, ← / → move an hour (with Shift a
 * day), [ and ] (or − and +) change the speed; the scrubber seeks and sets the speed the same way.
 * Call in the wall page's setup, before the wall connects, so that a page opened on the past never
 * shows the present first.
 */
export function useTimeMachine() {
  const live = useLiveStore()
  const picking = ref(false)
  const at = requestedAt(location.search)
  if (at !== null)
    live.showPast(at, requestedSpeed(location.search))

  function show(moment: string, speed: number): void {
    picking.value = false
    live.showPast(moment, speed)
    setAddress(moment, speed)
  }

  function toLive(): void {
    picking.value = false
    live.returnLive()
    setAddress(null, 0)
  }

  let lastSpeed: number = requestedSpeed(location.search) || DEFAULT_PLAY_SPEED

  /** Shows the moment `ms` (the scrubber, the arrows), replaying on at the current speed. */
  function seek(ms: number): void {
    if (!live.past)
      return
    const at = new Date(Math.min(Math.max(ms, live.past.earliest ? Date.parse(live.past.earliest) : ms), Date.now())).toISOString()
    show(at, live.past.speed)
  }

  /** Replays at `speed` from the moment shown (0 pauses). */
  function setSpeed(speed: number): void {
    if (!live.past)
      return
    if (speed > 0)
      lastSpeed = speed
    live.setPastSpeed(speed)
    setAddress(live.past.at ?? live.past.requested, speed)
  }

  /** Pauses a replay, or plays a still one (at the speed it had, else 60×). */
  function toggle(): void {
    if (live.past)
      setSpeed(live.past.speed > 0 ? 0 : lastSpeed)
  }

  function pastKey(event: KeyboardEvent): boolean {
    const past = live.past
    if (!past || picking.value)
      return false
    const shown = past.at ? Date.parse(past.at) : Number.NaN
    if (event.key === ' ')
      toggle()
    else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && Number.isFinite(shown))
      seek(shown + (event.key === 'ArrowLeft' ? -1 : 1) * (event.shiftKey ? 24 : 1) * HOUR_MS)
    else if (event.key === ']' || event.key === '+' || event.key === '=')
      setSpeed(nextSpeed(past.speed, 1))
    else if (event.key === '[' || event.key === '-')
      setSpeed(nextSpeed(past.speed, -1))
    else
      return false
    event.preventDefault()
    return true
  }

  function onKey(event: KeyboardEvent): void {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey)
      return
    if (pastKey(event))
      return
    if (event.key === 't' || event.key === 'T')
      picking.value = true
    else if ((event.key === 'l' || event.key === 'L') && live.past)
      toLive()
    else if (event.key === 'Escape' && picking.value)
      picking.value = false
    else if (event.key === 'Escape' && live.past)
      toLive()
  }

  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
  return { picking, show, toLive, seek, setSpeed, toggle }
}
