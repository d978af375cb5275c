import type { Role } from '../auth/roles.ts'
import { parseArgs } from 'node:util'
import { isRole } from '../auth/roles.ts'
import { AccountError } from '../auth/service.ts'
import { commandConfig, openAppDatabase, runCommand, UsageError } from './app-db.ts'

const USAGE = `usage: npm run users -- <command>
  add <name> --role admin|leader|dispatcher|inspector [--password P]   (a password is generated when not given)
  add-display <name> [--ip-range 10.1.2.0/24]                          (prints the display's token once)
  list
  disable <name> | enable <name>                                        (disabling ends the account's sessions)
  reset-password <name> [--password P]`

function args(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { 'role': { type: 'string' }, 'password': { type: 'string' }, 'ip-range': { type: 'string' } } })
  }
  catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`)
  }
}

/** `npm run users -- add|list|disable|enable|reset-password|add-display`: manages accounts, audited as `cli`. */
async function main(argv: string[]): Promise<void> {
  const { positionals: [command, name], values } = args(argv)
  if (!command || (command !== 'list' && !name))
    throw new UsageError(USAGE)
  const { db, auth } = await openAppDatabase(commandConfig())
  try {
    const find = async () => {
      const account = (await auth.accounts.list()).find(a => a.username === name)
      if (!account)
        throw new UsageError(`no account named ${name}`)
      return account
    }
    switch (command) {
      case 'list':
        for (const a of await auth.accounts.list())
          process.stdout.write(`${a.username}\t${a.role}\t${a.kind}\t${a.disabled ? 'disabled' : a.lockedUntil && a.lockedUntil > new Date() ? 'locked' : 'active'}${a.ipRange ? `\t${a.ipRange}` : ''}\n`)
        return
      case 'add': {
        const role = values.role ?? ''
        if (!isRole(role) || role === 'display')
          throw new UsageError('--role must be admin, leader, dispatcher or inspector (displays: add-display)')
        const password = values.password ?? (await import('../auth/passwords.ts')).generatePassword()
        await auth.addUser(name!, role as Exclude<Role, 'display'>, password, 'cli')
        process.stdout.write(values.password ? `added ${name} (${role})\n` : `added ${name} (${role}); password (shown once): ${password}\n`)
        return
      }
      case 'add-display': {
        const { token } = await auth.addDisplay(name!, values['ip-range'] ?? null, 'cli')
        process.stdout.write(`added display ${name}; token (shown once): ${token}\nopen the wall once at /?display=${token}\n`)
        return
      }
      case 'disable':
      case 'enable':
        await auth.setDisabled(await find(), command === 'disable', 'cli')
        process.stdout.write(`${command}d ${name}\n`)
        return
      case 'reset-password': {
        const password = await auth.resetPassword(await find(), values.password ?? null, 'cli')
        process.stdout.write(values.password ? `password of ${name} reset\n` : `password of ${name} reset; new password (shown once): ${password}\n`)
        return
      }
      default:
        throw new UsageError(`unknown command ${command}\n${USAGE}`)
    }
  }
  finally {
    await db.close()
  }
}

await runCommand(() => main(process.argv.slice(2)), error => error instanceof AccountError)
