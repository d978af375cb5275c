import type { SimContext } from './context.ts'
import { CALIBRATION } from '../calibration.ts'

/**
 * The flap to make, keeping the shares of offline and alarming cameras near the calibrated ones: a side
 * over its share recovers first; below both, a camera fails, into an alarm as often as alarms are
 * common among failures.
 */
function nextFlap(ctx: SimContext, s: { total: number, offline: number, alarm: number }): { from: string, to: string } {
  const offlineShare = 1 - CALIBRATION.cameraOnlineRate
  if (s.alarm / s.total > CALIBRATION.cameraAlarmRate)
    return { from: 'alarm', to: 'online' }
  if (s.offline / s.total > offlineShare)
    return { from: 'offline', to: 'online' }
  return ctx.rng.chance(CALIBRATION.cameraAlarmRate / (CALIBRATION.cameraAlarmRate + offlineShare)) ? { from: 'online', to: 'alarm' } : { from: 'online', to: 'offline' }
}

/** A camera drops off, comes back, or raises or clears an alarm. */
export async function flapCamera(ctx: SimContext): Promise<void> {
  const at = ctx.now()
  const { rows } = await ctx.db.query<{ total: number, offline: number, alarm: number }>(
    `select count(*)::int as total, count(*) filter (where status = 'offline')::int as offline, count(*) filter (where status = 'alarm')::int as alarm from cameras where active`,
  )
  const s = rows[0]
  if (!s || s.total === 0)
    return
  const { from, to } = nextFlap(ctx, s)
  const pick = await ctx.db.query<{ id: number }>(`select id from cameras where active and status = $1 order by random() limit 1`, [from])
  const id = pick.rows[0]?.id
  if (id === undefined)
    return
  // An offline camera keeps its last heartbeat; one coming back reports a fresh one.
  await ctx.db.query(
    `update cameras set status = $2, updated_at = $3${to === 'offline' ? '' : ', last_heartbeat_at = $3'} where id = $1 and status = $4`,
    [id, to, at, from],
  )
  ctx.stats.cameraChanges++
}

/** The video platform's batched heartbeats: every camera not offline reports in, once per `intervalMs`. */
export async function syncHeartbeats(ctx: SimContext, intervalMs: number): Promise<void> {
  const at = ctx.now()
  const result = await ctx.db.query(
    `update cameras set last_heartbeat_at = $1, updated_at = $1 where active and status <> 'offline' and (last_heartbeat_at is null or last_heartbeat_at < $2)`,
    [at, new Date(at.getTime() - intervalMs)],
  )
  ctx.stats.heartbeats += result.affectedRows ?? 0
}
