import type { Config } from '../config.ts'
import type { Database } from '../db/types.ts'
import type { LiveHub } from '../live/hub.ts'
import type { Logger } from '../logger.ts'

/** What the API's sub-apps need from the outside; tests pass their own. */
export interface AppDeps {
  config: Config
  db: Database
  logger: Logger
  hub: LiveHub
}
