import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import SignInView from '../../screen/src/auth/SignInView.vue'
import { createAppRouter, guard } from '../../screen/src/router/index.ts'
import { freshPinia, wallI18n } from './wall-setup.ts'

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const config = { title: '东岳观镇基层治理指挥中心', timeZone: 'Asia/Shanghai', wallAccess: 'open' }

/** A fake server: `/api/config`, `/api/auth/me` and `/api/auth/sign-in` answering as told. */
function fakeServer(signIn: () => Response, me: () => Response = () => json(401, { error: { code: 'unauthorized', message: 'sign in first' } })) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url.endsWith('/api/config'))
      return json(200, config)
    if (url.endsWith('/api/auth/me'))
      return me()
    if (url.endsWith('/api/auth/sign-in'))
      return signIn()
    return json(404, { error: { code: 'not_found', message: 'no' } })
  })
}

async function mountSignIn(locale: 'zh-CN' | 'en', next = '/console') {
  const pinia = freshPinia()
  const router = createAppRouter(createMemoryHistory())
  await router.push(`/signin?next=${encodeURIComponent(next)}`)
  const wrapper = mount(SignInView, { global: { plugins: [wallI18n(locale), pinia, router] } })
  await wrapper.get('[data-testid="signin-username"]').setValue('wang')
  await wrapper.get('[data-testid="signin-password"]').setValue('Some-Passw0rd')
  return { wrapper, router }
}

describe('the sign-in page', () => {
  afterEach(() => vi.restoreAllMocks())

  it('says when the account or password is wrong, and empties the password', async () => {
    fakeServer(() => json(401, { error: { code: 'unauthorized', message: 'wrong account or password' } }))
    const { wrapper } = await mountSignIn('zh-CN')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="signin-error"]').text()).toBe('账号或密码不正确。')
    expect((wrapper.get('[data-testid="signin-password"]').element as HTMLInputElement).value).toBe('')
  })

  it('says until when a locked account is locked, in the configured zone', async () => {
    fakeServer(() => json(423, { error: { code: 'locked', message: 'account locked (until 2026-11-23T04:30:00.000Z)' } }))
    const { wrapper } = await mountSignIn('en')
    await flushPromises()
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="signin-error"]').text()).toBe('The account is locked after too many failed sign-ins; try again after 11/23/2026, 12:30.')
  })

  it('says when there were too many attempts', async () => {
    fakeServer(() => json(429, { error: { code: 'rate_limited', message: 'too many sign-in attempts from this address; wait a minute' } }))
    const { wrapper } = await mountSignIn('zh-CN')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="signin-error"]').text()).toBe('尝试次数过多，请一分钟后再试。')
  })

  it('goes on to `next` once signed in', async () => {
    const me = { username: 'wang', role: 'dispatcher', kind: 'user', permissions: ['wall:view', 'console:view'], expiresAt: null, idleMinutes: 30 }
    fakeServer(() => json(200, me), () => json(200, me))
    const { wrapper, router } = await mountSignIn('zh-CN', '/console?status=open')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/console?status=open'))
  })
})

describe('the console\'s guard', () => {
  afterEach(() => vi.restoreAllMocks())

  it('sends a visitor without console:view to the sign-in page, to come back', async () => {
    freshPinia()
    fakeServer(() => json(500, {}))
    const to = { meta: { permission: 'console:view' }, fullPath: '/console?case=7' } as unknown as Parameters<typeof guard>[0]
    expect(await guard(to)).toEqual({ path: '/signin', query: { next: '/console?case=7' } })
    vi.restoreAllMocks()
    fakeServer(() => json(500, {}), () => json(200, { username: 'zhao', role: 'inspector', kind: 'user', permissions: ['wall:view'], expiresAt: null, idleMinutes: 30 }))
    expect(await guard(to)).toEqual({ path: '/signin', query: { next: '/console?case=7' } })
    vi.restoreAllMocks()
    fakeServer(() => json(500, {}), () => json(200, { username: 'wang', role: 'dispatcher', kind: 'user', permissions: ['wall:view', 'console:view'], expiresAt: null, idleMinutes: 30 }))
    expect(await guard(to)).toBe(true)
    expect(await guard({ meta: {}, fullPath: '/' } as unknown as Parameters<typeof guard>[0])).toBe(true)
  })
})
