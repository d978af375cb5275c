// `npm run dev`: the server (restarted on change by tsx watch) and Vite's dev server with HMR, which
// proxies /api and /socket.io to it. Ctrl-C stops both. The server entry is chosen as `npm start`
// chooses it: the demo without DATABASE_URL or with DEMO on, else the production entry.
import { spawn } from 'node:child_process'
import { tsImport } from 'tsx/esm/api'

const { ConfigError, loadConfig } = await tsImport('../server/src/config.ts', import.meta.url)
let entry = 'server/src/main.ts'
try {
  const config = loadConfig()
  if (config.demo || config.databaseUrl === undefined)
    entry = 'mock/demo.ts'
}
catch (error) {
  // The server says what is wrong with the configuration, in one line, when it starts.
  if (!(error instanceof ConfigError))
    throw error
}

const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', entry], { stdio: 'inherit', env: process.env }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit', env: process.env }),
]
let stopping = false
function stop(code = 0) {
  if (stopping)
    return
  stopping = true
  for (const child of children)
    child.kill('SIGTERM')
  setTimeout(() => process.exit(code), 5000).unref()
}
for (const child of children)
  child.on('exit', code => stop(code ?? 0))
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
