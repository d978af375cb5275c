import type { Server as SocketServer } from 'socket.io'
import type { Logger } from '../logger.ts'
import { randomUUID } from 'node:crypto'
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'

/** How often each instance checks that its subscriber hears Redis (a message to itself). */
const PROBE_MS = 3000
/** Probes published but not heard back before the subscriber is taken for deaf and reconnected. */
const DEAF_AFTER = 3

export interface RedisLink {
  /** Makes Socket.IO carry messages between instances through Redis (at once: call it before any connection). */
  attach: (io: SocketServer) => void
  /** Whether the last probe came back through Redis (messages between instances flow). */
  healthy: () => boolean
  /** How many times the subscriber was found deaf and reconnected. */
  heals: () => number
  close: () => Promise<void>
}

/**
 * Several server instances behind a load balancer. Each instance keeps its own state and sends the
 * frames to its own screens (`LiveHub`), so the figures never depend on Redis. Redis carries what one
 * instance must tell the others (`@socket.io/redis-adapter`): a case pushed to the wall from a console
 * on another instance, a session revoked there.
 *
 * Redis pub/sub forgets a subscriber whose connection dropped, and a client that reconnects has been
 * seen to stay deaf (after a Redis restart one instance in three stopped hearing the others). So each
 * instance publishes a probe to itself every few seconds; when `DEAF_AFTER` probes in a row do not come
 * back while publishing works, the subscriber is reconnected (and re-subscribes every channel).
 */
export async function linkRedis(url: string, logger: Logger, prefix = 'cc'): Promise<RedisLink> {
  const pub = createClient({ url, socket: { reconnectStrategy: retries => Math.min(100 * 2 ** retries, 5000) } })
  const sub = pub.duplicate()
  for (const client of [pub, sub])
    client.on('error', error => logger.warn({ err: (error as Error).message }, 'redis error'))
  await Promise.all([pub.connect(), sub.connect()])

  const channel = `${prefix}:probe:${randomUUID()}`
  let sent = 0
  let heard = 0
  let healthy = true
  let heals = 0
  let healing = false
  let stopped = false
  await sub.subscribe(channel, (message) => {
    heard = Math.max(heard, Number(message) || 0)
    if (!healthy && heard === sent) {
      healthy = true
      logger.info('redis: messages between instances flow again')
    }
  })

  const heal = async (): Promise<void> => {
    healing = true
    heals++
    logger.warn({ unanswered: sent - heard }, 'redis: this instance no longer hears its own probes; reconnecting the subscriber')
    try {
      sub.destroy()
      await sub.connect()
      heard = sent
    }
    catch (error) {
      logger.warn({ err: (error as Error).message }, 'redis: reconnecting the subscriber failed; trying again')
    }
    finally {
      healing = false
    }
  }

  const probe = async (): Promise<void> => {
    if (stopped || healing)
      return
    try {
      await pub.publish(channel, String(++sent))
    }
    catch {
      // Redis itself is away: the clients reconnect by themselves; nothing to heal yet.
      heard = sent
      healthy = false
      return
    }
    if (sent - heard > 1)
      healthy = false
    if (sent - heard >= DEAF_AFTER)
      await heal()
  }
  const timer = setInterval(() => void probe(), PROBE_MS)
  timer.unref()

  return {
    attach: (io) => {
      io.adapter(createAdapter(pub, sub, { key: `${prefix}#socket.io` }))
    },
    healthy: () => healthy,
    heals: () => heals,
    async close() {
      stopped = true
      clearInterval(timer)
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}
