import type { AuthPolicy } from '../../server/src/auth/service.ts'
import type { Database } from '../../server/src/db/types.ts'
import { migrateAppSchema } from '../../server/src/auth/schema.ts'
import { AuthService } from '../../server/src/auth/service.ts'

/** The default policy (30 min idle, 12 h absolute, 5 failures, 1 min first lock). */
export const TEST_POLICY: AuthPolicy = { idleMinutes: 30, absoluteHours: 12, maxFailures: 5, lockMinutes: 1 }

/** The product's accounts, sessions and audit log on `db` (migrated), with an optional fake clock. */
export async function openTestAuth(db: Database, now?: () => number, policy: Partial<AuthPolicy> = {}): Promise<AuthService> {
  await migrateAppSchema(db)
  return new AuthService(db, { ...TEST_POLICY, ...policy }, now)
}
