import type { Me } from './session.ts'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { answer, api, ApiError } from '@/api/rpc.ts'

/**
 * Who is signed in: loaded from `GET /api/auth/me` (null when nobody is), set by signing in, cleared
 * by signing out here or everywhere.
 */
export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  /** Whether `me` has been asked for at least once. */
  const known = ref(false)

  /** Asks the server who is signed in; null (not an error) when nobody is. */
  async function refresh(): Promise<Me | null> {
    try {
      me.value = await answer(api.auth.me.$get())
    }
    catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401)
        throw error
      me.value = null
    }
    known.value = true
    return me.value
  }

  /** Signs a person in; throws the server's `ApiError` (401 wrong, 423 locked, 429 too many). */
  async function signIn(username: string, password: string): Promise<Me> {
    const found = await answer(api.auth['sign-in'].$post({ json: { username, password } }))
    me.value = found
    known.value = true
    return found
  }

  /** Signs a wall display in with its token (the session never times out). */
  async function signInDisplay(token: string): Promise<Me> {
    const found = await answer(api.auth.display.$post({ json: { token } }))
    me.value = found
    known.value = true
    return found
  }

  async function signOut(): Promise<void> {
    await answer(api.auth['sign-out'].$post()).catch(() => undefined)
    me.value = null
  }

  async function signOutEverywhere(): Promise<void> {
    await answer(api.auth['sign-out-everywhere'].$post()).catch(() => undefined)
    me.value = null
  }

  return { me, known, refresh, signIn, signInDisplay, signOut, signOutEverywhere }
})
