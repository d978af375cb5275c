// The embedded database's thread. Plain JavaScript on purpose: Node 20 workers do not inherit a
// TypeScript loader. On the main thread PGlite would stall the event loop for a whole query (≈1 s for
// a 1M-row GROUP BY); here it stalls only this thread. See server/src/db/pglite.ts for the protocol.
import { mkdirSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

const INT8 = 20
const NUMERIC = 1700
const { dataDir, loadDataDir } = workerData

let db
const unlisteners = new Map()

async function open() {
  if (dataDir)
    mkdirSync(dataDir, { recursive: true })
  const options = {
    // Counts and ids fit in a double; both drivers return plain numbers for int8 and numeric.
    parsers: { [INT8]: v => Number(v), [NUMERIC]: v => Number(v) },
  }
  if (loadDataDir)
    options.loadDataDir = new Blob([loadDataDir])
  db = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options)
}

function toError(error) {
  return { message: error?.message ?? String(error), code: error?.code, detail: error?.detail }
}

async function handle(message) {
  switch (message.op) {
    case 'query': {
      const result = await db.query(message.sql, message.params ?? [], { rowMode: 'object' })
      return { rows: result.rows, affectedRows: result.affectedRows }
    }
    case 'exec':
      await db.exec(message.sql)
      return null
    case 'copy': {
      const result = await db.query(message.sql, [], { blob: new Blob([message.csv]) })
      return { affectedRows: result.affectedRows }
    }
    case 'listen': {
      const unlisten = await db.listen(message.channel, payload => parentPort.postMessage({ notify: message.channel, payload }))
      unlisteners.set(message.channel, unlisten)
      return null
    }
    case 'unlisten': {
      const unlisten = unlisteners.get(message.channel)
      unlisteners.delete(message.channel)
      if (unlisten)
        await unlisten()
      return null
    }
    case 'dump': {
      const file = await db.dumpDataDir('none')
      return new Uint8Array(await file.arrayBuffer())
    }
    case 'close':
      await db.close()
      return null
    default:
      throw new Error(`unknown operation ${message.op}`)
  }
}

// Operations run one at a time, in order: PGlite is a single connection.
let chain = open()
  .then(() => parentPort.postMessage({ ready: true }))
  .catch(error => parentPort.postMessage({ ready: false, error: toError(error) }))

parentPort.on('message', (message) => {
  chain = chain.then(async () => {
    try {
      const result = await handle(message)
      parentPort.postMessage({ id: message.id, ok: true, result })
    }
    catch (error) {
      parentPort.postMessage({ id: message.id, ok: false, error: toError(error) })
    }
    if (message.op === 'close')
      parentPort.close()
  })
})
