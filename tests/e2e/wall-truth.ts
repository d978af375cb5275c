import type { Page } from 'playwright-core'
import type { TestDatabase } from '../harness/postgres.ts'
import pg from 'pg'
import { generateGeography } from '../../mock/geo/index.ts'
import { generateTownshipData } from '../../mock/generate.ts'
import { seedDatabase } from '../../mock/load.ts'
import { openDatabase } from '../../server/src/db/index.ts'
import { totalGivesAwayGrids } from '../../server/src/domain/special-population.ts'
import { createTestDatabase } from '../harness/postgres.ts'

/**
 * The wall's figures computed again, independently, by SQL against the operational database: what
 * inspectors do. Definitions follow docs/CONTRACT.md and the README's "Wall metrics" table, written
 * with PostgreSQL's own calendar functions in China Standard Time (not the server's arithmetic).
 */

const OPEN = `('reported', 'accepted', 'dispatched', 'processing', 'fed_back')`
/** `SPECIAL_POPULATION_MIN_COUNT`'s default (README): smaller special-population counts are shown "<3". */
export const SPECIAL_MIN_COUNT = 3
/** The eight kinds of special population the wall always lists (docs/CONTRACT.md). */
const SPECIAL_KINDS = ['community_correction', 'drug_rehabilitation', 'severe_mental_disorder', 'released_prisoner', 'key_petitioner', 'elderly_alone', 'left_behind_child', 'disabled']
const TZ = `'Asia/Shanghai'`

/** A seeded PostgreSQL database holding the mock township: a year of cases ending now. */
export async function seedTownship(prefix: string): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix)
  const db = await openDatabase({ url: database.url })
  try {
    const geo = generateGeography({ seed: 7 })
    await seedDatabase(db, generateTownshipData(geo, { seed: 7, now: new Date(Date.now() - 60_000) }))
  }
  finally {
    await db.close()
  }
  return database
}

/** One figure: a count or measure, or a ratio with its parts. */
export interface Figure {
  value: number | null
  numerator?: number
  denominator?: number
}

/** Every `data-metric` element on the page (ids may repeat: the same figure shown twice), and the data's time. */
export async function readWall(page: Page): Promise<{ asOf: string, figures: { id: string, figure: Figure }[] }> {
  return page.evaluate(() => {
    const num = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value))
    const figures = [...document.querySelectorAll<HTMLElement>('[data-metric]')].map(el => ({
      id: el.dataset.metric!,
      figure: {
        value: el.dataset.value === '' || el.dataset.value === undefined ? null : Number(el.dataset.value),
        numerator: num(el.dataset.numerator),
        denominator: num(el.dataset.denominator),
      },
    }))
    return { asOf: document.querySelector<HTMLElement>('[data-testid="wall"]')?.dataset.asOf ?? '', figures }
  })
}

function ratio(numerator: number, denominator: number): Figure {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator }
}

/**
 * The contract's case and alarm tables as they stood at `at`, by the test's own SQL, as temporary views
 * that shadow the real tables for this connection (PostgreSQL looks in `pg_temp` first): a case exists
 * once reported; its status is its last `case_events` row at or before T, or without one the status its
 * row's timestamps give; the times after T are not known yet (the deadline is set at dispatch, the
 * settling level at closing). An alarm is open from its raising to its clearing, acknowledged once it was.
 */
