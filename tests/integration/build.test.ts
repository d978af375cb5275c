import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { screenBuildIsStale } from '../../scripts/build-screen.mjs'
import { serverBuildIsStale } from '../../scripts/build-server.mjs'

const root = new URL('../..', import.meta.url).pathname

describe('the build', () => {
  it('`npm run build` builds the screen and the server as JavaScript, stamped, so that `npm start` does not build again', () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 300_000 })
    expect(build.status, build.stderr).toBe(0)
    expect(screenBuildIsStale()).toBe(false)
    expect(serverBuildIsStale()).toBe(false)
    // The built launcher runs without a TypeScript loader: a bad setting is refused by it, in one line.
    const check = spawnSync(process.execPath, ['dist/server/launch.mjs', '--check'], { cwd: root, env: { ...process.env, PORT: 'abc' }, encoding: 'utf8' })
    expect(check.status).toBe(1)
    expect(check.stderr.trim()).toBe('error: PORT must be an integer from 0 to 65535 (got "abc")')

    // A production install (`npm ci --omit=dev`, or `npm prune --omit=dev` after the build) has only
    // `dependencies`: every package the built server imports must be one of them, not a devDependency.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const bundles = readdirSync(join(root, 'dist/server')).filter(f => f.endsWith('.mjs'))
    expect(bundles).toContain('launch.mjs')
    const packages = new Set(bundles.flatMap(f => ts.preProcessFile(readFileSync(join(root, 'dist/server', f), 'utf8'), true, true).importedFiles
      .map(i => i.fileName)
      .filter(name => !name.startsWith('.') && !name.startsWith('node:'))
      .map(name => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'))))
    expect(packages.size).toBeGreaterThan(5)
    expect([...packages].filter(name => !(name in pkg.dependencies)), 'imported by the built server but not in dependencies').toEqual([])
  }, 300_000)
})
