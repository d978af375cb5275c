import type { AlarmKind } from '../rows.ts'
import type { SimContext } from './context.ts'
import { localParts } from '../../server/src/domain/calendar.ts'
import { alarmDelays, ALARMS, alarmsPerDay, alarmThreshold, alarmValue, escalation } from '../calibration.ts'
import { householdAddress } from '../names.ts'
import { keyedRandom } from '../random.ts'
import { after, pickGrid, pointIn } from './context.ts'
import { fileCase } from './reports.ts'

// The keyed stream an alarm's delays are drawn from: the same whenever the alarm is looked at again.
const DELAY_STREAM = 2

/** The township's alarms a day at `at`, from its installed devices and the season. */
export function alarmsToday(ctx: SimContext, at: Date): number {
  const perDay = alarmsPerDay(ctx.township.alarmDevices, localParts(at).month)
  return Object.values(perDay).reduce((a, b) => a + b, 0)
}

/** A device goes off: its kind as often as the township's devices and the season make it; some become a case at once. */
export async function raiseAlarm(ctx: SimContext): Promise<void> {
  const at = ctx.now()
  const perDay = alarmsPerDay(ctx.township.alarmDevices, localParts(at).month)
  const kind = ctx.rng.weighted<AlarmKind>(ALARMS.map(spec => spec.kind), ALARMS.map(spec => perDay[spec.kind]))
  const grid = pickGrid(ctx)
  const point = pointIn(ctx, grid, 300)
  const threshold = alarmThreshold(ctx.rng, kind)
  const value = alarmValue(ctx.rng, kind, threshold)
  const filed = escalation(ctx.rng, kind)
  const address = kind === 'water_level' ? null : householdAddress(ctx.rng, grid.villageName)
  await ctx.db.transaction(async (tx) => {
    const caseId = filed ? await fileCase(ctx, tx, { at, grid, point, categoryCode: filed.code, level: filed.level, source: 'iot' }) : null
    await tx.query(
      `insert into iot_alarms (device_code, kind, status, raised_at, lat, lon, grid_id, village_id, value, threshold, case_id, address, updated_at)
       values ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9, $10, $11, $3)`,
      [`IOT-${kind.toUpperCase()}-SIM-${String(ctx.rng.int(1, 9999)).padStart(4, '0')}`, kind, at, point[1], point[0], grid.id, grid.villageId, value, threshold, caseId, address],
    )
  })
  if (filed)
    ctx.stats.reports++
  ctx.stats.alarmsRaised++
}

/** Acknowledges and clears open alarms when due: each waits as long as its own keyed draw of the calibrated delays says. */
export async function advanceAlarms(ctx: SimContext): Promise<void> {
  const t = ctx.now()
  const { rows } = await ctx.db.query<{ id: number, kind: AlarmKind, status: string, updated_at: Date }>(`select id, kind, status, updated_at from iot_alarms where status <> 'cleared' order by raised_at, id limit 200`)
  for (const a of rows) {
    if (ctx.stopping())
      break
    const { toAck, toClear } = alarmDelays(keyedRandom(a.id, DELAY_STREAM), a.kind)
    const updatedAt = new Date(a.updated_at)
    if (a.status === 'active' && updatedAt.getTime() + toAck / ctx.speed <= t.getTime()) {
      await ctx.db.query(`update iot_alarms set status = 'acknowledged', acknowledged_at = $2, updated_at = $2 where id = $1 and status = 'active'`, [a.id, after(t, updatedAt)])
    }
    else if (a.status === 'acknowledged' && updatedAt.getTime() + toClear / ctx.speed <= t.getTime()) {
      await ctx.db.query(`update iot_alarms set status = 'cleared', cleared_at = $2, updated_at = $2 where id = $1 and status = 'acknowledged'`, [a.id, after(t, updatedAt)])
      ctx.stats.alarmsCleared++
    }
  }
}
