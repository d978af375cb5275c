import type { Server as SocketServer } from 'socket.io'
import type { Logger } from '../logger.ts'
import { randomUUID } from 'node:crypto'
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'

/** Leadership lasts this long unless renewed; renewed three times as often. */
const LEADER_TTL_MS = 6000

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`

export interface RedisLink {
  /** Whether this instance sends the frames (one instance does; the adapter carries them to all). */
  isLeader: () => boolean
  close: () => Promise<void>
}

/**
 * Several server instances behind a load balancer: `@socket.io/redis-adapter` carries every frame to
 * the screens connected to any instance, and a Redis lease elects the one instance that sends frames
 * (each instance keeps its own state for snapshots; only the leader's frames go out, so screens never
 * see the same change twice). When the leader dies, another takes over within the lease; its frame
 * numbers differ, which the screens read as a gap and answer with a fresh snapshot.
 */
export async function linkRedis(io: SocketServer, url: string, logger: Logger, prefix = 'cc', onElected: () => void = () => {}): Promise<RedisLink> {
  const pub = createClient({ url, socket: { reconnectStrategy: retries => Math.min(100 * 2 ** retries, 5000) } })
  const sub = pub.duplicate()
  for (const client of [pub, sub])
    client.on('error', error => logger.warn({ err: (error as Error).message }, 'redis error'))
  await Promise.all([pub.connect(), sub.connect()])
  io.adapter(createAdapter(pub, sub, { key: `${prefix}#socket.io` }))

  const me = randomUUID()
  const key = `${prefix}:leader`
  let leader = false
  let stopped = false
  const campaign = async (): Promise<void> => {
    try {
      if (leader) {
        leader = (await pub.eval(RENEW, { keys: [key], arguments: [me, String(LEADER_TTL_MS)] })) === 1
      }
      else {
        leader = (await pub.set(key, me, { NX: true, PX: LEADER_TTL_MS })) === 'OK'
        if (leader) {
          logger.info({ instance: me }, 'this instance now sends the live frames')
          // Frames may have gone unsent while no instance led (a dead leader, a Redis restart): a full
          // round of whole views, whose new sequence makes every screen take a fresh snapshot.
          onElected()
        }
      }
    }
    catch (error) {
      logger.warn({ err: (error as Error).message }, 'redis leadership check failed')
    }
  }
  await campaign()
  const timer = setInterval(() => {
    if (!stopped)
      void campaign()
  }, LEADER_TTL_MS / 3)

  return {
    isLeader: () => leader,
    async close() {
      stopped = true
      clearInterval(timer)
      if (leader)
        await pub.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`, { keys: [key], arguments: [me] }).catch(() => {})
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}
