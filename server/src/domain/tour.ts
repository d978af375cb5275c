import type { Tour, TourFlight, TourStep } from '../wire/index.ts'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { TOUR_BUSIEST, TOUR_PANELS } from '../wire/index.ts'

/**
 * Tour files (`tours/<name>.yaml|.yml|.json`): parsed and validated, or refused with one line that
 * names the file, the step and the field, e.g.
 * `default.yaml: step 3 ("heat"), field layers.heat.window: expected one of today, 7d, 30d (got "week")`.
 * Free of I/O: the caller reads the file.
 */

/** A tour file that cannot be played; `message` is one line naming the file, step and field. */
export class TourError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TourError'
  }
}

/** The file names a tour may have, in the order they are looked for. */
export const TOUR_EXTENSIONS = ['.yaml', '.yml', '.json'] as const

/** A tour's name: its file name without the extension. */
export const TOUR_NAME = /^[\w-]{1,60}$/

const oneOf = (values: readonly string[]) => `expected one of ${values.join(', ')}`

const text = (max: number, what: string) => z.string({ error: `expected ${what} (text)` }).trim().min(1, `expected ${what}, not empty`).max(max, `at most ${max} characters, so that it fits the caption bar`)
const caption = z.strictObject({
  zh: text(100, 'the Chinese caption'),
  en: text(240, 'the English caption'),
}, { error: 'expected zh and en captions, e.g. { zh: 全镇概览, en: The township }' })
const title = z.strictObject({ zh: text(40, 'the Chinese title'), en: text(80, 'the English title') }, { error: 'expected zh and en titles' })

// Codes may be written unquoted in YAML (430821103201 is read as a number): taken as text.
const code = z.union([z.string(), z.number().int().nonnegative()], { error: 'expected a code (text)' })
  .transform(String).pipe(z.string().trim().min(1, 'expected a code, not empty').max(40, 'at most 40 characters'))
const range = z.number({ error: 'expected metres from the place (a number from 200 to 50000)' }).min(200, 'expected metres from 200 to 50000').max(50_000, 'expected metres from 200 to 50000')
const card = z.boolean({ error: 'expected true or false (open the map\'s card)' })
const busiest = z.enum(TOUR_BUSIEST, { error: oneOf(TOUR_BUSIEST) })

const FLIGHTS = ['home', 'village', 'grid', 'case', 'camera'] as const
/** Each kind of flight: its fields, and which of them name the place (exactly one must be given). */
const flights = {
  home: { schema: z.strictObject({ to: z.literal('home') }), pickers: [] },
  village: { schema: z.strictObject({ to: z.literal('village'), code: code.optional(), name: text(40, 'a village name').optional(), busiest: busiest.optional(), range: range.optional() }), pickers: ['code', 'name', 'busiest'] },
  grid: { schema: z.strictObject({ to: z.literal('grid'), code: code.optional(), name: text(40, 'a grid name').optional(), busiest: busiest.optional(), card: card.optional(), range: range.optional() }), pickers: ['code', 'name', 'busiest'] },
  case: { schema: z.strictObject({ to: z.literal('case'), code: code.optional(), latest: z.literal('urgent', { error: 'expected urgent (the latest open 紧急 or 重大 case)' }).optional(), card: card.optional(), range: range.optional() }), pickers: ['code', 'latest'] },
  camera: { schema: z.strictObject({ to: z.literal('camera'), code: code.optional(), nearest: z.literal('case', { error: 'expected case (the online camera nearest the case an earlier step showed)' }).optional(), card: card.optional(), range: range.optional() }), pickers: ['code', 'nearest'] },
} as const

const flight = z.unknown().transform((value, ctx): TourFlight => {
  if (value === 'home')
    return { to: 'home' }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected home or { to: home|village|grid|case|camera, … }' })
    return z.NEVER
  }
  const to = (value as { to?: unknown }).to
  if (typeof to !== 'string' || !(FLIGHTS as readonly string[]).includes(to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: oneOf(FLIGHTS) })
    return z.NEVER
  }
  const kind = flights[to as typeof FLIGHTS[number]]
  const parsed = kind.schema.safeParse(value)
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issueMessage(issue, valueAt(value, issue.path)) })
    return z.NEVER
  }
  const given = kind.pickers.filter(key => (parsed.data as Record<string, unknown>)[key] !== undefined)
  if (kind.pickers.length > 0 && given.length !== 1) {
    ctx.addIssue({ code: 'custom', path: [given[1] ?? kind.pickers[0]!], message: `expected exactly one of ${kind.pickers.join(', ')} for a flight to a ${to}` })
    return z.NEVER
  }
  return parsed.data as TourFlight
})

const show = z.boolean({ error: 'expected true or false' })
const layers = z.strictObject({
  grids: z.strictObject({ show: show.optional(), metric: z.enum(['open', 'overdue', 'density'], { error: oneOf(['open', 'overdue', 'density']) }).optional(), extruded: show.optional() }).optional(),
  heat: z.strictObject({
    show: show.optional(),
    window: z.enum(['today', '7d', '30d'], { error: oneOf(['today', '7d', '30d']) }).optional(),
    category: z.number({ error: 'expected a case category id, or null for all' }).int().positive('expected a case category id, or null for all').nullable().optional(),
  }).optional(),
  cameras: z.strictObject({ show: show.optional() }).optional(),
  incidents: z.strictObject({ show: show.optional() }).optional(),
}, { error: 'expected the layers grids, heat, cameras, incidents' })

