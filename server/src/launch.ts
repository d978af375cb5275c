import { ConfigError, loadConfig } from './config.ts'

/**
 * What `npm start` runs (built to `dist/server/launch.mjs`): checks the configuration — one clear line
 * and exit code 1 when a value is bad — then runs the demo entry (the mock township seeded into the
 * embedded database, the simulator with `DEMO`) without `DATABASE_URL` or with `DEMO` on, else the
 * production entry. `--check` stops after the check (so a bad value costs no build).
 */
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
if (!process.argv.includes('--check')) {
  const demo = config.demo || config.databaseUrl === undefined
  // Separate bundles: the production entry carries no generator and no simulator.
  await import(/* @vite-ignore */ demo ? './demo.mjs' : './main.mjs')
}
