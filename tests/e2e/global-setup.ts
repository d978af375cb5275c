import { ensureScreenBuilt } from '../../scripts/build-screen.mjs'

/** The browser tests run against the built screen, as users get it: build it once if stale. */
export default async function setup(): Promise<void> {
  await ensureScreenBuilt()
}
