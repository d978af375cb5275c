import type { Database, Queryable, QueryResult } from './types.ts'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { copySql, csvChunks } from './csv.ts'
import { DatabaseError } from './errors.ts'

interface WorkerError { message: string, code?: string, detail?: string }
type Reply
  = | { ready: true }
    | { ready: false, error: WorkerError }
    | { notify: string, payload: string }
    | { id: number, ok: true, result: unknown }
    | { id: number, ok: false, error: WorkerError }

type Operation
  = | { op: 'query', sql: string, params: unknown[] }
    | { op: 'exec', sql: string }
    | { op: 'copy', sql: string, csv: string }
    | { op: 'listen' | 'unlisten', channel: string }
    | { op: 'dump' | 'close' }

export interface PgliteOptions {
  /** Directory that holds the database between runs; in memory when absent. */
  dataDir?: string
  /** A tarball from `dumpDataDir()` to start from (a seeded template), used only when the directory is new. */
  loadDataDir?: Uint8Array
}

const workerPath = fileURLToPath(new URL('./pglite-worker.mjs', import.meta.url))

/**
 * The embedded PostgreSQL (PGlite) in a worker thread. PGlite is one connection, so operations are
 * serialised here: a transaction holds the connection until it ends, and other callers wait.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const
  private readonly worker: Worker
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>()
  private readonly listeners = new Map<string, Set<(payload: string) => void>>()
  /** Tail of the queue of callers that need the connection to themselves (transactions). */
  private lock: Promise<void> = Promise.resolve()
  private closed = false

  private constructor(worker: Worker) {
    this.worker = worker
  }

  /** Starts the worker and waits until the database is open (initdb on first use of a directory). */
  static async open(options: PgliteOptions = {}): Promise<PgliteDatabase> {
    const worker = new Worker(workerPath, { workerData: options })
    const db = new PgliteDatabase(worker)
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number): void => reject(new DatabaseError(`embedded database worker exited with code ${code}`))
      worker.once('exit', onExit)
      worker.once('error', reject)
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) {
          worker.off('exit', onExit)
          if (reply.ready)
            resolve()
          else
            reject(new DatabaseError(`cannot open the embedded database: ${reply.error.message}`, reply.error.code))
          return
        }
        db.onReply(reply)
      })
    })
    worker.on('exit', () => db.failAll(new DatabaseError('embedded database worker stopped')))
    return db
  }

  private onReply(reply: Exclude<Reply, { ready: boolean }>): void {
    if ('notify' in reply) {
      for (const listener of this.listeners.get(reply.notify) ?? [])
        listener(reply.payload)
      return
    }
    const waiter = this.pending.get(reply.id)
    if (!waiter)
      return
    this.pending.delete(reply.id)
    if (reply.ok)
      waiter.resolve(reply.result)
    else
      waiter.reject(new DatabaseError(reply.error.message, reply.error.code, reply.error.detail))
  }

  private failAll(error: Error): void {
    this.closed = true
    for (const waiter of this.pending.values())
      waiter.reject(error)
    this.pending.clear()
  }

  private send<T>(operation: Operation): Promise<T> {
    if (this.closed)
      return Promise.reject(new DatabaseError('the embedded database is closed'))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.worker.postMessage({ id, ...operation })
    })
  }

  /** Waits for any open transaction, then runs `fn` (so statements never land inside someone else's transaction). */
  private async unlocked<T>(fn: () => Promise<T>): Promise<T> {
    await this.lock
    return fn()
  }

  private direct(): Queryable {
    return {
      query: <T>(sql: string, params: unknown[] = []) => this.send<QueryResult<T>>({ op: 'query', sql, params }),
      exec: async (sql: string) => {
        await this.send({ op: 'exec', sql })
      },
      copyRows: async (table, columns, rows) => {
        const sql = copySql(table, columns, '\'/dev/blob\'')
        let total = 0
        for (const chunk of csvChunks(rows)) {
          await this.send({ op: 'copy', sql, csv: chunk.csv })
          total += chunk.count
        }
        return total
      },
    }
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.unlocked(() => this.direct().query<T>(sql, params))
  }

  exec(sql: string): Promise<void> {
    return this.unlocked(() => this.direct().exec(sql))
  }

  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
    return this.unlocked(() => this.direct().copyRows(table, columns, rows))
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const previous = this.lock
    let release!: () => void
    this.lock = new Promise<void>((resolve) => {
      release = resolve
    })
    await previous
    const tx = this.direct()
    try {
      await tx.exec('BEGIN')
      try {
        const result = await fn(tx)
        await tx.exec('COMMIT')
        return result
      }
      catch (error) {
        await tx.exec('ROLLBACK').catch(() => {})
        throw error
      }
    }
    finally {
      release()
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
      await this.unlocked(() => this.send({ op: 'listen', channel }))
    }
    set.add(onNotify)
    return async () => {
      set.delete(onNotify)
      if (set.size === 0 && this.listeners.get(channel) === set) {
        this.listeners.delete(channel)
        if (!this.closed)
          await this.unlocked(() => this.send({ op: 'unlisten', channel }))
      }
    }
  }

  /** The whole data directory as a tarball, to be used as `loadDataDir` of a new database. */
  dumpDataDir(): Promise<Uint8Array> {
    return this.unlocked(() => this.send<Uint8Array>({ op: 'dump' }))
  }

  async close(): Promise<void> {
    if (this.closed)
      return
    await this.unlocked(() => this.send({ op: 'close' }))
    this.closed = true
    await this.worker.terminate()
  }
}
