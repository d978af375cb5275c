import { afterEach, describe, expect, it, vi } from 'vitest'
import { answer, api, ApiError } from '../../screen/src/api/rpc.ts'

/** The server, as the screen's fetch sees it: one answer, and the URLs asked for. */
function serve(status: number, body: unknown): string[] {
  const asked: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    asked.push(url)
    const response = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
    Object.defineProperty(response, 'url', { value: `http://wall.local${url}` })
    return response
  }))
  return asked
}

describe('the screen\'s API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('asks the server\'s own routes, with their parameters, and returns the JSON answer', async () => {
    const asked = serve(200, { gridId: 7, workers: [] })
    expect(await answer(api.grids[':id'].workers.$get({ param: { id: '7' } }))).toEqual({ gridId: 7, workers: [] })
    expect(asked).toEqual(['/api/grids/7/workers'])
    const heatAsked = serve(200, { window: '7d', categoryId: 3, cellDeg: 0.001, cells: [], max: 0, total: 0 })
    expect((await answer(api.heat.$get({ query: { window: '7d', category: '3' } }))).categoryId).toBe(3)
    expect(heatAsked).toEqual(['/api/heat?window=7d&category=3'])
  })

  it('turns an error answer into an error with the server\'s message and code', async () => {
    serve(404, { error: { code: 'not_found', message: 'no case with id 7' } })
    const error = await answer(api.cases[':id'].$get({ param: { id: '7' } })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: '/api/cases/7: no case with id 7' })

    serve(502, 'Bad Gateway')
    await expect(answer(api.config.$get())).rejects.toThrow('/api/config: HTTP 502')
  })
})
