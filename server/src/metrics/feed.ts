import type { CaseRow } from '../contract/rows.ts'

/** Whether case `a` was reported after `b` (ties: the higher id is newer). */
function newer(a: CaseRow, b: CaseRow): boolean {
  return a.reported_at > b.reported_at || (a.reported_at === b.reported_at && a.id > b.id)
}

/** The latest cases by report time, newest first, at most `size` of them (the ticker's feed). */
export class LatestCases {
  rows: CaseRow[] = []
  constructor(readonly size: number) {}

  /** Puts a new or changed case in its place (or leaves it out when older than the whole feed). */
  update(row: CaseRow): void {
    const index = this.rows.findIndex(c => c.id === row.id)
    if (index >= 0)
      this.rows.splice(index, 1)
    const last = this.rows[this.rows.length - 1]
    if (this.rows.length >= this.size && last && newer(last, row))
      return
    let at = 0
    while (at < this.rows.length && newer(this.rows[at]!, row))
      at++
    this.rows.splice(at, 0, row)
    if (this.rows.length > this.size)
      this.rows.length = this.size
  }

  /** Takes a case out and refills from `held`, so the feed stays as long as a from-scratch build's. */
  remove(id: number, held: Iterable<CaseRow>): void {
    const index = this.rows.findIndex(c => c.id === id)
    if (index < 0)
      return
    this.rows.splice(index, 1)
    let best: CaseRow | undefined
    for (const row of held) {
      if (this.rows.some(c => c.id === row.id))
        continue
      if (!best || newer(row, best))
        best = row
    }
    const last = this.rows[this.rows.length - 1]
    if (best && (!last || newer(last, best)))
      this.rows.push(best)
  }
}
