import type { Pinia } from 'pinia'
import { createPinia, setActivePinia } from 'pinia'
import { createI18n } from 'vue-i18n'
import { messages } from '../../screen/src/i18n/messages.ts'

/** The wall's i18n (as `setupI18n` makes it, without reading the page's URL). */
export function wallI18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages,
    datetimeFormats: {
      'zh-CN': { date: { year: 'numeric', month: 'long', day: 'numeric' }, time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } },
      'en': { date: { year: 'numeric', month: 'short', day: 'numeric' }, time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } },
    },
  })
}

/** A fresh Pinia, active for stores used outside components too. */
export function freshPinia(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}
