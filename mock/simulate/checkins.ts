import type { SimContext } from './context.ts'
import { localParts } from '../../server/src/domain/calendar.ts'
import { dutyChance } from '../calibration.ts'
import { pointIn } from './context.ts'

/** A grid worker checks in from somewhere in their grid, on duty as likely as the hour makes it. */
export async function checkIn(ctx: SimContext): Promise<void> {
  const { workers, grids } = ctx.township
  if (workers.length === 0)
    return
  const worker = ctx.rng.pick(workers)
  const grid = grids.find(g => g.id === worker.gridId)
  if (!grid)
    return
  const at = ctx.now()
  const duty = ctx.rng.chance(dutyChance(localParts(at).hour)) ? 'on_duty' : 'off_duty'
  const [lon, lat] = pointIn(ctx, grid, 300)
  await ctx.db.query(
    `update grid_workers set duty_status = $2, last_checkin_at = $3, last_checkin_lat = $4, last_checkin_lon = $5, updated_at = $3 where id = $1`,
    [worker.id, duty, at, lat, lon],
  )
  ctx.stats.checkins++
}
