import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { auditCsv } from '../auth/audit.ts'
import { calendarDay, localDateStart } from '../domain/calendar.ts'
import { commandConfig, openAppDatabase, runCommand, UsageError } from './app-db.ts'

const USAGE = `usage: npm run audit -- <command>
  verify                                        checks the hash chain; exit 1 and names the first broken record
  export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.csv]   CSV (UTC and local times); stdout without --out
  prune [--days N]                              removes records older than N days (default AUDIT_RETENTION_DAYS), audited`

function day(value: string | undefined, name: string): Date | undefined {
  if (value === undefined)
    return undefined
  if (calendarDay(value) === null)
    throw new UsageError(`--${name} must be a date like 2026-11-01 (got ${JSON.stringify(value)})`)
  return localDateStart(value)
}

/** `npm run audit -- verify|export|prune`. */
async function main(argv: string[]): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' } } })
  }
  catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`)
  }
  const { positionals: [command], values } = parsed
  if (command !== 'verify' && command !== 'export' && command !== 'prune')
    throw new UsageError(USAGE)
  const config = commandConfig()
  const { db, auth } = await openAppDatabase(config)
  try {
    if (command === 'verify') {
      const result = await auth.audit.verify()
      if (result.broken) {
        process.stdout.write(`audit log BROKEN at record ${result.broken.id}: ${result.broken.reason} (${result.checked} records)\n`)
        process.exitCode = 1
      }
      else {
        process.stdout.write(`audit log intact: ${result.checked} records, chain verified\n`)
      }
    }
    else if (command === 'export') {
      const csv = auditCsv(await auth.audit.records(day(values.from, 'from'), day(values.to, 'to')), config.timeZone)
      if (values.out)
        writeFileSync(values.out, csv)
      else
        process.stdout.write(csv)
    }
    else {
      const days = values.days === undefined ? config.auth.auditRetentionDays : Number(values.days)
      if (!Number.isInteger(days) || days < 1)
        throw new UsageError(`--days must be a whole number of days (got ${JSON.stringify(values.days)})`)
      process.stdout.write(`pruned ${await auth.audit.prune(days)} records older than ${days} days\n`)
    }
  }
  finally {
    await db.close()
  }
}

await runCommand(() => main(process.argv.slice(2)))