export function historyViews(at: Date): string {
  const t = `'${at.toISOString()}'::timestamptz`
  const terminal = `('closed', 'cancelled')`
  return `
    create temporary view cases as
    select c.id, c.code, c.category_id, c.level, c.source, c.lat, c.lon, c.grid_id, c.village_id, s.status, c.reported_at,
           case when c.accepted_at <= ${t} then c.accepted_at end as accepted_at,
           case when c.dispatched_at <= ${t} then c.dispatched_at end as dispatched_at,
           case when c.dispatched_at <= ${t} then c.sla_deadline end as sla_deadline,
           case when s.status in ${terminal} and c.closed_at <= ${t} then c.closed_at end as closed_at,
           case when s.status in ${terminal} and c.closed_at <= ${t} then c.resolved_level end as resolved_level,
           case when c.rated_at <= ${t} then c.rating end as rating,
           case when c.rated_at <= ${t} then c.rated_at end as rated_at
    from public.cases c cross join lateral (select coalesce(
      (select e.to_status from public.case_events e where e.case_id = c.id and e.at <= ${t} order by e.at desc, e.id desc limit 1),
      case when coalesce(c.accepted_at <= ${t}, true) and coalesce(c.dispatched_at <= ${t}, true) and coalesce(c.closed_at <= ${t}, true) then c.status
           when c.closed_at <= ${t} then case when c.status in ${terminal} then c.status else 'closed' end
           when c.dispatched_at <= ${t} then 'dispatched'
           when c.accepted_at <= ${t} then 'accepted'
           else 'reported' end) as status) s
    where c.reported_at <= ${t};
    create temporary view iot_alarms as
    select a.id, a.device_code, a.kind, case when a.acknowledged_at <= ${t} then 'acknowledged' else 'active' end as status, a.raised_at, a.grid_id, a.village_id
    from public.iot_alarms a where a.raised_at <= ${t} and (a.cleared_at is null or a.cleared_at > ${t});`
}

/**
 * The figures as the database has them at `asOf` (the moment the wall's figures are current to);
 * `history`: as they were at that past moment (the time machine), from the case history.
 */
