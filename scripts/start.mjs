// `npm start`: check the configuration first (a bad value must not cost a build), build the screen if
// it is stale, then run the server in this process (so SIGTERM/SIGINT reach it directly).
import { register } from 'tsx/esm/api'
import { ensureScreenBuilt } from './build-screen.mjs'

register()
const { ConfigError, loadConfig } = await import('../server/src/config.ts')
try {
  loadConfig()
}
catch (error) {
  if (!(error instanceof ConfigError))
    throw error
  process.stderr.write(`error: ${error.message}\n`)
  process.exit(1)
}
await ensureScreenBuilt()
await import('../server/src/main.ts')
