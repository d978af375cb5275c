// `npm start`: check the configuration first (a bad value must not cost a build), build the screen if
// it is stale, then run the server in this process (so SIGTERM/SIGINT reach it directly): the demo
// entry (the mock township seeded into the embedded database, the live simulator with DEMO) when there
// is no DATABASE_URL or DEMO is on, else the production entry on the township's database.
import { register } from 'tsx/esm/api'
import { ensureScreenBuilt } from './build-screen.mjs'

register()
const { ConfigError, loadConfig } = await import('../server/src/config.ts')
let config
try {
  config = loadConfig()
}
catch (error) {
  if (!(error instanceof ConfigError))
    throw error
  process.stderr.write(`error: ${error.message}\n`)
  process.exit(1)
}
await ensureScreenBuilt()
const demo = config.demo || config.databaseUrl === undefined
await import(demo ? '../mock/demo.ts' : '../server/src/main.ts')
