import { createClient } from 'redis'

/** The real Redis used by integration tests when it answers (override: TEST_REDIS_URL). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Whether Redis answers a PING within 2 s. */
export async function redisAvailable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  }
  catch {
    return false
  }
  finally {
    await client.quit().catch(() => {})
  }
}
