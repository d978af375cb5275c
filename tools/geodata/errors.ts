/** Errors of the geodata tool and how they are printed. */
export { redactUrl } from '../../server/src/db/errors.ts'

/**
 * Bad input: an unknown option, format or CRS, a missing field, a file over the size limit. Printed as
 * one line on stderr; exit code 2.
 */
export class UsageError extends Error {}

/** The first line of an error's message (or its code): never a stack trace. */
export function describeError(error: unknown): string {
  const e = error as { message?: string, code?: string } | null
  return (e?.message || e?.code || String(error)).split('\n')[0]!
}
