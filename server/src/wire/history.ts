import type { SnapshotData } from './protocol.ts'
import type { HeatBins } from './views.ts'

/**
 * `GET /api/history/snapshot?at=…`: the wall's views as they were at a past moment (the time machine).
 * `data` has the shape of a live snapshot's `data`, computed from the case history as of `at`.
 */
export interface HistorySnapshot {
  /** The moment shown (ISO-8601, UTC). */
  at: string
  /**
   * The contract keeps no history of the cameras' states, nor of the registry tables (villages, grids,
   * population, party, workers' duty): those are shown as they are now.
   */
  camerasAsOfNow: true
  registryAsOfNow: true
  /** The earliest moment that may be asked for (the retained history), ISO-8601. */
  earliest: string
  data: Partial<SnapshotData>
  /** The heat of one category as of `at`, when asked for (`heatCategory`, `heatWindow`): the map's filter. */
  categoryHeat?: HeatBins
}

/** `GET /api/history/hours?from=…&to=…`: cases reported in each hour, for the time machine's scrubber. */
export interface HistoryHours {
  from: string
  to: string
  /** One entry per hour from `from` to `to`, zeros included; `hour` is the hour's start (ISO-8601). */
  hours: { hour: string, count: number }[]
}
