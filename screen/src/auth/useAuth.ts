import { storeToRefs } from 'pinia'
import { useRouter } from 'vue-router'
import { useAuthStore } from './store.ts'

/**
 * The signed-in person for a page (the console's header): `me` (username, role, permissions,
 * expiresAt), and sign-out here or everywhere, each ending on the sign-in page. Example:
 * `const { me, signOut } = useAuth()` then `<button @click="signOut">`.
 */
export function useAuth() {
  const store = useAuthStore()
  const router = useRouter()
  const { me } = storeToRefs(store)
  const toSignIn = (): Promise<unknown> => router.replace({ path: '/signin', query: { next: router.currentRoute.value.fullPath } })
  return {
    me,
    refresh: store.refresh,
    async signOut(): Promise<void> {
      await store.signOut()
      await toSignIn()
    },
    async signOutEverywhere(): Promise<void> {
      await store.signOutEverywhere()
      await toSignIn()
    },
  }
}
