import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { zValidator } from '@hono/zod-validator'
import { sendError } from './errors.ts'

/**
 * Validates a request part with a zod schema; a failure answers 400 with a stable code and a message
 * naming the parameter, and the handler never runs (so nothing reaches the database).
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
      return sendError(c, 400, 'bad_request', `invalid ${target} parameter ${where}${issue?.message ?? 'invalid input'}`)
    }
  })
}
