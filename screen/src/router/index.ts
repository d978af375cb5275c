import type { RouteLocationNormalized, Router, RouterHistory } from 'vue-router'
import { createRouter, createWebHistory } from 'vue-router'
import { allows, safeNext } from '@/auth/session.ts'
import { useAuthStore } from '@/auth/store.ts'
import WallPage from '@/views/WallPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** The permission a signed-in session needs for the page; without it, the sign-in page. */
    permission?: string
  }
}

/**
 * Where a navigation may go: a page asking for a permission needs a signed-in session holding it
 * (`GET /api/auth/me`), else the sign-in page with `next` set to come back.
 */
export async function guard(to: RouteLocationNormalized): Promise<true | { path: string, query: { next: string } }> {
  const permission = to.meta.permission
  if (!permission)
    return true
  const auth = useAuthStore()
  const me = await auth.refresh().catch(() => null)
  return allows(me, permission) ? true : { path: '/signin', query: { next: safeNext(to.fullPath) } }
}

/**
 * The screen's pages: `/` the wall (in the main bundle: what a wall loads), `/signin`, `/console` and
 * `/briefing` loaded when first visited, so the wall carries none of them.
 */
export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes: [
      { path: '/', name: 'wall', component: WallPage },
      { path: '/signin', name: 'signin', component: () => import('@/auth/SignInView.vue') },
      { path: '/console', name: 'console', component: () => import('@/console/ConsoleView.vue'), meta: { permission: 'console:view' } },
      { path: '/briefing', name: 'briefing', component: () => import('@/briefing/BriefingView.vue'), meta: { permission: 'briefing:read' } },
      { path: '/:unknown(.*)*', redirect: '/' },
    ],
  })
  router.beforeEach(guard)
  return router
}
