import type { SoakReport } from '../../tools/soak/report.ts'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresAvailable } from '../harness/postgres.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * `npm run soak -- --short`, as CI runs it: two simulated hours across local midnight at 120× (about a
 * minute), the server on a fresh PostgreSQL database, the simulator writing, the wall in Chromium. It
 * must pass (exit 0) and leave its report and plot; the report must show the day rolling over.
 */
describe.skipIf(!(await postgresAvailable()))('npm run soak --short', () => {
  const out = mkdtempSync(join(tmpdir(), 'soak-test-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('soaks the wall across midnight, within the bounds, and writes the report', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/soak/cli.ts', '--short', '--out-dir', out, '--name', 'soak-ci'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
    expect(code, output).toBe(0)
    const report = JSON.parse(readFileSync(join(out, 'soak-ci.json'), 'utf8')) as SoakReport
    expect(report.passed).toBe(true)
    expect(report.samples.length).toBeGreaterThanOrEqual(20)
    // Every series was read: a sampler that silently read nothing would pass any bound.
    for (const verdict of report.series)
      expect(verdict.samples, verdict.bound.series).toBeGreaterThanOrEqual(15)
    expect(report.rollover).toMatchObject({ crossed: true, pass: true })
    expect(report.rollover.before!.todayNew).toBeGreaterThan(report.rollover.after!.todayNew)
    expect(report.samples.at(-1)!.values.webglContexts).toBe(1)
    for (const file of ['soak-ci.md', 'soak-ci.svg', 'soak-ci.png'])
      expect(existsSync(join(out, file)), file).toBe(true)
    expect(readFileSync(join(out, 'soak-ci.md'), 'utf8')).toMatch(/# Soak soak-ci: passed/)
  }, 300_000)
})
