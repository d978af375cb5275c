/** Helpers shared by the mock command lines. */
import { parseArgs } from 'node:util'

export { redactUrl } from '../server/src/db/errors.ts'

/** Bad input: reported as one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** The first line of an error's message (or its code): never a stack trace. */
export function describeError(error: unknown): string {
  const e = error as { message?: string, code?: string } | null
  return (e?.message || e?.code || String(error)).split('\n')[0]!
}

/**
 * Joins `--name -5` into `--name=-5`, so that a negative number reaches validation (and its clear
 * message) instead of node's "argument is ambiguous".
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const next = argv[i + 1]
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-(?:\d|\.\d|Infinity|NaN)/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    }
    else {
      out.push(arg)
    }
  }
  return out
}

/** A short list of table names for a one-line message. */
export function tableList(tables: readonly string[]): string {
  return tables.length <= 3 ? tables.join(', ') : `${tables.slice(0, 2).join(', ')} and ${tables.length - 2} more tables`
}

/**
 * Parses `--name value` options (all strings, or booleans when listed in `flags`) strictly: an unknown
 * option or a stray argument is a UsageError with node's one-line message. Returns a getter of strings.
 */
export function parseOptions(argv: readonly string[], names: readonly string[], flags: readonly string[] = []): { str: (name: string) => string | undefined, flag: (name: string) => boolean } {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: joinNegativeValues(argv),
      options: Object.fromEntries([
        ...names.map(name => [name, { type: 'string' as const }]),
        ...flags.map(name => [name, { type: 'boolean' as const }]),
      ]),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>
  }
  catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  return {
    str: name => (typeof values[name] === 'string' ? values[name] as string : undefined),
    flag: name => values[name] === true,
  }
}
