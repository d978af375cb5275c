import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client'
import type { ClientToServerEvents, Frame, LiveStatus, ServerToClientEvents, Snapshot, SnapshotData, Topic, TopicData } from '#wire'
import { io } from 'socket.io-client'
import { answer, apiClient } from '../api/rpc.ts'

/** Where a topic's data came from: a snapshot (the whole view) or a frame. */
export type LiveSource = 'snapshot' | 'frame'

/**
 * A topic's data, typed by its topic: a snapshot's whole view or a frame's (the same, except for
 * cameras: a snapshot has them all, `{ cameras }`; a frame only the changes, `{ changed, removed }`).
 */
export type LiveData<K extends Topic = Topic> = SnapshotData[K] | TopicData[K]

/** Where the screen's data stands, for the live/stale indicator. */
export interface LiveState {
  /** The socket is connected to a server. */
  connected: boolean
  /** The server's database answers. */
  database: 'up' | 'down'
  /** The state generation the screen holds. */
  version: string | null
  /** When the figures shown were last known current (ISO from the server), or null before the first snapshot. */
  asOf: string | null
  /** Client time (ms) the screen last heard from the server (a frame, a status or a snapshot). */
  heardAt: number
  /** How many snapshots have been loaded (the first, and every resync). */
  snapshots: number
}

/** Where the data stands before the first connection. */
export function initialLiveState(): LiveState {
  return { connected: false, database: 'up', version: null, asOf: null, heardAt: 0, snapshots: 0 }
}

export interface LiveClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:8080`; '' for the page's own origin. */
  url: string
  /** The topics to subscribe to (the wall: `WALL_TOPICS`). */
  topics: readonly Topic[]
  /** A topic's data from a snapshot (whole) or a frame; `data` is typed by `topic`. */
  onData: <K extends Topic>(topic: K, data: LiveData<K>, from: LiveSource) => void
  onState?: (state: Readonly<LiveState>) => void
  /** Longest wait between reconnection attempts; reconnection never gives up. */
  reconnectDelayMaxMs?: number
}

/**
 * The screen's live connection: subscribes to topics, applies frames in order, and fetches a fresh
 * snapshot whenever it may have missed something — first connect, a reconnect without Socket.IO's
 * state recovery, a gap in a topic's sequence, or a new state version. It never gives up
 * reconnecting (a wall outlives server restarts and power cuts). Framework-free, so tests drive it
 * in Node against a real server.
 */
export class LiveClient {
  readonly state: LiveState = initialLiveState()
  private readonly options: LiveClientOptions
  private readonly api: ReturnType<typeof apiClient>
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined
  private readonly lastSeq = new Map<Topic, number>()
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined
  private snapshotInFlight = false
  private snapshotAgain = false
  private stopped = false

  constructor(options: LiveClientOptions) {
    this.options = options
    this.api = apiClient(options.url)
  }

  start(): void {
    const options: Partial<ManagerOptions & SocketOptions> = {
      transports: ['websocket', 'polling'],
      reconnection: true,
      reconnectionAttempts: Number.POSITIVE_INFINITY,
      reconnectionDelay: 500,
      reconnectionDelayMax: this.options.reconnectDelayMaxMs ?? 5000,
    }
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.options.url || undefined, options)
    this.socket = socket
    socket.on('connect', () => {
      this.update({ connected: true, heardAt: Date.now() })
      socket.emit('subscribe', [...this.options.topics])
      if (!socket.recovered)
        this.requestSnapshot(0)
    })
    socket.on('disconnect', (reason) => {
      this.update({ connected: false })
      // A server-side disconnect is not retried by Socket.IO itself: a wall must always come back.
      if (reason === 'io server disconnect' && !this.stopped)
        socket.connect()
    })
    socket.on('status', status => this.onStatus(status))
    socket.on('frame', frame => this.onFrame(frame))
  }

  private update(patch: Partial<LiveState>): void {
    Object.assign(this.state, patch)
    this.options.onState?.(this.state)
  }

  private onStatus(status: LiveStatus): void {
    this.update({ database: status.database, heardAt: Date.now(), ...(status.database === 'up' ? { asOf: status.asOf } : {}) })
    if (this.state.version !== null && status.version !== this.state.version)
      this.requestSnapshot(0)
  }

  private onFrame(frame: Frame): void {
    this.update({ heardAt: Date.now() })
    if (!this.options.topics.includes(frame.topic))
      return
    const last = this.lastSeq.get(frame.topic)
    if (frame.version === this.state.version && last !== undefined && frame.seq <= last)
      return // already have it (a replay after recovery)
    const gap = frame.version !== this.state.version || (last !== undefined && frame.seq !== last + 1)
    this.lastSeq.set(frame.topic, frame.seq)
    // Frames are whole views or absolute values: applying one is right even when a snapshot is due.
    this.options.onData(frame.topic, frame.data, 'frame')
    if (frame.topic === 'overview')
      this.update({ asOf: frame.data.asOf })
    if (gap)
      this.requestSnapshot(0)
  }

  /** Fetches a snapshot soon (coalescing requests), retrying with backoff until it succeeds. */
  requestSnapshot(delayMs: number): void {
    if (this.stopped)
      return
    if (this.snapshotInFlight) {
      this.snapshotAgain = true
      return
    }
    clearTimeout(this.snapshotTimer)
    this.snapshotTimer = setTimeout(() => void this.loadSnapshot(delayMs), delayMs)
  }

  private async loadSnapshot(previousDelay: number): Promise<void> {
    this.snapshotInFlight = true
    try {
      const snapshot: Snapshot = await answer(this.api.snapshot.$get({ query: { topics: this.options.topics.join(',') } }))
      if (this.stopped)
        return
      this.lastSeq.clear()
      for (const topic of this.options.topics) {
        const seq = snapshot.seq[topic]
        if (seq !== undefined)
          this.lastSeq.set(topic, seq)
        const data = snapshot.data[topic]
        if (data !== undefined)
          this.options.onData(topic, data, 'snapshot')
      }
      this.update({ version: snapshot.version, database: snapshot.status.database, asOf: snapshot.status.asOf, heardAt: Date.now(), snapshots: this.state.snapshots + 1 })
    }
    catch {
      this.snapshotInFlight = false
      this.requestSnapshot(Math.min(Math.max(previousDelay * 2, 500), 10_000))
      return
    }
    this.snapshotInFlight = false
    if (this.snapshotAgain) {
      this.snapshotAgain = false
      this.requestSnapshot(0)
    }
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.snapshotTimer)
    this.socket?.removeAllListeners()
    this.socket?.close()
    this.socket = undefined
  }
}