const step = z.strictObject({
  id: z.union([z.string(), z.number()], { error: 'expected a short name for the step' }).transform(String).pipe(z.string().trim().min(1).max(40, 'at most 40 characters')).optional(),
  caption,
  seconds: z.number({ error: 'expected seconds (a number from 3 to 600)' }).min(3, 'expected seconds from 3 to 600').max(600, 'expected seconds from 3 to 600'),
  fly: flight.optional(),
  layers: layers.optional(),
  highlight: z.enum(TOUR_PANELS, { error: oneOf(TOUR_PANELS) }).optional(),
  briefing: z.strictObject({
    days: z.number({ error: 'expected days (a whole number from 1 to 366)' }).int('expected a whole number of days').min(1, 'expected days from 1 to 366').max(366, 'expected days from 1 to 366'),
  }, { error: 'expected { days: 7 } (offer the printable briefing of the last days)' }).optional(),
}, { error: 'expected a step: { caption, seconds, fly?, layers?, highlight?, briefing? }' })

const tourFile = z.strictObject({
  title,
  steps: z.array(z.unknown(), { error: 'expected a list of steps' }).min(1, 'expected at least one step').max(100, 'at most 100 steps'),
}, { error: 'expected a tour: { title: { zh, en }, steps: [...] }' })

/** A zod issue in the words of this file format. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
  if (issue.code === 'invalid_type' && value === undefined)
    return `missing: ${issue.message}`
  return issue.message
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const key of path)
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined
  return value
}

/** `a.b.c`, with list indexes as `[n]`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('')
}

function got(value: unknown): string {
  if (value === undefined || typeof value === 'object')
    return ''
  if (typeof value === 'string' && [...value].length > 40)
    return ` (got ${[...value].length} characters)`
  return ` (got ${JSON.stringify(value)})`
}

function stepLabel(index: number, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return `step ${index + 1}${typeof id === 'string' || typeof id === 'number' ? ` (${JSON.stringify(String(id))})` : ''}`
}

/** Reads a tour file's text (YAML, of which JSON is a part); `file` names it in errors. */
export function parseTourText(source: string, file: string): unknown {
  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true })
  const error = document.errors[0]
  if (error) {
    const at = error.linePos?.[0]
    throw new TourError(`${file}: ${at ? `line ${at.line}, column ${at.col}: ` : ''}not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
  }
  return document.toJS({ maxAliasCount: 100 }) as unknown
}

/**
 * Validates a parsed tour file; throws a `TourError` naming the file, the step and the field of the
 * first problem.
 */
export function validateTour(input: unknown, name: string, file: string): Tour {
  const top = tourFile.safeParse(input)
  if (!top.success) {
    const issue = top.error.issues[0]!
    const field = issue.path.length ? `field ${fieldName(issue.path)}: ` : ''
    const value = valueAt(input, issue.path)
    throw new TourError(`${file}: ${field}${issueMessage(issue, value)}${got(value)}`)
  }
  const steps: TourStep[] = []
  let caseShown = false
  top.data.steps.forEach((raw, index) => {
    const where = `${file}: ${stepLabel(index, raw)}`
    const parsed = step.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.length ? `, field ${fieldName(issue.path)}` : ''
      const value = valueAt(raw, issue.path)
      throw new TourError(`${where}${field}: ${issueMessage(issue, value)}${got(value)}`)
    }
    const { id, caption: text, seconds, fly, layers: set, highlight, briefing } = parsed.data
    if (fly?.to === 'camera' && fly.nearest === 'case' && !caseShown)
      throw new TourError(`${where}, field fly.nearest: needs an earlier step that flies to a case`)
    if (fly?.to === 'case')
      caseShown = true
    const stepId = id ?? String(index + 1)
    const twin = steps.findIndex(s => s.id === stepId)
    if (twin >= 0)
      throw new TourError(`${where}, field id: the same as step ${twin + 1}'s (${JSON.stringify(stepId)}); step ids must differ`)
    steps.push({ id: stepId, caption: text, seconds, ...(fly && { fly }), ...(set && { layers: set }), ...(highlight && { highlight }), ...(briefing && { briefing }) })
  })
  return { name, title: top.data.title, steps }
}

/** Parses and validates a tour file's text: the tour, or a `TourError`. */
export function parseTour(source: string, name: string, file: string): Tour {
  return validateTour(parseTourText(source, file), name, file)
}

/** The tour name a file name stands for, or null when it is not a tour file. */
export function tourNameOf(file: string): string | null {
  const extension = TOUR_EXTENSIONS.find(ext => file.endsWith(ext))
  const name = extension ? file.slice(0, -extension.length) : ''
  return extension && TOUR_NAME.test(name) ? name : null
}
