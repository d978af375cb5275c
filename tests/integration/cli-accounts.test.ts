import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PgliteDatabase } from '../../server/src/db/pglite.ts'

const root = new URL('../..', import.meta.url).pathname

/**
 * Runs the `npm run users|audit -- …` command lines on the embedded database in `dataDir` (from their
 * sources: the build in dist/ may be rewritten by another test meanwhile).
 */
function run(dataDir: string, command: 'users' | 'audit', ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', `server/src/cli/${command}.ts`, ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', APP_DATABASE_URL: '' }, encoding: 'utf8', timeout: 120_000 })
}

describe('the account and audit command lines (embedded database)', () => {
  it('add, list, disable, reset-password and add-display; audit verify names a tampered record; export writes CSV', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-cli-'))
    const added = run(dataDir, 'users', 'add', 'wang', '--role', 'dispatcher')
    expect(added.status, added.stderr).toBe(0)
    expect(added.stdout).toMatch(/^added wang \(dispatcher\); password \(shown once\): \S{16,}/)
    expect(run(dataDir, 'users', 'add', 'li', '--role', 'leader', '--password', 'short').status).toBe(2)
    expect(run(dataDir, 'users', 'add', 'li', '--role', 'leader', '--password', 'short').stderr.trim()).toBe('error: a password needs at least 10 characters')
    const display = run(dataDir, 'users', 'add-display', '大厅左屏', '--ip-range', '10.1.2.0/24')
    expect(display.stdout).toMatch(/token \(shown once\): [\w-]{40,}/)
    expect(run(dataDir, 'users', 'disable', 'wang').stdout.trim()).toBe('disabled wang')
    expect(run(dataDir, 'users', 'reset-password', 'wang').stdout).toMatch(/new password \(shown once\)/)
    const list = run(dataDir, 'users', 'list').stdout.trim().split('\n')
    expect(list).toEqual(['wang\tdispatcher\tuser\tdisabled', '大厅左屏\tdisplay\tdisplay\tactive\t10.1.2.0/24'])
    expect(run(dataDir, 'audit', 'verify').stdout).toMatch(/^audit log intact: \d+ records/)
    expect(run(dataDir, 'audit', 'export').stdout).toMatch(/^\uFEFFid,at_utc,at_local,actor,role,ip,action/)
    // A day that does not exist is refused, not rolled over to March.
    const badDay = run(dataDir, 'audit', 'export', '--from', '2026-02-30')
    expect({ status: badDay.status, stderr: badDay.stderr.trim() }).toEqual({ status: 2, stderr: expect.stringContaining('--from must be a date like 2026-11-01 (got "2026-02-30")') })
  }, 300_000)

  it('fails `audit verify` with the id of a record edited behind the trigger', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-cli-'))
    expect(run(dataDir, 'users', 'add', 'zhao', '--role', 'inspector').status).toBe(0)
    expect(run(dataDir, 'users', 'add', 'qian', '--role', 'inspector').status).toBe(0)
    const db = await PgliteDatabase.open({ dataDir: join(dataDir, 'pglite') })
    const target = (await db.query<{ id: string }>(`select id from ccapp.audit_log where target = 'zhao'`)).rows[0]!
    await db.exec('alter table ccapp.audit_log disable trigger audit_append_only')
    await db.query(`update ccapp.audit_log set target = 'someone-else' where id = $1`, [target.id])
    await db.close()
    const verify = run(dataDir, 'audit', 'verify')
    expect(verify.status).toBe(1)
    expect(verify.stdout).toMatch(new RegExp(`^audit log BROKEN at record ${target.id}: its content does not match its hash`))
  }, 300_000)
})
