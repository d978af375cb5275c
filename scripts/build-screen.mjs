// Builds the screen when the build is missing or older than its sources (used by `npm start` and the
// browser tests), so a fresh clone and a changed source both get a current screen without a manual step.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = join(root, 'dist', 'screen')
const stamp = join(outDir, '.build-stamp')
const inputs = ['screen', 'vite.config.ts', 'package-lock.json', 'server/src/api']

function newestMtime(path) {
  if (!existsSync(path))
    return 0
  const stats = statSync(path)
  if (!stats.isDirectory())
    return stats.mtimeMs
  let newest = stats.mtimeMs
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when dist/screen is missing or older than any of its sources. */
export function screenBuildIsStale() {
  if (!existsSync(stamp))
    return true
  const built = statSync(stamp).mtimeMs
  return inputs.some(input => newestMtime(join(root, input)) > built)
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
