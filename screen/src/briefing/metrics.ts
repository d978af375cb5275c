import type { Briefing, BriefingFigures, Ratio } from '#wire'

/**
 * The briefing's figure ids (`data-metric`), as the wall's (`panels/metrics.ts`): every figure on the
 * page carries its id and raw value, so that an inspector or a test can check it against SQL. Pure:
 * the page and the tests read the same list.
 */

/** One figure: its id and raw value (a share as 0–1 with its parts). */
export interface BriefingMetric {
  id: string
  value: number | Ratio
}

/** The headline figures, in the order the page shows them. */
export const HEADLINE = ['reported', 'urgentOrMajor', 'closed', 'closedWithinSla', 'settledAtVillage', 'satisfaction', 'open', 'overdue'] as const satisfies readonly (keyof BriefingFigures)[]

export const BRIEFING_METRIC = {
  figure: (which: 'period' | 'previous', key: keyof BriefingFigures) => `${which}.${key}`,
  daily: (day: string) => `daily.${day}`,
  hourly: (which: 'period' | 'previous', hour: number) => `hourly.${which}.${hour}`,
  category: (code: string, which: 'period' | 'previous') => `category.${code}.${which}`,
  subcategory: (code: string, which: 'period' | 'previous') => `subcategory.${code}.${which}`,
  village: (code: string, field: 'period' | 'previous' | 'overdue') => `village.${code}.${field}`,
  sla: (level: string, field: 'reported' | 'closedWithinSla' | 'previousClosedWithinSla' | 'open' | 'overdue') => `sla.${level}.${field}`,
  overdueTotal: 'overdue.total',
  late: (code: string) => `overdue.${code}.lateMinutes`,
  grid: (code: string) => `grid.${code}.period`,
} as const

/** Every figure a briefing holds, by id (what the page shows carries these ids). */
export function briefingMetrics(b: Briefing): BriefingMetric[] {
  const m = BRIEFING_METRIC
  const out: BriefingMetric[] = []
  for (const which of ['period', 'previous'] as const) {
    for (const key of HEADLINE)
      out.push({ id: m.figure(which, key), value: b.figures[which][key] })
    for (const d of b.daily[which])
      out.push({ id: m.daily(d.day), value: d.count })
    b.hourly[which].forEach((count, hour) => out.push({ id: m.hourly(which, hour), value: count }))
    for (const c of b.categories)
      out.push({ id: m.category(c.code, which), value: c[which] })
    for (const c of b.subcategories)
      out.push({ id: m.subcategory(c.code, which), value: c[which] })
  }
  for (const v of b.villages) {
    out.push({ id: m.village(v.code, 'period'), value: v.period }, { id: m.village(v.code, 'previous'), value: v.previous }, { id: m.village(v.code, 'overdue'), value: v.overdue })
  }
  for (const t of b.sla) {
    out.push(
      { id: m.sla(t.level, 'reported'), value: t.reported },
      { id: m.sla(t.level, 'closedWithinSla'), value: t.closedWithinSla },
      { id: m.sla(t.level, 'previousClosedWithinSla'), value: t.previousClosedWithinSla },
      { id: m.sla(t.level, 'open'), value: t.open },
      { id: m.sla(t.level, 'overdue'), value: t.overdue },
    )
  }
  out.push({ id: m.overdueTotal, value: b.overdue.total })
  for (const c of b.overdue.cases)
    out.push({ id: m.late(c.code), value: c.lateMinutes })
  for (const g of b.grids)
    out.push({ id: m.grid(g.code), value: g.period })
  return out
}

/** The attributes a figure's element carries: `data-metric`, `data-value` and, for a share, its parts. */
export function figureAttrs(id: string, value: number | Ratio): Record<string, string | number> {
  if (typeof value === 'object')
    return { 'data-metric': id, 'data-value': value.value ?? '', 'data-numerator': value.numerator, 'data-denominator': value.denominator }
  return { 'data-metric': id, 'data-value': value }
}