export async function truthAt(url: string, asOf: Date, history = false): Promise<Map<string, Figure>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  if (history)
    await client.query(historyViews(asOf))
  const out = new Map<string, Figure>()
  const rows = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => (await client.query<T>(sql, params)).rows
  try {
    // Local (UTC+8) calendar: today, yesterday and the 30-day window, as PostgreSQL reckons them.
    const [cal] = await rows<{ today: string, t0: Date, y0: Date, w0: Date }>(
      `select to_char(($1::timestamptz at time zone ${TZ})::date, 'YYYY-MM-DD') as today,
              (($1::timestamptz at time zone ${TZ})::date)::timestamp at time zone ${TZ} as t0,
              (($1::timestamptz at time zone ${TZ})::date - 1)::timestamp at time zone ${TZ} as y0,
              (($1::timestamptz at time zone ${TZ})::date - 29)::timestamp at time zone ${TZ} as w0`,
      [asOf],
    )
    const { t0, y0, w0 } = cal!
    const set = (id: string, figure: Figure | number | null): void => {
      out.set(id, typeof figure === 'object' && figure !== null ? figure : { value: figure })
    }

    // Overview.
    const [o] = await rows<Record<string, number>>(
      `select
         (select count(*)::int from cases where reported_at >= $1 and reported_at < $1::timestamptz + interval '1 day') as today_new,
         (select count(*)::int from cases where status in ${OPEN}) as open,
         (select count(*)::int from cases where status in ${OPEN} and sla_deadline <= $3) as overdue,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $2 and sla_deadline is not null) as sla_den,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $2 and closed_at <= sla_deadline) as sla_num,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $2 and resolved_level is not null) as settled_den,
         (select count(*)::int from cases where status = 'closed' and closed_at >= $2 and resolved_level in ('grid', 'village')) as settled_num,
         (select count(*)::int from cases where rating is not null and rated_at >= $2) as rated,
         (select count(*)::int from cases where rating in ('satisfied', 'basically_satisfied') and rated_at >= $2) as satisfied,
         (select count(*)::int from cameras where active) as cameras,
         (select count(*)::int from cameras where active and status <> 'offline') as cameras_up,
         (select count(*)::int from grid_workers where active and duty_status = 'on_duty') as on_duty,
         (select coalesce(sum(households), 0)::int from grid_population) as households,
         (select coalesce(sum(residents), 0)::int from grid_population) as residents,
         (select count(*)::int from party_members where active) as members,
         (select avg(points)::float8 from party_members where active) as avg_points,
         (select coalesce(sum(paired_households), 0)::int from party_members where active) as paired,
         (select count(*)::int from party_branches where active) as branches,
         (select count(*)::int from iot_alarms where status in ('active', 'acknowledged')) as alarms_open`,
      [t0, w0, asOf],
    )
    set('overview.todayNew', o!.today_new!)
    set('overview.open', o!.open!)
    set('overview.overdue', o!.overdue!)
    set('overview.closedWithinSla', ratio(o!.sla_num!, o!.sla_den!))
    set('overview.settledAtVillage', ratio(o!.settled_num!, o!.settled_den!))
    set('overview.satisfaction', ratio(o!.satisfied!, o!.rated!))
    set('overview.camerasOnline', ratio(o!.cameras_up!, o!.cameras!))
    set('overview.workersOnDuty', o!.on_duty!)
    set('overview.households', o!.households!)
    set('overview.residents', o!.residents!)
    set('overview.partyMembers', o!.members!)
    set('party.averagePoints', o!.avg_points ?? null)
    set('party.branches', o!.branches!)
    set('party.pairedHouseholds', o!.paired!)
    set('alarms.open', o!.alarms_open!)

    // Cases per local hour, today (up to now) and yesterday.
    for (const [series, start] of [['today', t0], ['yesterday', y0]] as const) {
      const hours = await rows<{ h: number, n: number }>(
        `select extract(hour from reported_at at time zone ${TZ})::int as h, count(*)::int as n
         from cases where reported_at >= $1 and reported_at < $1::timestamptz + interval '1 day' group by 1`,
        [start],
      )
      const currentHour = series === 'today' ? Number((await rows<{ h: number }>(`select extract(hour from $1::timestamptz at time zone ${TZ})::int as h`, [asOf]))[0]!.h) : 23
      for (let h = 0; h <= currentHour; h++)
        set(`trend.hourly.${series}.${h}`, hours.find(r => r.h === h)?.n ?? 0)
    }

    // Cases per local day over 30 days.
    const days = await rows<{ d: string, n: number }>(
      `select to_char(g.d, 'YYYY-MM-DD') as d, count(c.id)::int as n
       from generate_series(($1::timestamptz at time zone ${TZ})::date - 29, ($1::timestamptz at time zone ${TZ})::date, interval '1 day') as g(d)
       left join cases c on (c.reported_at at time zone ${TZ})::date = g.d::date
       group by g.d order by g.d`,
      [asOf],
    )
    for (const d of days)
      set(`trend.daily.${d.d}`, d.n)

    // Cases over 30 days by top-level class (the tree may be deep).
    const classes = await rows<{ code: string, n: number }>(
      `with recursive up(id, root) as (
         select id, id from case_categories where parent_id is null
         union all
         select c.id, up.root from case_categories c join up on c.parent_id = up.id)
       select r.code, count(*)::int as n from cases k join up on up.id = k.category_id join case_categories r on r.id = up.root
       where k.reported_at >= $1 group by r.code`,
      [w0],
    )
    for (const c of classes)
      set(`category.${c.code}.last30Days`, c.n)

    // Villages: cases over 30 days, overdue now, cameras online.
    const villages = await rows<{ code: string, last30: number, overdue: number }>(
      `select v.code,
              (select count(*)::int from cases k where k.village_id = v.id and k.reported_at >= $1) as last30,
              (select count(*)::int from cases k where k.village_id = v.id and k.status in ${OPEN} and k.sla_deadline <= $2) as overdue
       from villages v where v.active`,
      [w0, asOf],
    )
    for (const v of villages) {
      set(`village.${v.code}.last30Days`, v.last30)
      set(`village.${v.code}.overdue`, v.overdue)
    }
    const cameras = await rows<{ code: string, up: number, total: number }>(
      `select v.code, count(c.id) filter (where c.status <> 'offline')::int as up, count(c.id)::int as total
       from villages v left join cameras c on c.village_id = v.id and c.active where v.active group by v.code`,
    )
    for (const c of cameras) {
      set(`cameras.village.${c.code}.online`, c.up)
      set(`cameras.village.${c.code}.total`, c.total)
      set(`cameras.village.${c.code}.rate`, ratio(c.up, c.total))
    }

    // SLA tiers.
    const tiers = await rows<{ level: string, open: number, overdue: number, num: number, den: number }>(
      `select l.level,
              count(k.id) filter (where k.status in ${OPEN})::int as open,
              count(k.id) filter (where k.status in ${OPEN} and k.sla_deadline <= $2)::int as overdue,
              count(k.id) filter (where k.status = 'closed' and k.closed_at >= $1 and k.closed_at <= k.sla_deadline)::int as num,
              count(k.id) filter (where k.status = 'closed' and k.closed_at >= $1 and k.sla_deadline is not null)::int as den
       from (values ('general'), ('serious'), ('major'), ('urgent')) as l(level) left join cases k on k.level = l.level
       group by l.level`,
      [w0, asOf],
    )
    for (const tier of tiers) {
      set(`sla.${tier.level}.open`, tier.open)
      set(`sla.${tier.level}.overdue`, tier.overdue)
      set(`sla.${tier.level}.closedWithinSla`, ratio(tier.num, tier.den))
    }

    // Open IoT alarms by kind (the four kinds always shown) and branches by star rating (1–5).
    const kinds = await rows<{ kind: string, n: number }>(`select kind, count(*)::int as n from iot_alarms where status in ('active', 'acknowledged') group by kind`)
    for (const kind of ['elderly_call', 'gas', 'smoke', 'water_level'])
      set(`alarms.${kind}.open`, kinds.find(k => k.kind === kind)?.n ?? 0)
    const stars = await rows<{ stars: number, n: number }>(`select stars, count(*)::int as n from party_branches where active and stars is not null group by stars`)
    for (let n = 1; n <= 5; n++)
      set(`party.branchStars.${n}`, stars.find(s => Number(s.stars) === n)?.n ?? 0)

    // Special populations (重点人群): the township's total of each kind (the eight always shown, any other
    // the registry holds), a total above 0 but under the threshold suppressed (null, shown "<3"), and a
    // total withheld (null, shown "—") where it would give away the grids shown "<3" by subtraction.
    const special = await rows<{ kind: string, n: number, active: boolean }>(`select s.kind, sum(s.count)::int as n, coalesce(g.active, false) as active
      from grid_special_population s left join grids g on g.id = s.grid_id group by s.kind, s.grid_id, g.active`)
    for (const kind of new Set([...SPECIAL_KINDS, ...special.map(s => s.kind)])) {
      const cells = special.filter(s => s.kind === kind)
      const n = cells.reduce((sum, c) => sum + c.n, 0)
      const hidden = cells.filter(c => !c.active || (c.n > 0 && c.n < SPECIAL_MIN_COUNT))
      const withheld = n >= SPECIAL_MIN_COUNT && totalGivesAwayGrids(hidden.reduce((sum, c) => sum + c.n, 0), hidden.filter(c => c.active).length, SPECIAL_MIN_COUNT, hidden.some(c => !c.active))
      set(`special.${kind}.total`, withheld || (n > 0 && n < SPECIAL_MIN_COUNT) ? null : n)
    }
  }
  finally {
    await client.end()
  }
  return out
}

