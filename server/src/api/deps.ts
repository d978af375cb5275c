import type { AuthService } from '../auth/service.ts'
import type { Session } from '../auth/sessions.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/types.ts'
import type { LiveHub } from '../live/hub.ts'
import type { Logger } from '../logger.ts'
import type { OpsMetrics } from '../ops/metrics.ts'

/** What the API's sub-apps need from the outside; tests pass their own. */
export interface AppDeps {
  config: Config
  db: Database
  logger: Logger
  hub: LiveHub
  auth: AuthService
  /** The operator's metrics (`/metrics`), when the server runs them. */
  metrics?: OpsMetrics
}

/** Who is asking: a signed-in session, or nobody (`null`). */
export interface Principal {
  session: Session | null
  ip: string | null
  userAgent: string | null
}

/** The variables every request carries through the app's middleware. */
export interface ApiEnv {
  Variables: {
    requestId: string
    principal: Principal
  }
}
