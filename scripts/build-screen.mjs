// Builds the screen when the build is missing or older than its sources (used by `npm start` and the
// browser tests), so a fresh clone and a changed source both get a current screen without a manual step.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isStale } from './stale.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = join(root, 'dist', 'screen')
const stamp = join(outDir, '.build-stamp')
const inputs = ['screen', 'vite.config.ts', 'package-lock.json', 'server/src/api', 'server/src/wire']

/** True when dist/screen is missing or older than any of its sources. */
export function screenBuildIsStale() {
  return isStale(root, stamp, inputs)
}

/** Runs `vite build` when the build is stale; returns whether it built. */
export async function ensureScreenBuilt({ log = console.error } = {}) {
  if (!screenBuildIsStale())
    return false
  await buildScreen({ log })
  return true
}

/** Runs `vite build` and stamps the build (so `npm start` takes it as current). */
export async function buildScreen({ log = console.error } = {}) {
  log('building the screen (vite build)…')
  const started = Date.now()
  const { build } = await import('vite')
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
  writeFileSync(stamp, new Date().toISOString())
  log(`screen built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await ensureScreenBuilt()
