import type { Pinia } from 'pinia'
import { createPinia, setActivePinia } from 'pinia'
import { createWallI18n } from '../../screen/src/i18n/index.ts'

/** The wall's own i18n (`createWallI18n`, what `setupI18n` makes without reading the page's URL). */
export function wallI18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return createWallI18n(locale)
}

/** A fresh Pinia, active for stores used outside components too. */
export function freshPinia(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}
