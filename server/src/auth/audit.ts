import type { Database, Queryable } from '../db/types.ts'
import { createHash } from 'node:crypto'
import { formatLocal } from '../domain/calendar.ts'

/** One audit record as written: who, role, when, from where, what, on what, and the outcome. */
export interface AuditEntry {
  actor: string | null
  role: string | null
  ip: string | null
  action: string
  target?: string | null
  outcome: 'success' | 'failure' | 'denied'
  details?: Record<string, unknown> | null
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number
  at: Date
  prevHash: string
  hash: string
}

/** JSON with object keys sorted at every level, so a record hashes the same after a jsonb round trip. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return JSON.stringify(value ?? null)
  if (Array.isArray(value))
    return `[${value.map(canonical).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
}

/** The hash of a record: SHA-256 over the previous record's hash and this record's fields. */
export function recordHash(prevHash: string, at: Date, entry: Required<AuditEntry>): string {
  const fields = [prevHash, at.toISOString(), entry.actor, entry.role, entry.ip, entry.action, entry.target, entry.outcome, entry.details]
  return createHash('sha256').update(canonical(fields)).digest('hex')
}

interface AuditRow {
  id: string | number
  at: Date | string
  actor: string | null
  role: string | null
  ip: string | null
  action: string
  target: string | null
  outcome: AuditEntry['outcome']
  details: Record<string, unknown> | null
  prev_hash: string
  hash: string
}

function toRecord(row: AuditRow): AuditRecord {
  return { id: Number(row.id), at: new Date(row.at), actor: row.actor, role: row.role, ip: row.ip, action: row.action, target: row.target, outcome: row.outcome, details: row.details, prevHash: row.prev_hash, hash: row.hash }
}

/** What `verify` found: the records checked, and the first one whose chain is broken. */
export interface VerifyResult {
  checked: number
  broken: { id: number, reason: string } | null
}

const LOCK = 'select pg_advisory_xact_lock(1667457393)'

/**
 * The audit log: append-only (a trigger refuses updates and deletes), tamper-evident (each record's
 * hash chains to the previous one, so an edited, inserted or removed record breaks the chain), pruned
 * only by `prune`, which moves the chain's anchor and audits itself.
 */
export class AuditLog {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  /** Appends a record (serialised across instances by an advisory lock). */
  async append(entry: AuditEntry): Promise<void> {
    await this.db.transaction(tx => this.appendIn(tx, entry))
  }

  private async appendIn(tx: Queryable, entry: AuditEntry): Promise<void> {
    await tx.query(LOCK)
    const last = await tx.query<{ hash: string }>('select hash from ccapp.audit_log order by id desc limit 1')
    const anchor = await tx.query<{ prev_hash: string }>('select prev_hash from ccapp.audit_anchor where id = 1')
    const prevHash = last.rows[0]?.hash ?? anchor.rows[0]?.prev_hash ?? 'genesis'
    const full: Required<AuditEntry> = { target: null, details: null, ...entry }
    const at = new Date(this.now())
    await tx.query(
      'insert into ccapp.audit_log (at, actor, role, ip, action, target, outcome, details, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [at, full.actor, full.role, full.ip, full.action, full.target, full.outcome, full.details === null ? null : JSON.stringify(full.details), prevHash, recordHash(prevHash, at, full)],
    )
  }

  /** Records in a period (all when open-ended), oldest first. */
  async records(from?: Date, to?: Date): Promise<AuditRecord[]> {
    const result = await this.db.query<AuditRow>(
      'select * from ccapp.audit_log where ($1::timestamptz is null or at >= $1) and ($2::timestamptz is null or at < $2) order by id',
      [from ?? null, to ?? null],
    )
    return result.rows.map(toRecord)
  }

  /** Walks the whole chain from its anchor; names the first record that does not hold. */
  async verify(): Promise<VerifyResult> {
    const anchor = await this.db.query<{ prev_hash: string }>('select prev_hash from ccapp.audit_anchor where id = 1')
    let prev = anchor.rows[0]?.prev_hash ?? 'genesis'
    const records = await this.records()
    for (const record of records) {
      if (record.prevHash !== prev)
        return { checked: records.length, broken: { id: record.id, reason: 'does not follow the record before it (a record was removed or inserted)' } }
      if (recordHash(record.prevHash, record.at, record) !== record.hash)
        return { checked: records.length, broken: { id: record.id, reason: 'its content does not match its hash (it was edited)' } }
      prev = record.hash
    }
    return { checked: records.length, broken: null }
  }

  /**
   * Deletes records older than `retentionDays`, moves the anchor to the oldest record kept, and audits
   * the pruning itself (as `system`). Returns how many records it removed.
   */
  async prune(retentionDays: number): Promise<number> {
    const cutoff = new Date(this.now() - retentionDays * 86_400_000)
    return this.db.transaction(async (tx) => {
      await tx.query(LOCK)
      // Only a prefix of the chain (by id) goes: the records before the first one still within the
      // retention — so the records kept still follow one another, even if clocks once disagreed.
      const first = await tx.query<{ id: string | number, prev_hash: string }>('select id, prev_hash from ccapp.audit_log where at >= $1 order by id limit 1', [cutoff])
      const keptFrom = first.rows[0]
      const last = await tx.query<{ hash: string }>('select hash from ccapp.audit_log order by id desc limit 1')
      await tx.exec('set local ccapp.audit_prune = \'on\'')
      const removed = keptFrom
        ? await tx.query('delete from ccapp.audit_log where id < $1', [keptFrom.id])
        : await tx.query('delete from ccapp.audit_log')
      const count = removed.affectedRows ?? 0
      if (count > 0)
        await tx.query('update ccapp.audit_anchor set prev_hash = $1 where id = 1', [keptFrom?.prev_hash ?? last.rows[0]?.hash ?? 'genesis'])
      await tx.exec('set local ccapp.audit_prune = \'off\'')
      await this.appendIn(tx, { actor: 'system', role: null, ip: null, action: 'audit.prune', outcome: 'success', details: { retentionDays, removed: count, before: cutoff.toISOString() } })
      return count
    })
  }
}

/** The audit records as CSV (UTF-8 with BOM for spreadsheet programs), times in UTC and local. */
export function auditCsv(records: AuditRecord[], timeZone: string): string {
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  const header = ['id', 'at_utc', 'at_local', 'actor', 'role', 'ip', 'action', 'target', 'outcome', 'details', 'hash']
  const lines = records.map(r => [r.id, r.at.toISOString(), formatLocal(r.at, timeZone), r.actor, r.role, r.ip, r.action, r.target, r.outcome, r.details, r.hash].map(cell).join(','))
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`
}
