import type { Server as SocketServer } from 'socket.io'
import type { Logger } from '../logger.ts'
import type { Dirty, EngineOptions } from '../metrics/engine.ts'
import type { Change, SourceTable } from '../contract/rows.ts'
import type { ContractSource, Snapshot as SourceSnapshot } from '../sources/source.ts'
import type { ClientToServerEvents, Frame, LiveStatus, Provenance, ServerToClientEvents, Snapshot, Topic, TopicData } from '../wire/index.ts'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { buildEngine, emptyDirty, MetricsEngine } from '../metrics/engine.ts'
import { ProvenanceLog } from './provenance.ts'
import { frameData, snapshotData } from '../metrics/views.ts'
import { TOPICS } from '../wire/index.ts'

/** Who watches the hub for the operator's metrics (`ops/metrics.ts`). */
export interface HubObserver {
  /** Changes from these tables were applied. */
  changes: (tables: Set<string>) => void
  /** A frame went out: its topic, size (JSON bytes), and the commit times of the changes it is the first to carry. */
  frame: (topic: Topic, bytes: number, commitTimes: number[]) => void
  /** A snapshot was read and built in `ms`. */
  snapshot: (ms: number) => void
}

export interface HubOptions {
  /** Minimum milliseconds between two frames of one topic. */
  frameIntervalMs: number
  /** How often the clock moves (SLA deadlines turning overdue, midnight). */
  tickMs: number
  /** How often the status (with its age) is repeated to every screen. */
  statusIntervalMs: number
  engine?: EngineOptions
  /**
   * false: one emit per change, as a naive server would (the benchmark's baseline for the CPU that
   * framing saves). Default true.
   */
  batch?: boolean
}

const DEFAULTS: HubOptions = { frameIntervalMs: 100, tickMs: 1000, statusIntervalMs: 5000 }

const topicsSchema = z.array(z.enum(TOPICS)).max(TOPICS.length)

/** Topics set by a request rather than by the database (the case pushed to the wall). */
const outsideSchema = z.enum(['push'])
type OutsideTopic = z.infer<typeof outsideSchema>
/** The server-to-server event (through the Redis adapter) that carries an outside topic to the other instances. */
const OUTSIDE_EVENT = 'cc:outside'

type IO = SocketServer<ClientToServerEvents, ServerToClientEvents>

/**
 * The live heart of the server: keeps the metrics engine current from the contract source and
 * pushes what changed to the screens' topic rooms, batched into numbered frames.
 */
export class LiveHub {
  engine: MetricsEngine
  version: string = randomUUID()
  private readonly source: ContractSource
  private readonly logger: Logger
  private readonly options: HubOptions
  private io: IO | undefined
  private readonly seq = new Map<Topic, number>()
  private readonly lastSent = new Map<Topic, number>()
  private readonly scheduled = new Map<Topic, NodeJS.Timeout | NodeJS.Immediate>()
  private pending: Dirty = emptyDirty()
  private status: { database: 'up' | 'down', since: number } = { database: 'up', since: Date.now() }
  private asOf = Date.now()
  private tickTimer: NodeJS.Timeout | undefined
  private statusTimer: NodeJS.Timeout | undefined
  /** Counters for the bench and the logs. */
  readonly stats = { changes: 0, frames: 0, resyncs: 0 }
  /** The operator's metrics, when attached. */
  observer: HubObserver | undefined
  /** Topics whose data is not the engine's (the case pushed to the wall): their current value. */
  private readonly outside = new Map<Topic, unknown>()
  /** Commit times of changes applied since the last frame (for the commit → push lag); bounded. */
  private commitTimes: number[] = []
  /** Where the figures come from and how fresh they are (`provenance()`). */
  private readonly provenanceLog = new ProvenanceLog()
  private builtAt = Date.now()

  constructor(source: ContractSource, logger: Logger, options: Partial<HubOptions> = {}) {
    this.source = source
    this.logger = logger
    this.options = { ...DEFAULTS, ...options }
    this.engine = new MetricsEngine(Date.now(), this.options.engine)
  }

