/** Rows returned by a query; column names as written in the SQL. */
export interface QueryResult<T> {
  rows: T[]
  /** Rows inserted, updated or deleted by the statement, when the driver reports it. */
  affectedRows?: number
}

/** What can run SQL: the database itself, or one transaction on it. */
export interface Queryable {
  /** One statement with `$1 … $n` parameters. */
  query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<QueryResult<T>>
  /** Several `;`-separated statements without parameters (DDL, scripts). */
  exec: (sql: string) => Promise<void>
  /**
   * Bulk-loads rows with COPY (`COPY table (columns) FROM STDIN` in CSV). Values: string, number,
   * boolean, Date (sent as ISO-8601), null; objects and arrays are sent as JSON text.
   * Returns the number of rows written.
   */
  copyRows: (table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>) => Promise<number>
}

/** What a listener hears about its connection besides notifications. */
export interface ListenHooks {
  onLost?: () => void
  onRestored?: () => void
}

/**
 * One database interface with two implementations: the embedded PGlite (in a worker thread) and
 * PostgreSQL via `DATABASE_URL`. The same PostgreSQL-15 SQL runs on both.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in BEGIN … COMMIT on one connection; ROLLBACK and rethrow when it throws. */
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>
  /**
   * LISTEN on a channel; resolves to a function that stops listening. `hooks.onLost` is called when
   * the listening connection drops (notifications sent meanwhile are lost), `hooks.onRestored` when it
   * listens again — the caller then reads what it may have missed.
   */
  listen: (channel: string, onNotify: (payload: string) => void, hooks?: ListenHooks) => Promise<() => Promise<void>>
  /** Closes every connection (and the worker); the process may then exit. */
  close: () => Promise<void>
}
