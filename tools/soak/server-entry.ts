import process from 'node:process'
import { installSimulatedClock, readAnchor } from './clock.ts'

/**
 * The product's server (`server/src/main.ts`) on the soak's simulated clock: `SOAK_CLOCK_FILE` holds
 * the anchor, read again on SIGUSR2 (the soak moves it when the wall has loaded and time-lapse starts).
 * Nothing of the server changes: it reads the time through `Date` as always.
 */
const file = process.env.SOAK_CLOCK_FILE
if (!file)
  throw new Error('soak server: SOAK_CLOCK_FILE is not set')
let anchor = readAnchor(file)
installSimulatedClock(() => anchor)
process.on('SIGUSR2', () => {
  anchor = readAnchor(file)
})
await import('../../server/src/main.ts')
