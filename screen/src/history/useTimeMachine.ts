import { onBeforeUnmount, onMounted, ref } from 'vue'
import { useLiveStore } from '@/stores/live.ts'
import { requestedAt, requestedSpeed } from './replay.ts'

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
 * L (or Esc) returns to live. Call in the wall page's setup, before the wall connects, so that a
 * page opened on the past never shows the present first.
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

  function onKey(event: KeyboardEvent): void {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey)
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
  return { picking, show, toLive }
}
