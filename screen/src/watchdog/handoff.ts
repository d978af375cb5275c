/**
 * What a soft reload hands over to the page after it: each part of the screen that has state worth
 * keeping (the map's camera) registers a saver; after the reload it takes its value back, once.
 * Kept in sessionStorage (this tab only, gone with it).
 */
const KEY = 'command-centre.handoff'
const savers = new Map<string, () => unknown>()

/** The part of the Web Storage API used here (also typechecked outside a browser). */
interface KeyValueStore {
  getItem: (key: string) => string | null
  setItem: (key: string, value: string) => void
  removeItem: (key: string) => void
}

/** The page's sessionStorage (a reload keeps it; another tab does not see it). */
function pageStorage(): KeyValueStore {
  return Reflect.get(globalThis, 'sessionStorage') as KeyValueStore
}

/** Registers what `key` hands over at a soft reload; returns the unregistering function. */
export function onHandoff(key: string, save: () => unknown): () => void {
  savers.set(key, save)
  return () => {
    if (savers.get(key) === save)
      savers.delete(key)
  }
}

/** Saves every registered part's state for the next page. */
export function saveHandoff(storage: Pick<KeyValueStore, 'setItem'> = pageStorage()): void {
  const state: Record<string, unknown> = {}
  for (const [key, save] of savers) {
    try {
      state[key] = save()
    }
    catch (error) {
      console.warn(`not handed over: ${key}`, error)
    }
  }
  try {
    storage.setItem(KEY, JSON.stringify(state))
  }
  catch {}
}

/** Takes (and forgets) what the page before a soft reload handed over under `key`. */
export function takeHandoff<T>(key: string, storage: KeyValueStore = pageStorage()): T | undefined {
  try {
    const raw = storage.getItem(KEY)
    if (!raw)
      return undefined
    const state = JSON.parse(raw) as Record<string, unknown>
    const value = state[key] as T | undefined
    delete state[key]
    if (Object.keys(state).length === 0)
      storage.removeItem(KEY)
    else
      storage.setItem(KEY, JSON.stringify(state))
    return value
  }
  catch {
    return undefined
  }
}