  /** Loads the snapshot, builds the state and starts following changes. */
  async start(): Promise<void> {
    const started = performance.now()
    const snapshot = await this.source.snapshot()
    this.rebuild(snapshot)
    this.observer?.snapshot(performance.now() - started)
    this.logger.info({ ms: Math.round(performance.now() - started), cases: this.engine.cases.size, cameras: this.engine.cameras.size, mode: this.source.mode }, 'state built from snapshot')
    await this.source.start({
      onChanges: changes => this.applyChanges(changes),
      onResync: (fresh) => {
        this.stats.resyncs++
        const rebuilding = performance.now()
        this.rebuild(fresh)
        this.observer?.snapshot(performance.now() - rebuilding + (fresh.readMs ?? 0))
        for (const topic of TOPICS)
          this.markDirty(topic)
        this.broadcastStatus()
      },
      onStatus: (status) => {
        this.status = { database: status.state, since: status.since }
        this.broadcastStatus()
      },
    })
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs)
    this.statusTimer = setInterval(() => this.broadcastStatus(), this.options.statusIntervalMs)
  }

  private rebuild(snapshot: SourceSnapshot): void {
    this.engine = buildEngine(snapshot.rows, Date.now(), this.options.engine)
    this.builtAt = Date.now()
    for (const table of ['townships', 'villages', 'grids'] as const)
      this.engine.boundariesWritten(snapshot.newest?.[table] ?? 0)
    this.version = randomUUID()
    this.asOf = Date.now()
    this.pending = emptyDirty()
  }

  /** Applies changes from the source and schedules frames for the topics they touched. */
  applyChanges(changes: readonly Change[]): void {
    const dirty = this.pending
    if (this.options.batch === false) {
      for (const change of changes) {
        this.engine.apply(change, dirty)
        for (const topic of [...dirty.topics])
          this.flush(topic)
      }
      this.stats.changes += changes.length
      return
    }
    for (const change of changes)
      this.engine.apply(change, dirty)
    this.stats.changes += changes.length
    this.asOf = Date.now()
    const tables = new Set<SourceTable>()
    for (const change of changes) {
      tables.add(change.table)
      if (change.at !== undefined && this.commitTimes.length < 10_000)
        this.commitTimes.push(change.at)
    }
    this.provenanceLog.changes(tables)
    this.observer?.changes(tables)
    for (const topic of dirty.topics)
      this.markDirty(topic)
  }

  private tick(): void {
    const dirty = this.engine.tick(Date.now(), this.pending)
    if (this.status.database === 'up')
      this.asOf = Date.now()
    for (const topic of dirty.topics)
      this.markDirty(topic)
  }

  /** Attaches Socket.IO: topic rooms, validated and authorised subscriptions, frames. */
  attach(io: IO, mayJoin: (socket: Parameters<Parameters<IO['on']>[1]>[0], topic: Topic) => boolean = () => true): void {
    this.io = io
    // Another instance set an outside topic (a push from a console connected there).
    io.on(OUTSIDE_EVENT, (topic: unknown, data: unknown) => {
      const parsed = outsideSchema.safeParse(topic)
      if (parsed.success)
        this.setOutside(parsed.data, data as TopicData[OutsideTopic])
    })
    io.on('connection', (socket) => {
      // A client sending junk — messages of an unknown kind or malformed (un)subscriptions — gets one
      // warning a minute (with the count), not one log line per message.
      let dropped = 0
      let warnedAt = 0
      const drop = (what: string, event: string): void => {
        dropped++
        const now = Date.now()
        if (now - warnedAt >= 60_000) {
          this.logger.warn({ socket: socket.id, event: event.slice(0, 40), dropped }, what)
          warnedAt = now
          dropped = 0
        }
      }
      socket.onAny((event: string) => {
        if (event !== 'subscribe' && event !== 'unsubscribe')
          drop('dropped messages of an unknown kind', String(event))
      })
      socket.on('subscribe', (topics, ack) => {
        const parsed = topicsSchema.safeParse(topics)
        if (!parsed.success)
          return drop('dropped a malformed subscribe message', 'subscribe')
        const allowed = parsed.data.filter(topic => mayJoin(socket, topic))
        void socket.join(allowed)
        if (typeof ack === 'function')
          ack(allowed)
      })
      socket.on('unsubscribe', (topics) => {
        const parsed = topicsSchema.safeParse(topics)
        if (!parsed.success)
          return drop('dropped a malformed unsubscribe message', 'unsubscribe')
        for (const topic of parsed.data)
          void socket.leave(topic)
      })
      socket.emit('status', this.liveStatus())
    })
  }

  liveStatus(): LiveStatus {
    return { database: this.status.database, since: new Date(this.status.since).toISOString(), version: this.version, asOf: new Date(this.asOf).toISOString() }
  }

  // Frames and the status go to this instance's own screens (`local`): with several instances behind
  // Redis each sends from its own state, which its snapshots come from too — no screen depends on
  // another instance, or on Redis, for its figures.
  private broadcastStatus(): void {
    this.io?.local.emit('status', this.liveStatus())
  }

  /** Sends at once when the topic was idle, else when its ~100 ms interval has passed. */
  private markDirty(topic: Topic): void {
    if (this.scheduled.has(topic))
      return
    const wait = (this.lastSent.get(topic) ?? 0) + this.options.frameIntervalMs - Date.now()
    const handle = wait <= 0
      ? setImmediate(() => this.flush(topic))
      : setTimeout(() => this.flush(topic), wait)
    this.scheduled.set(topic, handle)
  }

  private flush(topic: Topic): void {
    this.scheduled.delete(topic)
    const data = this.topicData(topic)
    this.pending.topics.delete(topic)
    if (!this.io)
      return
    const seq = (this.seq.get(topic) ?? 0) + 1
    this.seq.set(topic, seq)
    this.lastSent.set(topic, Date.now())
    const frame: Frame = { topic, seq, version: this.version, at: new Date().toISOString(), data } as Frame
    this.io.local.to(topic).emit('frame', frame)
    this.stats.frames++
    this.observer?.frame(topic, JSON.stringify(frame).length, this.commitTimes)
    this.provenanceLog.frame(this.commitTimes)
    this.commitTimes = []
  }

  /** The current data of a topic; for delta topics, what changed since the last frame (then forgotten). */
  topicData<T extends Topic>(topic: T): TopicData[T] {
    if (this.outside.has(topic))
      return this.outside.get(topic) as TopicData[T]
    return frameData(this.engine, topic, this.pending)
  }

  /**
   * Sets a topic whose data does not come from the database (the case pushed to the wall) and sends it
   * at once to this instance's screens; with several instances, the Redis adapter tells the others,
   * which do the same for theirs (`OUTSIDE_EVENT`).
   */
  publish<T extends OutsideTopic>(topic: T, data: TopicData[T]): void {
    this.setOutside(topic, data)
    this.io?.serverSideEmit(OUTSIDE_EVENT, topic, data)
  }

  private setOutside<T extends OutsideTopic>(topic: T, data: TopicData[T]): void {
    this.outside.set(topic, data)
    if (!this.io)
      return
    const seq = (this.seq.get(topic) ?? 0) + 1
    this.seq.set(topic, seq)
    this.io.local.to(topic).emit('frame', { topic, seq, version: this.version, at: new Date().toISOString(), data } as Frame)
  }

  /** Where the figures come from: rows held per contract table, their last change, the push lag. */
  provenance(): Provenance {
    const rows = (table: SourceTable): number => (table === 'cases' ? this.engine.cases.size : this.engine.rows[table].size)
    return { ...this.provenanceLog.view(rows, this.builtAt), database: this.status.database, capture: this.source.mode }
  }

  /** Every requested topic's current view, for a screen that (re)starts. */
  snapshot(topics: readonly Topic[] = TOPICS): Snapshot {
    const seq = Object.fromEntries(topics.map(t => [t, this.seq.get(t) ?? 0]))
    const data = snapshotData(this.engine, topics)
    if (topics.includes('push') && this.outside.has('push'))
      data.push = this.outside.get('push') as TopicData['push']
    return { version: this.version, status: this.liveStatus(), seq, data }
  }

  async stop(): Promise<void> {
    clearInterval(this.tickTimer)
    clearInterval(this.statusTimer)
    for (const handle of this.scheduled.values()) {
      clearTimeout(handle as NodeJS.Timeout)
      clearImmediate(handle as NodeJS.Immediate)
    }
    this.scheduled.clear()
    await this.source.stop()
  }
}
