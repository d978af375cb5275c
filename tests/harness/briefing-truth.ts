/**
 * The briefing's figures computed again, independently, by SQL against the contract: what an
 * inspector does with a printed briefing. Local days are PostgreSQL's own calendar in China Standard
 * Time (`at time zone`), not the server's arithmetic; "open at the end" is a case's last status change
 * at or before the end (its timestamps when it has no history). Ids as the page's `data-metric`.
 */

/** Runs one statement and answers its rows (a pg client's or the embedded database's query). */
export type Sql = <T extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>

/** One figure: a count, or a share with its parts. */
export interface TruthFigure {
  value: number | null
  numerator?: number
  denominator?: number
}

const TZ = `'Asia/Shanghai'`
const OPEN = `('reported', 'accepted', 'dispatched', 'processing', 'fed_back')`
const LEVELS = ['general', 'serious', 'major', 'urgent']

function ratio(numerator: number, denominator: number): TruthFigure {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator }
}

/** The status a case had at $1 (the instant), by its history. */
const STATUS_AT = `coalesce(
  (select e.to_status from case_events e where e.case_id = k.id and e.at <= $1 order by e.at desc, e.id desc limit 1),
  case when k.closed_at <= $1 then k.status when k.dispatched_at <= $1 then 'dispatched' when k.accepted_at <= $1 then 'accepted' else 'reported' end)`

/**
 * The figures of the local days `from`–`to` (`YYYY-MM-DD`) and of as many days before, with the
 * current period's figures as of `end` (its last midnight, or the moment the briefing was made).
 */
