import type { Server as SocketServer } from 'socket.io'
import type { SocketData } from '../live/socket-auth.ts'
import type { LiveHub } from '../live/hub.ts'
import type { RedisLink } from '../live/redis.ts'
import { Counter, Gauge, Histogram, collectDefaultMetrics, Registry } from 'prom-client'
import { SOURCE_TABLES } from '../contract/rows.ts'

/**
 * What an operator scrapes at `/metrics` (Prometheus text format, prom-client): connected screens by
 * kind, frames and bytes sent by topic, commit → push lag, time since the last change per table,
 * database up, snapshot build time, and the process's own (RSS, heap, event-loop delay, handles).
 */
export class OpsMetrics {
  readonly registry = new Registry()
  readonly frames = new Counter({ name: 'cc_frames_sent_total', help: 'Live frames sent to screens, by topic', labelNames: ['topic'], registers: [this.registry] })
  readonly bytes = new Counter({ name: 'cc_frame_bytes_sent_total', help: 'Bytes of live frames sent (JSON, before compression), by topic', labelNames: ['topic'], registers: [this.registry] })
  readonly lag = new Histogram({ name: 'cc_commit_to_push_seconds', help: 'From a row\'s commit (its updated_at) to the first frame that carries it', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] })
  readonly snapshotSeconds = new Gauge({ name: 'cc_snapshot_build_seconds', help: 'How long the last snapshot (start or resync) took to read and build', registers: [this.registry] })
  private readonly lastChange = new Map<string, number>()
  private redis: RedisLink | undefined

  constructor(hub: LiveHub, io: () => SocketServer | undefined, startedAt = Date.now()) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 })
    const registers = [this.registry]
    new Gauge({ name: 'cc_database_up', help: '1 while the contract database answers', registers, collect() {
      this.set(hub.liveStatus().database === 'up' ? 1 : 0)
    } })
    const redis = (): RedisLink | undefined => this.redis
    new Gauge({ name: 'cc_redis_up', help: '1 while messages between instances flow through Redis (absent without REDIS_URL)', registers, collect() {
      const link = redis()
      if (link)
        this.set(link.healthy() ? 1 : 0)
    } })
    new Gauge({ name: 'cc_redis_subscriber_reconnects', help: 'Times the Redis subscriber was found deaf and reconnected since start', registers, collect() {
      const link = redis()
      if (link)
        this.set(link.heals())
    } })
    const lastChange = this.lastChange
    new Gauge({ name: 'cc_seconds_since_last_change', help: 'Seconds since the last change read from each contract table (since start when none)', labelNames: ['table'], registers, collect() {
      const now = Date.now()
      for (const table of SOURCE_TABLES)
        this.set({ table }, (now - (lastChange.get(table) ?? startedAt)) / 1000)
    } })
    new Gauge({ name: 'cc_screens_connected', help: 'Live connections, by kind (display, a person\'s role, or anonymous on an open wall)', labelNames: ['kind'], registers, collect() {
      this.reset()
      const counts = new Map<string, number>()
      for (const socket of io()?.of('/').sockets.values() ?? []) {
        const role = (socket.data as SocketData | undefined)?.role ?? 'anonymous'
        counts.set(role, (counts.get(role) ?? 0) + 1)
      }
      for (const [kind, n] of counts)
        this.set({ kind }, n)
    } })
    hub.observer = {
      changes: (tables) => {
        const now = Date.now()
        for (const table of tables)
          lastChange.set(table, now)
      },
      frame: (topic, bytes, commitTimes) => {
        this.frames.inc({ topic })
        this.bytes.inc({ topic }, bytes)
        const now = Date.now()
        for (const at of commitTimes)
          this.lag.observe(Math.max(0, (now - at) / 1000))
      },
      snapshot: ms => this.snapshotSeconds.set(ms / 1000),
    }
  }

  /** The Redis link whose health the metrics report (several instances). */
  watchRedis(link: RedisLink | undefined): void {
    this.redis = link
  }

  /** The exposition, and its content type. */
  async scrape(): Promise<{ body: string, contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType }
  }
}
