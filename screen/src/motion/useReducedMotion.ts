import type { Ref } from 'vue'
import { onBeforeUnmount, ref } from 'vue'

/** Whether the screen asks for reduced motion (`prefers-reduced-motion: reduce`), kept current. */
export function useReducedMotion(): Readonly<Ref<boolean>> {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null
  const reduced = ref(query?.matches ?? false)
  const onChange = (event: MediaQueryListEvent): void => {
    reduced.value = event.matches
  }
  query?.addEventListener('change', onChange)
  onBeforeUnmount(() => query?.removeEventListener('change', onChange))
  return reduced
}
