import type { PoolClient } from 'pg'
import type { Database, ListenHooks, Queryable, QueryResult } from './types.ts'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { copySql, csvChunks, quoteIdent } from './csv.ts'
import { DatabaseError } from './errors.ts'

const INT8 = 20
const NUMERIC = 1700

/** Counts and ids fit in a double; both drivers return plain numbers for int8 and numeric. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC)
      return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  }) as typeof pg.types.getTypeParser,
}

function wrap(error: unknown): DatabaseError {
  if (error instanceof DatabaseError)
    return error
  const e = error as { message?: string, code?: string, detail?: string }
  return new DatabaseError(e.message ?? String(error), e.code, e.detail)
}

function queryable(client: pg.Pool | PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      try {
        const result = await client.query(sql, params)
        return { rows: result.rows as T[], affectedRows: result.rowCount ?? undefined }
      }
      catch (error) {
        throw wrap(error)
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql)
      }
      catch (error) {
        throw wrap(error)
      }
    },
    async copyRows(table, columns, rows) {
      const connection = 'release' in client ? client : await client.connect()
      try {
        const stream = connection.query(copyFrom(copySql(table, columns, 'STDIN')))
        let total = 0
        async function* chunks(): AsyncGenerator<string> {
          for (const chunk of csvChunks(rows)) {
            total += chunk.count
            yield chunk.csv
          }
        }
        await pipeline(chunks, stream)
        return total
      }
      catch (error) {
        throw wrap(error)
      }
      finally {
        if (connection !== client)
          (connection as PoolClient).release()
      }
    },
  }
}

/**
 * PostgreSQL via `DATABASE_URL`: a pool for queries, and one dedicated connection for LISTEN that
 * reconnects with backoff when the server goes away and listens again on every channel.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const
  private readonly pool: pg.Pool
  private readonly base: Queryable
  private readonly url: string
  private listenClient: pg.Client | undefined
  private listenConnecting: Promise<pg.Client> | undefined
  private readonly listeners = new Map<string, Set<(payload: string) => void>>()
  private readonly hooks = new Set<ListenHooks>()
  private closed = false
  private reconnectTimer: NodeJS.Timeout | undefined

  private constructor(url: string, pool: pg.Pool) {
    this.url = url
    this.pool = pool
    this.base = queryable(pool)
  }

  /** Connects (one round trip) so that a wrong URL fails here, with the server's reason. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 5000 })
    // An idle connection dropped by a server restart must not crash the process.
    pool.on('error', () => {})
    try {
      await pool.query('select 1')
    }
    catch (error) {
      await pool.end().catch(() => {})
      throw wrap(error)
    }
    return new PostgresDatabase(url, pool)
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.base.query<T>(sql, params)
  }

  exec(sql: string): Promise<void> {
    return this.base.exec(sql)
  }

  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
    return this.base.copyRows(table, columns, rows)
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: PoolClient
    try {
      client = await this.pool.connect()
    }
    catch (error) {
      throw wrap(error)
    }
    const tx = queryable(client)
    try {
      await tx.exec('BEGIN')
      const result = await fn(tx)
      await tx.exec('COMMIT')
      return result
    }
    catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    }
    finally {
      client.release()
    }
  }

  private connectListener(): Promise<pg.Client> {
    if (this.listenClient)
      return Promise.resolve(this.listenClient)
    this.listenConnecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, types })
      client.on('notification', (message) => {
        for (const listener of this.listeners.get(message.channel) ?? [])
          listener(message.payload ?? '')
      })
      const lost = (): void => {
        if (this.listenClient !== client)
          return
        this.listenClient = undefined
        client.end().catch(() => {})
        for (const hook of this.hooks)
          hook.onLost?.()
        this.scheduleReconnect(250)
      }
      client.on('error', lost)
      client.on('end', lost)
      try {
        await client.connect()
        for (const channel of this.listeners.keys())
          await client.query(`LISTEN ${quoteIdent(channel)}`)
      }
      catch (error) {
        client.end().catch(() => {})
        throw wrap(error)
      }
      this.listenClient = client
      return client
    })().finally(() => {
      this.listenConnecting = undefined
    })
    return this.listenConnecting
  }

  private scheduleReconnect(delay: number): void {
    if (this.closed || this.reconnectTimer || this.listeners.size === 0)
      return
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      this.connectListener().catch(() => this.scheduleReconnect(Math.min(delay * 2, 5000)))
    }, delay)
  }

  async listen(channel: string, onNotify: (payload: string) => void, hooks?: ListenHooks): Promise<() => Promise<void>> {
    if (hooks)
      this.hooks.add(hooks)
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
      const client = await this.connectListener()
      await client.query(`LISTEN ${quoteIdent(channel)}`)
    }
    set.add(onNotify)
    return async () => {
      if (hooks)
        this.hooks.delete(hooks)
      set.delete(onNotify)
      if (set.size === 0 && this.listeners.get(channel) === set) {
        this.listeners.delete(channel)
        await this.listenClient?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {})
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed)
      return
    this.closed = true
    clearTimeout(this.reconnectTimer)
    const client = this.listenClient
    this.listenClient = undefined
    await client?.end().catch(() => {})
    await this.pool.end()
  }
}
