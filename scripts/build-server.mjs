// Builds the server into plain JavaScript (`dist/server/*.mjs`, esbuild, dependencies left as imports),
// so production runs without a TypeScript loader and a pruned install (`npm prune --omit=dev`) starts.
// Entries: launch (what `npm start` runs), main (the product), demo (the product with the mock
// township and simulator), users, audit and tour (the command lines).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isStale } from './stale.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = join(root, 'dist', 'server')
const stamp = join(outDir, '.build-stamp')
const inputs = ['server/src', 'mock', 'package-lock.json', 'package.json']
const entries = {
  launch: 'server/src/launch.ts',
  main: 'server/src/main.ts',
  demo: 'mock/demo.ts',
  users: 'server/src/cli/users.ts',
  audit: 'server/src/cli/audit.ts',
  tour: 'server/src/cli/tour.ts',
  seed: 'mock/demo/seed-main.ts',
}

/** True when dist/server is missing or older than any of its sources. */
export function serverBuildIsStale() {
  return isStale(root, stamp, inputs)
}

/** Bundles every entry; returns how long it took (ms). */
export async function buildServer({ log = console.error } = {}) {
  const started = Date.now()
  const { build } = await import('esbuild')
  mkdirSync(outDir, { recursive: true })
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    external: ['./demo.mjs', './main.mjs'],
    sourcemap: true,
    logLevel: 'warning',
    // Chunks beside the entries: a module's `import.meta.url` then finds schema.sql and the worker.
    chunkNames: 'chunk-[hash]',
  })
  // Files the server reads beside its code: the contract's DDL and the embedded database's worker.
  copyFileSync(join(root, 'server/src/contract/schema.sql'), join(outDir, 'schema.sql'))
  copyFileSync(join(root, 'server/src/db/pglite-worker.mjs'), join(outDir, 'pglite-worker.mjs'))
  writeFileSync(stamp, new Date().toISOString())
  log(`server built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return Date.now() - started
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildServer(process.argv.includes('--quiet') ? { log: () => {} } : {})
