// `npm start`: production runs compiled JavaScript. Builds what is stale — the server (esbuild, < 1 s)
// and the screen (Vite) — each in its own process, so the server never carries a build's memory; checks
// the configuration before the screen's build (a bad value must not cost one); then runs the built
// launcher in this process (so SIGTERM/SIGINT reach it directly), which picks the demo or the product.
// In a production install (`npm prune --omit=dev`) the build tools are gone: the build made by
// `npm run build` is run as it is.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { screenBuildIsStale } from './build-screen.mjs'
import { serverBuildIsStale } from './build-server.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

function canBuild(tool) {
  try {
    require.resolve(tool)
    return true
  }
  catch {
    return false
  }
}

/** Runs a build script in a child process when its output is stale; exits when it fails or is impossible. */
function ensureBuilt(what, stale, script, tool, output, args = []) {
  if (!stale)
    return
  if (!canBuild(tool)) {
    if (existsSync(output)) {
      process.stderr.write(`warning: the ${what} build is older than its sources, and ${tool} is not installed (a production install): running the build as it is\n`)
      return
    }
    process.stderr.write(`error: the ${what} is not built and ${tool} is not installed: run \`npm install && npm run build\` first\n`)
    process.exit(1)
  }
  const result = spawnSync(process.execPath, [join(root, 'scripts', script), ...args], { stdio: 'inherit' })
  if (result.status !== 0)
    process.exit(result.status ?? 1)
}

// The server's build takes under a second: quietly, so that a bad setting is the only line a person sees.
ensureBuilt('server', serverBuildIsStale(), 'build-server.mjs', 'esbuild', join(root, 'dist/server/launch.mjs'), ['--quiet'])
const check = spawnSync(process.execPath, [join(root, 'dist/server/launch.mjs'), '--check'], { stdio: 'inherit' })
if (check.status !== 0)
  process.exit(check.status ?? 1)
ensureBuilt('screen', screenBuildIsStale(), 'build-screen.mjs', 'vite', join(root, 'dist/screen/index.html'))
await import('../dist/server/launch.mjs')
