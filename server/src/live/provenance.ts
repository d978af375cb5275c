import type { SourceTable } from '../contract/rows.ts'
import type { Provenance as ProvenanceView } from '../wire/index.ts'
import { SOURCE_TABLES } from '../contract/rows.ts'

/** How many recent commit → frame lags are kept for the quantiles. */
const RECENT = 500

/**
 * Where the wall's figures come from, for an inspector asking "is this real?" (`GET /api/provenance`,
 * the wall's `?inspect=1`): per contract table the rows held and when a change of it was last read,
 * and the lag from a row's commit to the frame that carried it (recent quantiles).
 */
export class ProvenanceLog {
  private readonly lastChange = new Map<SourceTable, number>()
  private readonly lags: number[] = []
  private next = 0
  private frames = 0

  changes(tables: Iterable<SourceTable>, now = Date.now()): void {
    for (const table of tables)
      this.lastChange.set(table, now)
  }

  frame(commitTimes: readonly number[], now = Date.now()): void {
    this.frames++
    for (const at of commitTimes) {
      const lag = Math.max(0, now - at)
      if (this.lags.length < RECENT)
        this.lags.push(lag)
      else
        this.lags[this.next] = lag
      this.next = (this.next + 1) % RECENT
    }
  }

  view(rows: (table: SourceTable) => number, startedAt: number, now = Date.now()): Omit<ProvenanceView, 'database' | 'capture'> {
    const sorted = [...this.lags].sort((a, b) => a - b)
    const quantile = (q: number): number | null => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!)
    return {
      asOf: new Date(now).toISOString(),
      since: new Date(startedAt).toISOString(),
      tables: SOURCE_TABLES.map(table => ({ table, rows: rows(table), lastChangeAt: this.lastChange.has(table) ? new Date(this.lastChange.get(table)!).toISOString() : null })),
      lagMs: { samples: sorted.length, p50: quantile(0.5), p95: quantile(0.95), max: sorted.length === 0 ? null : sorted[sorted.length - 1]! },
    }
  }
}
