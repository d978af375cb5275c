import type { Database } from '../db/types.ts'
import type { Logger } from '../logger.ts'
import type { Change, RowsByTable, SourceTable } from '../contract/rows.ts'
import type { ChangeSignal } from './triggers.ts'
import { quoteIdent } from '../db/csv.ts'
import { OPEN_STATUSES } from '../domain/lifecycle.ts'
import { dayStart, localDay } from '../domain/calendar.ts'
import { normaliseRow, SOURCE_COLUMNS, SOURCE_TABLES, TIME_COLUMNS } from '../contract/rows.ts'
import { CHANGE_CHANNEL, installTriggers, parseSignal } from './triggers.ts'

export type CaptureMode = 'notify' | 'poll'

export interface SourceOptions {
  /** `notify`: install triggers and LISTEN; `poll`: read past the watermark every `pollIntervalMs`. */
  mode: CaptureMode
  pollIntervalMs: number
  /** Each poll re-reads this far behind the watermark, for transactions that committed out of order. */
  overlapMs: number
  /** In notify mode, a full watermark poll this often catches anything a lost connection missed. */
  safetyPollMs: number
  /** Days of closed-case history the snapshot loads (the engine's retention). */
  retentionDays: number
  /** Rows per poll query; more are read in further rounds. */
  batchSize: number
  /** In notify mode, notifications arriving within this many ms are answered by one read. */
  notifyDelayMs: number
}

export const DEFAULT_SOURCE_OPTIONS: SourceOptions = {
  mode: 'notify',
  pollIntervalMs: 1000,
  overlapMs: 5000,
  safetyPollMs: 15_000,
  retentionDays: 35,
  batchSize: 5000,
  notifyDelayMs: 10,
}

export interface Snapshot {
  rows: { [T in SourceTable]: RowsByTable[T][] }
  /** When the snapshot was read (server clock). */
  at: number
  /** The newest `updated_at` of each table (epoch ms; 0 when empty). */
  newest?: Partial<Record<SourceTable, number>>
  /** How long reading it took (ms). */
  readMs?: number
}

export interface SourceHandlers {
  /** Rows written or deleted since the last call, in commit order per table. */
  onChanges: (changes: Change[]) => void
  /** The database came back after an outage (or asked for a reload): here is a whole new snapshot. */
  onResync: (snapshot: Snapshot) => void
  /** The database stopped (`down`) or resumed (`up`) answering. */
  onStatus: (status: { state: 'up' | 'down', since: number, error?: string }) => void
}

interface Watermark {
  /** Microseconds since the epoch of the newest `updated_at` read. */
  us: number
  /** Rows read at or after `us - overlap`, by id → updated_at (µs), to skip re-reads. */
  seen: Map<number, number>
}

/** An instant in microseconds as an exact ISO-8601 timestamp (JavaScript dates stop at milliseconds). */
export function usToIso(us: number): string {
  const ms = Math.floor(us / 1000)
  const micro = String(Math.round(us - ms * 1000)).padStart(3, '0')
  return new Date(Math.max(0, ms)).toISOString().replace('Z', `${micro}Z`)
}

function selectList(table: SourceTable): string {
  // Times travel as epoch milliseconds (a float parses ~50× faster than a timestamptz into a Date,
  // which dominates a county snapshot of ~100k cases × 7 time columns).
  const columns = SOURCE_COLUMNS[table].map(column => TIME_COLUMNS.has(column)
    ? `(extract(epoch from ${quoteIdent(column)}) * 1000)::float8 as ${quoteIdent(column)}`
    : quoteIdent(column))
  return [...columns, '(extract(epoch from "updated_at") * 1000000)::int8 as "updated_us"'].join(', ')
}

/**
 * Reads the integration contract: a consistent snapshot, then every change — pushed by NOTIFY where
 * the database allows triggers, or found by watermark polling on `updated_at` where it does not.
 * When the database goes away it reports `down`, retries with backoff, and resyncs from a fresh
 * snapshot when it answers again.
 */
export class ContractSource {
  private readonly db: Database
  private readonly options: SourceOptions
  private readonly logger: Logger
  private handlers: SourceHandlers | undefined
  private readonly watermarks = new Map<SourceTable, Watermark>()
  private readonly pending = new Set<SourceTable>()
  private polling: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private safetyTimer: NodeJS.Timeout | undefined
  private notifyTimer: NodeJS.Timeout | undefined
  private unlisten: (() => Promise<void>) | undefined
  private stopped = false
  private down: { since: number } | undefined
  /** In notify mode: whether LISTEN is connected (notifications arrive); polled like poll mode when not. */
  private listening = false
  private backoffMs = 500

