/** The wall's display token: `/?display=<token>` once, then the browser keeps its display session. */

/** The display token in a query string, or null. */
export function displayToken(search: string): string | null {
  const token = new URLSearchParams(search).get('display')?.trim()
  return token ? token : null
}

/** The address without its display token (other parameters kept), for `history.replaceState`. */
export function withoutDisplayToken(href: string): string {
  const url = new URL(href)
  url.searchParams.delete('display')
  return `${url.pathname}${url.search}${url.hash}`
}

/** Whether a live connection was refused for want of a session (Socket.IO `connect_error`). */
export function isSignInRefusal(error: { message?: string } | null | undefined): boolean {
  return error?.message === 'sign in first'
}

/** How often a wall without a display session asks again. */
export const DISPLAY_RETRY_MS = 30_000
