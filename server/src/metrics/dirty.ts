import type { CameraRow, CaseRow } from '../contract/rows.ts'
import type { Topic } from '../wire/index.ts'

export interface EngineOptions {
  /** Days of history kept for windows (the longest window is 30 days). */
  retentionDays?: number
  /** Heat-bin cell size in degrees (≈ 110 m at 0.001°). */
  heatCellDeg?: number
  /** Length of the latest-cases feed. */
  feedSize?: number
  /** Special-population counts below this (but above 0) leave the server as null ("<3"). */
  specialMinCount?: number
}

/** What one batch of changes altered, for the live push. */
export interface Dirty {
  topics: Set<Topic>
  cameras: Map<number, CameraRow | null>
  /** Heat cells whose counts changed; null when nobody needs them (a from-scratch build). */
  heat: Set<number> | null
  /** New urgent or major cases (for the alert), by id. */
  urgent: Map<number, CaseRow>
  /** Cases seen for the first time (for the ticker: every new case, not only the latest few). */
  added: Map<number, CaseRow>
  /** Cases whose row changed or that went away (null), for the console's queue. */
  queue: Map<number, CaseRow | null>
}

export function emptyDirty(): Dirty {
  return { topics: new Set(), cameras: new Map(), heat: new Set(), urgent: new Map(), added: new Map(), queue: new Map() }
}
