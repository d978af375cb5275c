import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../server/src/config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** A free TCP port on localhost (asked of the OS, then released for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface RunningServer {
  url: string
  port: number
  /** Everything the server printed (JSON logs and the start banner). */
  output: () => string
  process: ChildProcess
  /** SIGTERM, then waits for the exit; returns the exit code and how long shutdown took. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null, ms: number }>
}

/** The first administrator's password on servers the tests start. */
export const TEST_ADMIN_PASSWORD = 'Test-Wall-Passw0rd'

export interface StartOptions {
  env?: Record<string, string>
  /** Data directory (the embedded database lives in it); a new temporary one when absent. */
  dataDir?: string
  /** Keep the data directory after stop (e.g. to restart on the same data). */
  keepData?: boolean
  port?: number
  /**
   * Which entry to run: `demo` (`mock/demo.ts`: the embedded database seeded with the mock township,
   * the simulator with `DEMO=1`) or `product` (`server/src/main.ts`: the database as it is). Default:
   * as `npm start` decides — the demo without `DATABASE_URL` or with `DEMO` on.
   */
  entry?: 'demo' | 'product' | { script: string }
}

/** The entry `npm start` would run with this environment (the product when the environment is bad: it says why). */
function defaultEntry(env: Record<string, string | undefined>): 'demo' | 'product' {
  try {
    const config = loadConfig(env)
    return config.demo || config.databaseUrl === undefined ? 'demo' : 'product'
  }
  catch {
    return 'product'
  }
}

/**
 * Starts the real server in a child process on a free port, with its own embedded database (seeded
 * with the mock township by the demo entry) unless `DATABASE_URL` is given, and waits until
 * `/api/health` answers. The simulator is off (`DEMO=0`) unless the test turns it on.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const port = options.port ?? await freePort()
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'command-centre-'))
  let output = ''
  // The wall open to the intranet (as on a township's LAN without display tokens) and a known admin
  // password, unless a test asks for access control itself.
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, TEMPLATE_DIR: join(root, '.data', 'test-templates'), LOG_LEVEL: 'warn', DEMO: '0', WALL_ACCESS: 'open', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ...options.env }
  const chosen = options.entry ?? defaultEntry(env)
  const entry = typeof chosen === 'object' ? chosen.script : chosen === 'demo' ? 'mock/demo.ts' : 'server/src/main.ts'
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => {
    output += chunk
  })
  child.stderr!.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  // The demo's first start on a new template seeds a township (≈20 s, minutes on a busy machine).
  const deadline = Date.now() + (entry === 'mock/demo.ts' ? 180_000 : 60_000)
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with code ${child.exitCode}:\n${output}`)
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok)
        break
    }
    catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer /api/health in time:\n${output}`)
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  return {
    url,
    port,
    output: () => output,
    process: child,
    async stop(signal = 'SIGTERM') {
      const started = Date.now()
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal)
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      if (!options.keepData && !options.dataDir)
        rmSync(dataDir, { recursive: true, force: true })
      return { code: child.exitCode, ms: Date.now() - started }
    },
  }
}
