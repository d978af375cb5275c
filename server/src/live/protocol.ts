import type { AlarmPoint, CameraPoint, CasePoint, Overview, Rankings, SlaTierView, Trends } from '../metrics/views.ts'

/**
 * The live protocol between the server and every screen (Socket.IO). The screen imports these types;
 * nothing is hand-copied on the other side.
 *
 * A screen subscribes to topics (one Socket.IO room each). Changes are batched into frames — sent at
 * once when the room was idle, then at most one frame per ~100 ms — each numbered by a per-topic
 * sequence. A screen that sees a gap in the sequence, a new `version`, or reconnects without
 * Socket.IO's state recovery fetches a fresh snapshot (`GET /api/snapshot`). Every frame is
 * idempotent (whole views, or absolute values for what changed), so a frame that crosses a snapshot
 * on the wire does no harm.
 */

export const TOPICS = ['overview', 'trends', 'rankings', 'sla', 'cases', 'cameras', 'heat', 'alarms'] as const
export type Topic = typeof TOPICS[number]

/** A heat cell's new counts: [west lon, south lat, today, last 7 days, last 30 days] (all categories). */
export type HeatCellUpdate = [number, number, number, number, number]

export interface TopicData {
  overview: Overview
  trends: Trends
  rankings: Rankings
  sla: { asOf: string, tiers: SlaTierView[] }
  /**
   * The latest cases, newest first; the cases that arrived since the previous frame (`added`, at most
   * 200, newest first); and those of them that are urgent (紧急/重大), for the alert.
   */
  cases: { asOf: string, cases: CasePoint[], added: CasePoint[], urgent: CasePoint[] }
  /** Cameras whose state changed (whole records) and those removed (ids). */
  cameras: { changed: CameraPoint[], removed: number[] }
  heat: { cellDeg: number, cells: HeatCellUpdate[] }
  alarms: { asOf: string, alarms: AlarmPoint[] }
}

export interface Frame<T extends Topic = Topic> {
  topic: T
  /** Per topic, increases by one with every frame this publisher sends. */
  seq: number
  /** The state's generation: changes when the server rebuilt its state (start, resync after an outage). */
  version: string
  /** When the frame was sent (ISO). */
  at: string
  data: TopicData[T]
}

/** Where the data stands: the database reachable or not, since when, and the state's version. */
export interface LiveStatus {
  database: 'up' | 'down'
  since: string
  version: string
  /** When the figures were last brought up to date with the database (ISO). */
  asOf: string
}

export interface ServerToClientEvents {
  frame: (frame: Frame) => void
  status: (status: LiveStatus) => void
}

export interface ClientToServerEvents {
  /** Joins topic rooms; the ack lists the topics joined (unknown ones are ignored). */
  subscribe: (topics: Topic[], ack?: (joined: Topic[]) => void) => void
  unsubscribe: (topics: Topic[]) => void
}

/** What `GET /api/snapshot` returns: every requested topic's current view. */
export interface Snapshot {
  version: string
  status: LiveStatus
  /** Each topic's last sequence number sent, so a screen can tell which frames it already has. */
  seq: Partial<Record<Topic, number>>
  data: Partial<{
    overview: Overview
    trends: Trends
    rankings: Rankings
    sla: TopicData['sla']
    cases: TopicData['cases']
    /** All cameras (frames then carry only the changed ones). */
    cameras: { cameras: CameraPoint[] }
    /** Heat for the last 30 days, all categories (other windows: `GET /api/heat`). */
    heat: { cellDeg: number, cells: HeatCellUpdate[] }
    alarms: TopicData['alarms']
  }>
}
