import type { Locale } from './messages.ts'
import { createI18n } from 'vue-i18n'
import { LOCALES, messages } from './messages.ts'

const STORAGE_KEY = 'command-centre.lang'

/** `?lang=en` wins, then the saved choice, then zh-CN (the default for every screen). */
export function pickLocale(search: string, saved: string | null): Locale {
  const requested = new URLSearchParams(search).get('lang')
  const match = (value: string | null): Locale | undefined =>
    LOCALES.find(locale => value !== null && locale.toLowerCase() === value.toLowerCase())
    ?? LOCALES.find(locale => value !== null && locale.split('-')[0] === value.toLowerCase().split('-')[0])
  return match(requested) ?? match(saved) ?? 'zh-CN'
}

function savedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  }
  catch {
    return null
  }
}

/**
 * A language chosen on a page (its switch): the document's language, remembered for the next visit,
 * and the `?lang=` to put in the address so that a copied link opens in it.
 */
export function rememberLocale(locale: Locale): { lang: 'en' | 'zh-CN' } {
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  }
  catch {}
  return { lang: locale === 'en' ? 'en' : 'zh-CN' }
}

/** Creates the app's i18n instance (composition API), remembering an explicit `?lang=` choice. */
export function setupI18n() {
  const locale = pickLocale(location.search, savedLocale())
  if (new URLSearchParams(location.search).has('lang')) {
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    }
    catch {}
  }
  document.documentElement.lang = locale
  return createWallI18n(locale)
}

/** The wall's i18n for a locale (messages, fallback, date and time formats), nothing read from the page. */
export function createWallI18n(locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages,
    datetimeFormats: {
      'zh-CN': {
        date: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
        time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
      },
      'en': {
        date: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
        time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
      },
    },
  })
}
