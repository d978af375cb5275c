/** What a key does on the console. */
export type ConsoleCommand = 'search' | 'next' | 'previous' | 'open' | 'close' | 'push' | 'help'

/** The shortcut sheet: keys, and the command each gives. */
export const SHORTCUTS: readonly { keys: string[], command: ConsoleCommand }[] = [
  { keys: ['/'], command: 'search' },
  { keys: ['j', '↓'], command: 'next' },
  { keys: ['k', '↑'], command: 'previous' },
  { keys: ['Enter'], command: 'open' },
  { keys: ['Esc'], command: 'close' },
  { keys: ['w'], command: 'push' },
  { keys: ['?'], command: 'help' },
]

/**
 * The command of a key press, or null. While typing in a field only Esc (leave it) and the arrows
 * and Enter (move and open from the search box) count; letters are text.
 */
export function commandOf(event: { key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean }, typing: boolean): ConsoleCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey)
    return null
  switch (event.key) {
    case 'Escape': return 'close'
    case 'ArrowDown': return 'next'
    case 'ArrowUp': return 'previous'
    case 'Enter': return 'open'
  }
  if (typing)
    return null
  switch (event.key) {
    case '/': return 'search'
    case 'j': return 'next'
    case 'k': return 'previous'
    case 'w': return 'push'
    case '?': return 'help'
  }
  return null
}
