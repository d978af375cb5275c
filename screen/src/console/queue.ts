import type { QueueCase } from '#wire'

/** The queue's filters, as the URL and `GET /api/console/queue` spell them. */
export interface QueueFilters {
  status: string[]
  level: string[]
  category: number[]
  village: number[]
  grid: number[]
  sla: string[]
  reported: '' | 'today' | '7d' | 'custom'
  from: string
  to: string
  q: string
}

export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'processing', 'fed_back'] as const
export const LEVELS = ['urgent', 'major', 'serious', 'general'] as const
export const SLA_STATES = ['not_started', 'on_time', 'due_2h', 'overdue'] as const
/** The levels a new case is announced for (row highlight and a beep). */
export const ANNOUNCED_LEVELS: readonly string[] = ['urgent', 'major']

const LEVEL_RANK: Readonly<Record<string, number>> = { urgent: 0, major: 1, serious: 2, general: 3 }

export function emptyFilters(): QueueFilters {
  return { status: [], level: [], category: [], village: [], grid: [], sla: [], reported: '', from: '', to: '', q: '' }
}

/** Milliseconds left to a case's SLA deadline at `now` (negative: overdue), null before dispatch. */
export function slaLeft(c: Pick<QueueCase, 'slaDeadline'>, now: number): number | null {
  return c.slaDeadline ? Date.parse(c.slaDeadline) - now : null
}

/** Most urgent first: level, then the least time left, then the oldest (the server's own order). */
export function byUrgency(now: number) {
  return (a: QueueCase, b: QueueCase): number =>
    (LEVEL_RANK[a.level] ?? 9) - (LEVEL_RANK[b.level] ?? 9)
    || (slaLeft(a, now) ?? Number.POSITIVE_INFINITY) - (slaLeft(b, now) ?? Number.POSITIVE_INFINITY)
    || a.reportedAt.localeCompare(b.reportedAt)
    || a.id - b.id
}

/**
 * A frame applied to the queue: changed cases replace (or join) theirs, removed ones leave; the
 * result is sorted by urgency. `added` lists the cases the queue did not hold before.
 */
export function mergeQueue(cases: readonly QueueCase[], changed: readonly QueueCase[], removed: readonly number[], now: number): { cases: QueueCase[], added: QueueCase[] } {
  const byId = new Map(cases.map(c => [c.id, c]))
  const added: QueueCase[] = []
  for (const id of removed)
    byId.delete(id)
  for (const c of changed) {
    if (!byId.has(c.id))
      added.push(c)
    byId.set(c.id, c)
  }
  return { cases: [...byId.values()].sort(byUrgency(now)), added }
}

/** The new cases to announce (urgent and major). */
export function toAnnounce(added: readonly QueueCase[]): QueueCase[] {
  return added.filter(c => ANNOUNCED_LEVELS.includes(c.level))
}

/** The announcements still running at `now` (the same object when none ended). */
export function pruneAnnounced(announced: Record<number, number>, now: number): Record<number, number> {
  const running = Object.entries(announced).filter(([, until]) => until > now)
  return running.length === Object.keys(announced).length ? announced : Object.fromEntries(running)
}

/** Whether any filter (or the search) is set. */
export function hasFilters(f: QueueFilters): boolean {
  return Object.keys(filtersToQuery(f)).length > 0
}

/** The filters as query parameters (only those set): for the API and for the page's URL. */
export function filtersToQuery(f: QueueFilters): Record<string, string> {
  const query: Record<string, string> = {}
  for (const key of ['status', 'level', 'category', 'village', 'grid', 'sla'] as const) {
    if (f[key].length > 0)
      query[key] = f[key].join(',')
  }
  if (f.reported) {
    query.reported = f.reported
    if (f.reported === 'custom') {
      if (f.from)
        query.from = f.from
      if (f.to)
        query.to = f.to
    }
  }
  if (f.q.trim())
    query.q = f.q.trim()
  return query
}

const idList = (v: string | undefined): number[] => (v ?? '').split(',').map(Number).filter(n => Number.isInteger(n) && n > 0)
const oneOf = (v: string | undefined, allowed: readonly string[]): string[] => (v ?? '').split(',').filter(s => allowed.includes(s))

/** The filters from a URL query (unknown values dropped), the inverse of `filtersToQuery`. */
export function filtersFromQuery(query: Readonly<Record<string, unknown>>): QueueFilters {
  const s = (key: string): string | undefined => (typeof query[key] === 'string' ? query[key] : undefined)
  const reported = s('reported')
  return {
    status: oneOf(s('status'), OPEN_STATUSES),
    level: oneOf(s('level'), LEVELS),
    category: idList(s('category')),
    village: idList(s('village')),
    grid: idList(s('grid')),
    sla: oneOf(s('sla'), SLA_STATES),
    reported: reported === 'today' || reported === '7d' || reported === 'custom' ? reported : '',
    from: s('from') ?? '',
    to: s('to') ?? '',
    q: (s('q') ?? '').slice(0, 60),
  }
}

/** A countdown as the queue shows it: `1:05:09`, `12:03`, with a minus sign when overdue. */
export function countdown(ms: number): string {
  const sign = ms < 0 ? '-' : ''
  const total = Math.floor(Math.abs(ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${sign}${h}:${pad(m)}:${pad(sec)}` : `${sign}${m}:${pad(sec)}`
}

/** The index after moving `delta` rows in a list of `length` (clamped; from none, the first). */
export function step(index: number, delta: number, length: number): number {
  if (length === 0)
    return -1
  if (index < 0)
    return 0
  return Math.min(length - 1, Math.max(0, index + delta))
}
