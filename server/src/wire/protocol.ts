import type { QueueCase, QueueView, WallPushState } from './console.ts'
import type { AlarmsView, CameraPoint, CasePoint, HeatCells, Overview, Rankings, SlaView, Trends } from './views.ts'

/**
 * The live protocol between the server and every screen (Socket.IO). Both sides import these types
 * (`#wire`); nothing is hand-copied.
 *
 * A screen subscribes to topics (one Socket.IO room each). Changes are batched into frames — sent at
 * once when the room was idle, then at most one frame per ~100 ms — each numbered by a per-topic
 * sequence. A screen that sees a gap in the sequence, a new `version`, or reconnects without
 * Socket.IO's state recovery fetches a fresh snapshot (`GET /api/snapshot`). Every frame is
 * idempotent (whole views, or absolute values for what changed), so a frame that crosses a snapshot
 * on the wire does no harm.
 */

/** The wall's topics (`wall:view`). */
export const WALL_TOPICS = ['overview', 'trends', 'rankings', 'sla', 'cases', 'cameras', 'heat', 'alarms', 'push'] as const
/** The console's own topics (`console:view`). */
export const CONSOLE_TOPICS = ['queue'] as const
export const TOPICS = [...WALL_TOPICS, ...CONSOLE_TOPICS] as const
export type Topic = typeof TOPICS[number]

/** The latest cases (the ticker's feed), newest first. */
export interface CaseFeed {
  asOf: string
  cases: CasePoint[]
}

/** What a frame of each topic carries. */
export interface TopicData {
  overview: Overview
  trends: Trends
  rankings: Rankings
  sla: SlaView
  /**
   * The latest cases, newest first; the cases that arrived since the previous frame (`added`, at most
   * 200, newest first); and those of them that are urgent (紧急/重大), for the alert.
   */
  cases: CaseFeed & { added: CasePoint[], urgent: CasePoint[] }
  /** Cameras whose state changed (whole records) and those removed (ids). */
  cameras: { changed: CameraPoint[], removed: number[] }
  /** Cells whose counts changed (absolute counts). */
  heat: HeatCells
  alarms: AlarmsView
  /** The case pushed to the wall from the console (or none). */
  push: WallPushState
  /** Open cases that changed (whole, with their SLA state) and those no longer open (ids). */
  queue: { asOf: string, changed: QueueCase[], removed: number[] }
}

/** What a snapshot holds of each topic: the whole view (frames of delta topics carry only changes). */
export interface SnapshotData extends Omit<TopicData, 'cameras' | 'queue'> {
  /** Every open case, most urgent first. */
  queue: QueueView
  /** All cameras (frames then carry only the changed ones). */
  cameras: { cameras: CameraPoint[] }
  /** Heat for the last 30 days, all categories (other windows: `GET /api/heat`). */
  heat: HeatCells
}

/** A frame of one topic. */
export type Frame<T extends Topic = Topic> = { [K in T]: {
  topic: K
  /** Per topic, increases by one with every frame this instance sends. */
  seq: number
  /** The state's generation: changes when the server rebuilt its state (start, resync after an outage). */
  version: string
  /** When the frame was sent (ISO). */
  at: string
  data: TopicData[K]
} }[T]

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
  data: Partial<SnapshotData>
}
