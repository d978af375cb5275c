import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { joinNegativeValues, redactUrl } from '../../mock/cli-util.ts'
import { parseMockArgs } from '../../mock/cli.ts'
import { DEFAULT_TOWNSHIP, GEODATA_FILES, geodataFiles, generateGeography } from '../../mock/geo/index.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = `${root}node_modules/.bin/tsx`

function run(script: string, args: string[], cwd = root, timeout = 30_000): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [join(root, script), ...args], { cwd, timeout, env: { ...process.env, DATABASE_URL: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

// Nothing here reaches a database: every case fails before seeding (an unreachable port is refused at once).
const bad: [string, string[], RegExp][] = [
  ['mock/cli.ts', ['--scale', 'city'], /unknown --scale "city"/],
  ['mock/cli.ts', ['--township', '999999999'], /unknown --township "999999999"/],
  ['mock/cli.ts', ['--township', '4308'], /unknown --township "4308"/],
  ['mock/cli.ts', ['--seed', '-1'], /--seed must be/],
  ['mock/cli.ts', ['--bogus'], /--bogus/],
  ['mock/cli.ts', ['--database-url', 'postgres://postgres:secret@127.0.0.1:1/nowhere'], /cannot open the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere/],
  ['mock/simulate.ts', ['--rate', '-5'], /--rate must be a positive number, got "-5"/],
  ['mock/simulate.ts', ['--rate', 'abc'], /--rate must be a positive number/],
  ['mock/simulate.ts', ['--speed', 'NaN'], /--speed must be a positive number, got "NaN"/],
  ['mock/simulate.ts', ['--database-url', 'postgres://postgres@127.0.0.1:1/nowhere'], /cannot open the database/],
]

describe('mock and simulate command lines: bad input', () => {
  it.concurrent.each(bad)('%s %j → one line on stderr, exit code 2', async (script, args, message) => {
    const { code, stderr } = await run(script, args)
    expect(code).toBe(2)
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(message)
    expect(lines[0]).not.toMatch(/secret/)
  }, 30_000)
})

describe('parseMockArgs', () => {
  it('defaults to seed 7, one township (东岳观镇), the embedded database, and no geodata written', () => {
    const o = parseMockArgs([], {})
    expect(o).toMatchObject({ seed: 7, scale: 'township', township: '430821103', force: false, url: undefined, dataDir: '.data/pglite', geodataDir: undefined })
    expect(parseMockArgs(['--geodata-dir', 'geodata'], {}).geodataDir).toBe('geodata')
  })

  it('takes DATABASE_URL from the environment, --database-url first', () => {
    expect(parseMockArgs([], { DATABASE_URL: 'postgres://a/b' }).url).toBe('postgres://a/b')
    expect(parseMockArgs(['--database-url', 'postgres://c/d'], { DATABASE_URL: 'postgres://a/b' }).url).toBe('postgres://c/d')
  })

  it('accepts a county scale only for a county with 20 townships', () => {
    expect(parseMockArgs(['--scale', 'county'], {}).scale).toBe('county')
    expect(() => parseMockArgs(['--scale', 'county', '--township', '330226106'], {})).toThrow(/20 townships/)
  })

  it('helps with negative numbers and hides passwords', () => {
    expect(joinNegativeValues(['--rate', '-5', '--force'])).toEqual(['--rate=-5', '--force'])
    expect(redactUrl('postgres://u:pw@h:5432/db')).toBe('postgres://u:***@h:5432/db')
  })
})

describe('mock: seeding leaves files alone', () => {
  // Issue #14, defect 9: seeding another township overwrote the committed geodata/ and left the checkout dirty.
  it('seeds another township without writing geodata/ (only --geodata-dir writes GeoJSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cli-'))
    try {
      const { code, stdout, stderr } = await run('mock/cli.ts', ['--seed', '11', '--township', '371403109', '--data-dir', join(dir, 'pglite'), '--now', '2026-06-01T00:00:00Z'], dir, 120_000)
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(stdout).toMatch(/mock: seeded .* 1 township\(s\)/)
      expect(readdirSync(dir)).toEqual(['pglite'])
      expect(existsSync(join(dir, 'geodata'))).toBe(false)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 150_000)
})

describe('the committed geodata/', () => {
  // Seeding no longer rewrites it: it stays what `npm run mock -- --geodata-dir geodata` writes for seed 7.
  it('is the default township\'s geography (seed 7), byte for byte', () => {
    const files = geodataFiles(generateGeography({ seed: 7, township: DEFAULT_TOWNSHIP }))
    for (const layer of Object.keys(GEODATA_FILES) as (keyof typeof GEODATA_FILES)[])
      expect(readFileSync(join(root, 'geodata', GEODATA_FILES[layer]), 'utf8') === files[layer], GEODATA_FILES[layer]).toBe(true)
  }, 60_000)
})
