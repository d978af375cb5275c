import type { TourKeyAction } from './player.ts'
import { onScopeDispose } from 'vue'
import { tourKeyAction } from './player.ts'

/**
 * The presenter's keys (a clicker's PageDown/PageUp and `.`, a remote's arrows, Space, Esc) and
 * any touch or click on the page (`onTouch`), listened to on the window for the scope's life.
 * `handles` says whether a key's action applies now; such a key does nothing else on the page.
 */
export function useTourInput(handlers: { onKey: (action: TourKeyAction) => void, handles: (action: TourKeyAction) => boolean, onTouch: () => void }): () => void {
  function onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey)
      return
    const action = tourKeyAction(event.key)
    if (!action || !handlers.handles(action))
      return
    event.preventDefault()
    handlers.onKey(action)
  }
  const onPointer = (): void => handlers.onTouch()
  window.addEventListener('keydown', onKey, true)
  window.addEventListener('pointerdown', onPointer, true)
  const stop = (): void => {
    window.removeEventListener('keydown', onKey, true)
    window.removeEventListener('pointerdown', onPointer, true)
  }
  onScopeDispose(stop)
  return stop
}