/** Differences between the wall's figures and the database's (empty when the wall is right). */
export function compareFigures(wall: { id: string, figure: Figure }[], truth: Map<string, Figure>): string[] {
  const problems: string[] = []
  const close = (a: number | null | undefined, b: number | null | undefined): boolean =>
    (a === null || a === undefined) ? (b === null || b === undefined) : (b !== null && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))
  for (const { id, figure } of wall) {
    const expected = truth.get(id)
    if (!expected) {
      problems.push(`${id}: shown on the wall but not computed by the test`)
      continue
    }
    if (!close(figure.value, expected.value))
      problems.push(`${id}: wall ${figure.value}, database ${expected.value}`)
    if (expected.denominator !== undefined && (figure.numerator !== expected.numerator || figure.denominator !== expected.denominator))
      problems.push(`${id}: wall ${figure.numerator}/${figure.denominator}, database ${expected.numerator}/${expected.denominator}`)
  }
  return problems
}

/** Compares until the wall agrees with the database (frames of different topics may be ~100 ms apart), or the attempts run out. */
export async function expectWallMatchesDatabase(page: Page, url: string, attempts = 5): Promise<{ checked: number, ids: Set<string> }> {
  let problems: string[] = []
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { asOf, figures } = await readWall(page)
    if (!asOf)
      throw new Error('the wall shows no data time (data-as-of)')
    problems = compareFigures(figures, await truthAt(url, new Date(asOf)))
    if (problems.length === 0)
      return { checked: figures.length, ids: new Set(figures.map(f => f.id)) }
    await new Promise(resolve => setTimeout(resolve, 1500))
  }
  throw new Error(`the wall disagrees with the database:\n${problems.slice(0, 20).join('\n')}`)
}

