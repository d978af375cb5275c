// `npm run users|audit|tour -- …`: the command lines, from the build (built first when stale and possible).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serverBuildIsStale } from './build-server.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const [command, ...args] = process.argv.slice(2)
if (serverBuildIsStale()) {
  try {
    await import('esbuild')
    const { buildServer } = await import('./build-server.mjs')
    await buildServer({ log: () => {} })
  }
  catch {}
}
const result = spawnSync(process.execPath, [join(root, 'dist', 'server', `${command}.mjs`), ...args], { stdio: 'inherit' })
process.exit(result.status ?? 1)
