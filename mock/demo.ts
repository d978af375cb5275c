import type { Activity } from '../server/src/run.ts'
import type { Config } from '../server/src/config.ts'
import type { Database } from '../server/src/db/types.ts'
import type { Logger } from '../server/src/logger.ts'
import { runProduct } from '../server/src/run.ts'
import { openSeededEmbedded } from './demo/seeded.ts'
import { startSimulator } from './simulate.ts'

/**
 * The demo entry (`npm start` without `DATABASE_URL`, or with `DEMO=1`): the product, with the
 * embedded database created and seeded with the mock township on first start, and — with `DEMO` on —
 * the live simulator writing the township's everyday activity into the database by SQL, as its own
 * systems would, read back like any other change.
 */
function startDemoSimulator(db: Database, config: Config, logger: Logger): Activity | undefined {
  if (!config.demo)
    return undefined
  return startSimulator(db, { speed: config.demoSpeed, onError: error => logger.warn({ err: (error as Error).message }, 'simulator step failed') })
}

await runProduct({ openEmbedded: openSeededEmbedded, startActivity: startDemoSimulator })