/** Inserts a case the way another system would: plain SQL, the case and its first event, `updated_at` set by the writer. */
export async function insertCase(url: string, fields: { level: string, code: string, personal?: { name: string, phone: string, address: string } }): Promise<{ id: number, village: string, grid: string }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const [place] = (await client.query<{ grid_id: number, village_id: number, lat: number, lon: number, village: string, grid: string }>(
      `select g.id as grid_id, g.village_id, g.label_lat as lat, g.label_lon as lon, v.name as village, g.name as grid
       from grids g join villages v on v.id = g.village_id where g.active and g.label_lat is not null order by g.id limit 1`,
    )).rows
    const [category] = (await client.query<{ id: number }>(`select id from case_categories where parent_id is not null and active order by id limit 1`)).rows
    await client.query('begin')
    const inserted = await client.query<{ id: string }>(
      `insert into cases (code, category_id, level, source, lat, lon, grid_id, village_id, status, reported_at, reporter_name, reporter_phone, address, description, updated_at)
       values ($1, $2, $3, 'hotline', $4, $5, $6, $7, 'reported', clock_timestamp(), $8, $9, $10, '测试', clock_timestamp()) returning id`,
      [fields.code, category!.id, fields.level, place!.lat, place!.lon, place!.grid_id, place!.village_id, fields.personal?.name ?? null, fields.personal?.phone ?? null, fields.personal?.address ?? null],
    )
    const id = Number(inserted.rows[0]!.id)
    await client.query(
      `insert into case_events (case_id, from_status, to_status, at, actor_role, updated_at) values ($1, null, 'reported', clock_timestamp(), 'resident', clock_timestamp())`,
      [id],
    )
    await client.query('commit')
    return { id, village: place!.village, grid: place!.grid }
  }
  finally {
    await client.end()
  }
}

/** Raises open IoT alarms the way the IoT platform would (plain SQL), near the first grids' labels. */
export async function insertAlarms(url: string, kinds: { kind: string, status: 'active' | 'acknowledged' }[]): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const grids = (await client.query<{ id: number, village_id: number, lat: number, lon: number }>(
      `select id, village_id, label_lat as lat, label_lon as lon from grids where active and label_lat is not null order by id limit $1`,
      [kinds.length],
    )).rows
    for (const [i, { kind, status }] of kinds.entries()) {
      const grid = grids[i % grids.length]!
      await client.query(
        `insert into iot_alarms (device_code, kind, status, raised_at, acknowledged_at, lat, lon, grid_id, village_id, address, updated_at)
         values ($1, $2, $3, clock_timestamp() - make_interval(mins => $4), case when $3 = 'acknowledged' then clock_timestamp() end, $5, $6, $7, $8, '测试路1号', clock_timestamp())`,
        [`E2E-DEV-${Date.now()}-${i}`, kind, status, 5 * (i + 1), grid.lat, grid.lon, grid.id, grid.village_id],
      )
    }
  }
  finally {
    await client.end()
  }
}

/** Waits until every panel has data (`data-wall-ready`); on a timeout, says which panels and what the live state was. */
export async function waitForWall(page: Page, timeout = 60_000): Promise<void> {
  try {
    await page.locator('[data-testid="wall"][data-wall-ready="true"]').waitFor({ timeout })
  }
  catch (error) {
    const state = await page.evaluate(() => ({
      url: location.href,
      live: document.querySelector<HTMLElement>('[data-testid="live-indicator"]')?.dataset.state,
      panels: [...document.querySelectorAll<HTMLElement>('[data-panel]')].map(p => `${p.dataset.panel}=${p.dataset.panelReady}`).join(' '),
      title: document.querySelector('[data-testid="title"]')?.textContent?.trim(),
    })).catch(() => null)
    throw new Error(`the wall did not fill within ${timeout} ms: ${JSON.stringify(state)}`, { cause: error })
  }
}