  constructor(db: Database, logger: Logger, options: Partial<SourceOptions> = {}) {
    this.db = db
    this.logger = logger
    this.options = { ...DEFAULT_SOURCE_OPTIONS, ...options }
  }

  get mode(): CaptureMode {
    return this.options.mode
  }

  /** Reads every table in one repeatable-read transaction; sets the watermarks from what it read. */
  async snapshot(now = Date.now()): Promise<Snapshot> {
    const started = performance.now()
    const firstDay = localDay(now) - this.options.retentionDays + 1
    const since = new Date(dayStart(firstDay))
    const raw = await this.db.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read')
      const out = {} as Record<SourceTable, Record<string, unknown>[]>
      for (const table of SOURCE_TABLES) {
        // Closed cases older than the longest window contribute to nothing: not loaded.
        const where = table === 'cases'
          ? ` where status in (${OPEN_STATUSES.map(s => `'${s}'`).join(', ')}) or reported_at >= $1 or closed_at >= $1 or rated_at >= $1`
          : ''
        const result = await tx.query<Record<string, unknown>>(`select ${selectList(table)} from ${quoteIdent(table)}${where}`, table === 'cases' ? [since] : [])
        out[table] = result.rows
        const max = await tx.query<{ us: number | null }>(`select (extract(epoch from max("updated_at")) * 1000000)::int8 as us from ${quoteIdent(table)}`)
        const mark: Watermark = { us: max.rows[0]?.us ?? 0, seen: new Map() }
        // Rows inside the overlap window will be read again by the first poll: remember them as seen.
        const horizon = mark.us - this.options.overlapMs * 1000
        for (const row of result.rows) {
          const us = row.updated_us as number
          if (us >= horizon)
            mark.seen.set(row.id as number, us)
        }
        this.watermarks.set(table, mark)
      }
      return out
    })
    const rows = {} as Snapshot['rows']
    for (const table of SOURCE_TABLES)
      (rows as Record<SourceTable, unknown[]>)[table] = raw[table].map(r => normaliseRow(table, r))
    const newest: Partial<Record<SourceTable, number>> = {}
    for (const table of SOURCE_TABLES)
      newest[table] = Math.floor((this.watermarks.get(table)?.us ?? 0) / 1000)
    return { rows, at: now, newest, readMs: performance.now() - started }
  }

  /** Starts capturing changes (after `snapshot()`). */
  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers
    if (this.options.mode === 'notify') {
      await installTriggers(this.db, SOURCE_TABLES)
      this.unlisten = await this.db.listen(CHANGE_CHANNEL, payload => this.onNotify(payload), {
        // While LISTEN is down, notifications are lost: poll every interval as in poll mode …
        onLost: () => {
          this.listening = false
        },
        // … and once it listens again, read everything past the watermarks at once, so that nothing
        // written in between waits for the safety poll.
        onRestored: () => {
          this.listening = true
          for (const table of SOURCE_TABLES)
            this.pending.add(table)
          void this.pollNow()
        },
      })
      this.listening = true
      this.scheduleSafetyPoll()
      // A heartbeat, so that an outage is noticed within a poll interval even when nothing changes.
      this.schedule(this.options.pollIntervalMs)
    }
    else {
      this.schedule(this.options.pollIntervalMs)
    }
  }

  private onNotify(payload: string): void {
    const signal: ChangeSignal | null = parseSignal(payload, new Set(SOURCE_TABLES))
    if (!signal)
      return
    if (signal.kind === 'deleted') {
      this.handlers?.onChanges(signal.ids.map(id => ({ table: signal.table, op: 'delete', id, at: Date.now() })))
      return
    }
    if (signal.kind === 'reload') {
      void this.resync('a table was bulk-deleted')
      return
    }
    this.pending.add(signal.table)
    // A burst of commits (a busy minute, a batch job) costs one read, not one per commit.
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined
      void this.pollNow()
    }, this.options.notifyDelayMs)
  }

  private scheduleSafetyPoll(): void {
    clearTimeout(this.safetyTimer)
    if (this.stopped)
      return
    this.safetyTimer = setTimeout(() => {
      for (const table of SOURCE_TABLES)
        this.pending.add(table)
      void this.pollNow().finally(() => this.scheduleSafetyPoll())
    }, this.options.safetyPollMs)
    this.safetyTimer.unref?.()
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer)
    if (this.stopped)
      return
    this.timer = setTimeout(() => {
      if (this.options.mode === 'poll' || this.down || !this.listening) {
        for (const table of SOURCE_TABLES)
          this.pending.add(table)
      }
      void this.pollNow().finally(() => {
        this.schedule(this.down ? this.backoffMs : this.options.pollIntervalMs)
      })
    }, delay)
  }

  /** Polls the pending tables now; concurrent calls coalesce into one more round. */
  pollNow(): Promise<void> {
    if (this.polling) {
      return this.polling.then(() => (this.pending.size > 0 ? this.pollNow() : undefined))
    }
    this.polling = this.pollPending().finally(() => {
      this.polling = undefined
    })
    return this.polling
  }

  private async pollPending(): Promise<void> {
    if (this.stopped)
      return
    try {
      if (this.down) {
        await this.resync('the database is back')
        return
      }
      if (this.pending.size === 0) {
        await this.db.query('select 1')
        return
      }
      const tables = [...this.pending]
      this.pending.clear()
      const changes: Change[] = []
      for (const table of tables)
        await this.pollTable(table, changes)
      if (changes.length > 0)
        this.handlers?.onChanges(changes)
    }
    catch (error) {
      this.markDown(error as Error)
    }
  }

  private async pollTable(table: SourceTable, changes: Change[]): Promise<void> {
    const mark = this.watermarks.get(table) ?? { us: 0, seen: new Map() }
    this.watermarks.set(table, mark)
    const overlapUs = this.options.overlapMs * 1000
    const select = `select ${selectList(table)} from ${quoteIdent(table)}`
    const order = `order by "updated_at", "id" limit ${this.options.batchSize}`
    // First page: everything from the overlap on; further pages: keyset after the last row read.
    let page = await this.db.query<Record<string, unknown> & { updated_us: number }>(
      `${select} where "updated_at" >= $1::timestamptz ${order}`,
      [usToIso(mark.us - overlapUs)],
    )
    for (;;) {
      for (const raw of page.rows) {
        const id = raw.id as number
        const us = raw.updated_us
        if (mark.seen.get(id) === us)
          continue
        mark.seen.set(id, us)
        if (us > mark.us)
          mark.us = us
        changes.push({ table, op: 'upsert', row: normaliseRow(table, raw), at: us / 1000 } as Change)
      }
      const last = page.rows[page.rows.length - 1]
      if (page.rows.length < this.options.batchSize || !last)
        break
      page = await this.db.query<Record<string, unknown> & { updated_us: number }>(
        `${select} where ("updated_at", "id") > ($1::timestamptz, $2) ${order}`,
        [usToIso(last.updated_us), last.id],
      )
    }
    // Forget rows that fell out of the overlap window: they will not be read again.
    const horizon = mark.us - overlapUs
    for (const [id, us] of mark.seen) {
      if (us < horizon)
        mark.seen.delete(id)
    }
  }

  private markDown(error: Error): void {
    if (!this.down) {
      this.down = { since: Date.now() }
      this.backoffMs = 500
      this.logger.warn({ err: error.message }, 'database unreachable; keeping the last state and retrying')
      this.handlers?.onStatus({ state: 'down', since: this.down.since, error: error.message })
    }
    else {
      this.backoffMs = Math.min(this.backoffMs * 2, 10_000)
    }
  }

  /** Reads a whole new snapshot and hands it over (after an outage, or when asked to reload). */
  async resync(reason: string): Promise<void> {
    try {
      const snapshot = await this.snapshot()
      this.pending.clear()
      const wasDown = this.down
      this.down = undefined
      this.logger.info({ reason }, 'resynchronised from a fresh snapshot')
      this.handlers?.onResync(snapshot)
      if (wasDown)
        this.handlers?.onStatus({ state: 'up', since: Date.now() })
    }
    catch (error) {
      this.markDown(error as Error)
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.safetyTimer)
    clearTimeout(this.notifyTimer)
    await this.polling?.catch(() => {})
    await this.unlisten?.().catch(() => {})
  }
}
