// The demo's first start seeds the embedded database here, in a process of its own (see seeded.ts).
import { loadConfig } from '../../server/src/config.ts'
import { configureTimeZone } from '../../server/src/domain/calendar.ts'
import { createLogger } from '../../server/src/logger.ts'
import { seedEmbedded } from './seeded.ts'

const config = loadConfig()
configureTimeZone(config.timeZone)
await seedEmbedded(config, createLogger(config))
