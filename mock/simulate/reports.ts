import type { Queryable } from '../../server/src/db/types.ts'
import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { CaseSource } from '../rows.ts'
import type { SimContext, SimGrid } from './context.ts'
import { daysFromSpringFestival, localDateKey, localParts } from '../../server/src/domain/calendar.ts'
import { categoryByCode, classOf, leafCategories } from '../../server/src/domain/categories.ts'
import { categoryWeight, describeReport, pickLevel, REPORTER, reportSource } from '../calibration.ts'
import { pickGrid, pointIn } from './context.ts'

/** A case being filed: when, where, what, how urgent, through which channel. */
export interface NewCase { at: Date, grid: SimGrid, point: [number, number], categoryCode: string, level: CaseLevel, source: CaseSource }

/** The next case code of the township's day (`<township>-<yymmdd>-<seq>`), continuing what the database holds. */
async function nextCode(ctx: SimContext, q: Queryable, township: string, at: Date): Promise<string> {
  const prefix = `${township}-${localDateKey(at).slice(2)}-`
  let seq = ctx.sequences.get(prefix)
  if (seq === undefined) {
    const { rows } = await q.query<{ code: string | null }>(`select max(code) as code from cases where code like $1`, [`${prefix}%`])
    seq = Number(rows[0]?.code?.slice(prefix.length) ?? 0) || 0
  }
  seq++
  ctx.sequences.set(prefix, seq)
  return `${prefix}${String(seq).padStart(4, '0')}`
}

/** Inserts a new case and its first event (inside the caller's transaction); returns its id. */
export async function fileCase(ctx: SimContext, q: Queryable, c: NewCase): Promise<number> {
  const { categoryIds, workersByGrid } = ctx.township
  const category = categoryByCode(c.categoryCode)
  const categoryId = categoryIds.get(c.categoryCode) ?? categoryIds.values().next().value
  if (categoryId === undefined || !category)
    throw new Error(`the database has no case category ${c.categoryCode}`)
  const text = describeReport(ctx.rng, { category, cls: classOf(category).code, villageName: c.grid.villageName, source: c.source, worker: workersByGrid.get(c.grid.id) })
  const code = await nextCode(ctx, q, c.grid.township, c.at)
  const { rows } = await q.query<{ id: number }>(
    `insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at,
       reporter_name, reporter_phone, address, description, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'reported', $9, $10, $11, $12, $13, $9) returning id`,
    [code, categoryId, c.level, c.source, c.point[1], c.point[0], c.grid.id, c.grid.villageId, c.at, text.reporter_name, text.reporter_phone, text.address, text.description],
  )
  const id = rows[0]!.id
  await q.query(`insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at) values ($1, null, 'reported', $2, $3, $2)`, [id, c.at, REPORTER[c.source]])
  return id
}

/** A resident, a patrol or a camera reports a case: of today's category mix, its level and channel by the calibration, in a grid as people live. */
export async function newReport(ctx: SimContext): Promise<void> {
  const at = ctx.now()
  const { month, hour } = localParts(at)
  const festival = daysFromSpringFestival(at)
  const leaves = leafCategories().filter(c => ctx.township.categoryIds.has(c.code))
  if (leaves.length === 0)
    return
  const category = ctx.rng.weighted(leaves, leaves.map(c => categoryWeight(c, month, festival)))
  const cls = classOf(category).code
  const level = pickLevel(ctx.rng, category)
  const source = reportSource(ctx.rng, cls, hour)
  const grid = pickGrid(ctx)
  // Traffic happens along roads, further from the grid's centre.
  const point = pointIn(ctx, grid, cls === 'traffic' ? 400 : 250)
  await ctx.db.transaction(tx => fileCase(ctx, tx, { at, grid, point, categoryCode: category.code, level, source }))
  ctx.stats.reports++
}
