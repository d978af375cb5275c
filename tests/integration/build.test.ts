import { spawnSync } from 'node:child_process'
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
  }, 300_000)
})
