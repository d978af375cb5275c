import type { ConsoleCaseDetail } from '#wire'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { answer, api, ApiError } from '@/api/rpc.ts'

/** Who is signed in (`GET /api/auth/me`). */
export interface ConsoleUser {
  username: string
  role: string
  permissions: string[]
}

/** The server's message of a failed request, without the request's path. */
const message = (error: unknown): string => (error instanceof Error ? error.message.replace(/^\/api\/\S*: /, '') : String(error))

/** Who is signed in, or 'signin' when nobody is. */
async function fetchUser(): Promise<ConsoleUser | 'signin'> {
  try {
    const me = await answer(api.auth.me.$get())
    return { username: me.username, role: me.role, permissions: me.permissions }
  }
  catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403))
      return 'signin'
    throw error
  }
}

/** Runs a request: null when it succeeded, else the server's message. */
async function failure(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run()
    return null
  }
  catch (error) {
    return message(error)
  }
}

/** Sends one lifecycle move: done, refused because the case changed meanwhile (409), or another failure's message. */
async function sendMove(id: number, to: string, workerId?: number): Promise<'done' | 'conflict' | { error: string }> {
  try {
    await answer(api.console.cases[':id'].actions.$post({ param: { id: String(id) }, json: { to: to as never, workerId } }))
    return 'done'
  }
  catch (error) {
    return error instanceof ApiError && error.status === 409 ? 'conflict' : { error: message(error) }
  }
}

/**
 * The console's user and the case in hand: its detail, reveals (per record and field, dropped when
 * the selection changes), lifecycle moves and the wall push.
 */
export const useConsoleStore = defineStore('console', () => {
  const user = ref<ConsoleUser | null>(null)
  const selectedId = ref<number | null>(null)
  const detail = shallowRef<ConsoleCaseDetail | null>(null)
  const detailError = ref<string | null>(null)
  const revealed = ref<Record<string, string | null>>({})
  const actionError = ref<string | null>(null)
  /** A move refused because the case changed meanwhile (HTTP 409): the move tried; the detail is reloaded. */
  const conflict = ref<{ to: string } | null>(null)
  const acting = ref(false)
  const pushedId = ref<number | null>(null)
  const can = (permission: string) => computed(() => user.value?.permissions.includes(permission) ?? false)
  const mayReveal = can('personal:reveal')
  const mayPush = can('wall:push')
  const mayAct = can('case:act')

  /** 'signin' when nobody is signed in. */
  async function loadUser(): Promise<'ok' | 'signin'> {
    const me = await fetchUser()
    user.value = me === 'signin' ? null : me
    return me === 'signin' ? me : 'ok'
  }

  async function signOut(): Promise<void> {
    await api.auth['sign-out'].$post().catch(() => undefined)
    user.value = null
  }

  async function loadDetail(id: number): Promise<void> {
    try {
      const result = await answer(api.console.cases[':id'].$get({ param: { id: String(id) } }))
      if (selectedId.value === id)
        [detail.value, detailError.value] = [result, null]
    }
    catch (error) {
      if (selectedId.value === id)
        detailError.value = message(error)
    }
  }

  function select(id: number | null): void {
    if (id === selectedId.value)
      return
    selectedId.value = id
    detail.value = null
    detailError.value = actionError.value = conflict.value = null
    revealed.value = {}
    if (id !== null)
      void loadDetail(id)
  }

  /** Runs a request of the case in hand, showing its error (a 409's message) in the panel. */
  const attempt = (run: () => Promise<unknown>) => failure(run).then(error => void (actionError.value = error))

  /** One personal field in clear (audited by the server), shown for that record only. */
  const reveal = (kind: 'case' | 'grid_worker', id: number, field: string) => attempt(async () => {
    const result = await answer(api.reveal.$post({ json: { kind, id, field } }))
    revealed.value = { ...revealed.value, [`${kind}:${id}:${field}`]: result.value === null ? null : String(result.value) }
  })
  /** One lifecycle move of the case in hand (派遣: to `workerId`); the case is reloaded either way (a 409 is kept to be said beside the moves legal now). */
  async function act(to: string, workerId?: number): Promise<void> {
    const id = selectedId.value
    if (id === null || acting.value)
      return
    actionError.value = conflict.value = null
    acting.value = true
    const outcome = await sendMove(id, to, workerId)
    await loadDetail(id)
    acting.value = false
    if (selectedId.value === id && outcome !== 'done')
      [conflict.value, actionError.value] = outcome === 'conflict' ? [{ to }, null] : [null, outcome.error]
  }
  const push = () => attempt(async () => {
    if (selectedId.value === null || !mayPush.value)
      return
    await answer(api.wall.push.$post({ json: { caseId: selectedId.value } }))
    pushedId.value = selectedId.value
  })
  const release = () => attempt(async () => {
    await answer(api.wall.push.$delete())
    pushedId.value = null
  })

  return { user, selectedId, detail, detailError, revealed, actionError, conflict, acting, pushedId, mayReveal, mayPush, mayAct, loadUser, signOut, select, reveal, act, push, release }
})