export async function briefingTruth(sql: Sql, from: string, to: string, end: Date): Promise<Map<string, TruthFigure>> {
  const out = new Map<string, TruthFigure>()
  const set = (id: string, figure: TruthFigure | number): void => {
    out.set(id, typeof figure === 'number' ? { value: figure } : figure)
  }
  const [cal] = await sql<{ s: Date, ps: Date, days: number, pfrom: string, pto: string }>(
    `select ($1::date)::timestamp at time zone ${TZ} as s,
            ($1::date - ($2::date - $1::date + 1))::timestamp at time zone ${TZ} as ps,
            ($2::date - $1::date + 1)::int as days,
            to_char($1::date - ($2::date - $1::date + 1), 'YYYY-MM-DD') as pfrom,
            to_char($1::date - 1, 'YYYY-MM-DD') as pto`,
    [from, to],
  )
  const periods = [
    { which: 'period', from, to, start: cal!.s, end },
    { which: 'previous', from: cal!.pfrom, to: cal!.pto, start: cal!.ps, end: cal!.s },
  ] as const

  for (const p of periods) {
    const [f] = await sql<Record<string, number>>(
      `select
         (select count(*)::int from cases where reported_at >= $1 and reported_at < $2) as reported,
         (select count(*)::int from cases where reported_at >= $1 and reported_at < $2 and level in ('urgent', 'major')) as urgent,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $1 and closed_at < $2) as closed,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $1 and closed_at < $2 and sla_deadline is not null) as sla_den,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $1 and closed_at < $2 and closed_at <= sla_deadline) as sla_num,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $1 and closed_at < $2 and resolved_level is not null) as settled_den,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $1 and closed_at < $2 and resolved_level in ('grid', 'village')) as settled_num,
         (select count(*)::int from cases where rating is not null and rated_at >= $1 and rated_at < $2) as rated,
         (select count(*)::int from cases where rating in ('satisfied', 'basically_satisfied') and rated_at >= $1 and rated_at < $2) as satisfied`,
      [p.start, p.end],
    )
    set(`${p.which}.reported`, f!.reported!)
    set(`${p.which}.urgentOrMajor`, f!.urgent!)
    set(`${p.which}.closed`, f!.closed!)
    set(`${p.which}.closedWithinSla`, ratio(f!.sla_num!, f!.sla_den!))
    set(`${p.which}.settledAtVillage`, ratio(f!.settled_num!, f!.settled_den!))
    set(`${p.which}.satisfaction`, ratio(f!.satisfied!, f!.rated!))

    // Open and overdue at the period's end, by the history.
    const open = await sql<{ code: string, level: string, village: string | null, late: number | null }>(
      `select k.code, k.level, v.code as village,
              case when k.sla_deadline <= $1 then floor(extract(epoch from ($1::timestamptz - k.sla_deadline)) / 60)::int end as late
       from cases k left join villages v on v.id = k.village_id
       where k.reported_at <= $1 and ${STATUS_AT} in ${OPEN}`,
      [p.end],
    )
    set(`${p.which}.open`, open.length)
    set(`${p.which}.overdue`, open.filter(c => c.late !== null).length)

    const days = await sql<{ d: string, n: number }>(
      `select to_char(g.d, 'YYYY-MM-DD') as d, count(k.id)::int as n
       from generate_series($1::date, $2::date, interval '1 day') as g(d)
       left join cases k on (k.reported_at at time zone ${TZ})::date = g.d::date
       group by g.d`,
      [p.from, p.to],
    )
    for (const d of days)
      set(`daily.${d.d}`, d.n)
    const hours = await sql<{ h: number, n: number }>(
      `select extract(hour from reported_at at time zone ${TZ})::int as h, count(*)::int as n from cases where reported_at >= $1 and reported_at < $2 group by 1`,
      [p.start, p.end],
    )
    for (let h = 0; h < 24; h++)
      set(`hourly.${p.which}.${h}`, hours.find(r => Number(r.h) === h)?.n ?? 0)

    const classes = await sql<{ code: string, n: number }>(
      `with recursive up(id, root) as (
         select id, id from case_categories where parent_id is null
         union all
         select c.id, up.root from case_categories c join up on c.parent_id = up.id)
       select r.code, count(k.id)::int as n from case_categories r
       left join up on up.root = r.id
       left join cases k on k.category_id = up.id and k.reported_at >= $1 and k.reported_at < $2
       where r.parent_id is null group by r.code`,
      [p.start, p.end],
    )
    for (const c of classes)
      set(`category.${c.code}.${p.which}`, c.n)
    const leaves = await sql<{ code: string, n: number }>(
      `select c.code, count(k.id)::int as n from case_categories c left join cases k on k.category_id = c.id and k.reported_at >= $1 and k.reported_at < $2
       where c.parent_id is not null group by c.code`,
      [p.start, p.end],
    )
    for (const c of leaves)
      set(`subcategory.${c.code}.${p.which}`, c.n)
    const villages = await sql<{ code: string, n: number }>(
      `select v.code, count(k.id)::int as n from villages v left join cases k on k.village_id = v.id and k.reported_at >= $1 and k.reported_at < $2
       where v.active group by v.code`,
      [p.start, p.end],
    )
    for (const v of villages)
      set(`village.${v.code}.${p.which}`, v.n)

    const tiers = await sql<{ level: string, reported: number, num: number, den: number }>(
      `select l.level,
              count(k.id) filter (where k.reported_at >= $1 and k.reported_at < $2)::int as reported,
              count(k.id) filter (where k.status = 'closed' and k.closed_at >= $1 and k.closed_at < $2 and k.closed_at <= k.sla_deadline)::int as num,
              count(k.id) filter (where k.status = 'closed' and k.closed_at >= $1 and k.closed_at < $2 and k.sla_deadline is not null)::int as den
       from (values ('general'), ('serious'), ('major'), ('urgent')) as l(level) left join cases k on k.level = l.level
       group by l.level`,
      [p.start, p.end],
    )
    for (const t of tiers) {
      if (p.which === 'period') {
        set(`sla.${t.level}.reported`, t.reported)
        set(`sla.${t.level}.closedWithinSla`, ratio(t.num, t.den))
      }
      else {
        set(`sla.${t.level}.previousClosedWithinSla`, ratio(t.num, t.den))
      }
    }

    if (p.which === 'period') {
      for (const level of LEVELS) {
        set(`sla.${level}.open`, open.filter(c => c.level === level).length)
        set(`sla.${level}.overdue`, open.filter(c => c.level === level && c.late !== null).length)
      }
      const villageCodes = (await sql<{ code: string }>('select code from villages where active')).map(v => v.code)
      for (const code of villageCodes)
        set(`village.${code}.overdue`, open.filter(c => c.village === code && c.late !== null).length)
      set('overdue.total', open.filter(c => c.late !== null).length)
      for (const c of open.filter(c => c.late !== null))
        set(`overdue.${c.code}.lateMinutes`, c.late!)
      const grids = await sql<{ code: string, n: number }>(
        `select g.code, count(k.id)::int as n from grids g left join cases k on k.grid_id = g.id and k.reported_at >= $1 and k.reported_at < $2
         where g.active group by g.code`,
        [p.start, p.end],
      )
      for (const g of grids)
        set(`grid.${g.code}.period`, g.n)
    }
  }
  return out
}

/** Differences between figures shown and the database's (empty when they agree). */
export function compareTruth(shown: { id: string, value: number | null, numerator?: number, denominator?: number }[], truth: Map<string, TruthFigure>): string[] {
  const problems: string[] = []
  const close = (a: number | null | undefined, b: number | null | undefined): boolean =>
    (a === null || a === undefined) ? (b === null || b === undefined) : (b !== null && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))
  for (const figure of shown) {
    const expected = truth.get(figure.id)
    if (!expected) {
      problems.push(`${figure.id}: shown but not computed by the test`)
      continue
    }
    if (!close(figure.value, expected.value))
      problems.push(`${figure.id}: shown ${figure.value}, database ${expected.value}`)
    if (expected.denominator !== undefined && (figure.numerator !== expected.numerator || figure.denominator !== expected.denominator))
      problems.push(`${figure.id}: shown ${figure.numerator}/${figure.denominator}, database ${expected.numerator}/${expected.denominator}`)
  }
  return problems
}
