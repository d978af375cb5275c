import type { Browser } from 'playwright-core'
import type { Database } from '../../server/src/db/types.ts'
import type { WatchedPage } from '../harness/browser.ts'
import type { TestDatabase } from '../harness/postgres.ts'
import type { RunningServer } from '../harness/server.ts'
import { afterAll, beforeAll } from 'vitest'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { launchBrowser, openPage } from '../harness/browser.ts'
import { createTestDatabase } from '../harness/postgres.ts'
import { freePort, startServer } from '../harness/server.ts'

export interface MapTownship {
  server: RunningServer
  browser: Browser
  /** The township's own PostgreSQL database, for tests that change it by plain SQL (postgres only). */
  db: Database | undefined
  /** That database's URL (postgres only), e.g. for a command line that writes into it. */
  dbUrl: string | undefined
  /** Opens the wall with the map's hooks at 1280×720 (closed after the file). */
  open: (viewport?: { width: number, height: number }, options?: { allowFailedResponses?: RegExp, timezoneId?: string }) => Promise<WatchedPage>
}

/**
 * The server and browser of a map test file (`env` gets the server's port, e.g. for URLs to itself): on PostgreSQL (when reachable) a fresh database with the
 * realistic mock township, so that tests can change it by plain SQL; otherwise the embedded one.
 * Registers its own beforeAll/afterAll; read the fields inside tests.
 */
export function useMapTownship(kind: 'postgres' | 'pglite', name: string, env: (port: number) => Record<string, string>): MapTownship {
  let testDb: TestDatabase | undefined
  const pages: WatchedPage[] = []
  const fixture = { db: undefined } as MapTownship

  beforeAll(async () => {
    const port = await freePort()
    const serverEnv = env(port)
    if (kind === 'postgres') {
      testDb = await createTestDatabase(name)
      fixture.db = await openDatabase({ url: testDb.url })
      fixture.dbUrl = testDb.url
      const geo = generateGeography({ seed: 7, township: '430821103' })
      await seedDatabase(fixture.db, generateTownshipData(geo, { seed: 7, now: new Date(), scale: 0.3 }))
      serverEnv.DATABASE_URL = testDb.url
    }
    fixture.server = await startServer({ env: serverEnv, port })
    fixture.browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const watched of pages)
      await watched.page.context().close().catch(() => {})
    await fixture.browser?.close()
    await fixture.server?.stop()
    await fixture.db?.close()
    await testDb?.drop()
  })

  fixture.open = async (viewport = { width: 1280, height: 720 }, options = {}) => {
    const watched = await openPage(fixture.browser, `${fixture.server.url}/?bench=1`, viewport, options)
    pages.push(watched)
    return watched
  }
  return fixture
}
