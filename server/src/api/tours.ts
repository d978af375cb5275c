import type { Tour, TourList, TourSummary } from '../wire/index.ts'
import type { AppDeps } from './deps.ts'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Hono } from 'hono'
import { z } from 'zod'
import { parseTour, TOUR_EXTENSIONS, TOUR_NAME, TourError, tourNameOf } from '../domain/tour.ts'
import { sendError } from './errors.ts'
import { validate } from './validate.ts'

/** A tour file in the tours directory: the tour, or why it cannot be played. */
export type TourFile = { name: string, file: string } & ({ tour: Tour, error: null } | { tour: null, error: string })

/** Reads and validates one tour file (`file` relative to `dir`). */
export async function readTourFile(dir: string, file: string): Promise<TourFile> {
  const name = tourNameOf(file) ?? file
  try {
    return { name, file, tour: parseTour(await readFile(join(dir, file), 'utf8'), name, file), error: null }
  }
  catch (error) {
    if (error instanceof TourError)
      return { name, file, tour: null, error: error.message }
    throw error
  }
}

/**
 * Every tour file in the directory, by name (a name written twice, e.g. `a.yaml` and `a.json`, is
 * the first of `.yaml`, `.yml`, `.json`). A missing directory has no tours.
 */
export async function readTours(dir: string): Promise<TourFile[]> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      return []
    throw error
  })).filter(entry => entry.isFile() || entry.isSymbolicLink()).map(entry => entry.name)
  const byName = new Map<string, string>()
  for (const extension of TOUR_EXTENSIONS) {
    for (const file of entries.filter(entry => entry.endsWith(extension)).sort()) {
      const name = tourNameOf(file)
      if (name !== null && !byName.has(name))
        byName.set(name, file)
    }
  }
  const files = [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, file]) => file)
  return Promise.all(files.map(file => readTourFile(dir, file)))
}

/** One tour file by name, or null when there is none. */
export async function findTour(dir: string, name: string): Promise<TourFile | null> {
  for (const extension of TOUR_EXTENSIONS) {
    const found = await readTourFile(dir, `${name}${extension}`).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR')
        return null
      throw error
    })
    if (found)
      return found
  }
  return null
}

/** What the list says of a tour file. */
export function tourSummary(found: TourFile): TourSummary {
  return {
    name: found.name,
    file: found.file,
    title: found.tour?.title ?? null,
    steps: found.tour?.steps.length ?? 0,
    seconds: found.tour?.steps.reduce((sum, step) => sum + step.seconds, 0) ?? 0,
    error: found.error,
  }
}

const nameParam = z.object({ name: z.string().regex(TOUR_NAME, 'expected a tour name (letters, digits, - or _)') })

/**
 * `/api/tours`: the guided tours in `TOURS_DIR`, read on each request (an edited file shows at the
 * next play, no restart), and one tour by name. A file that fails validation is listed with its
 * error, and asking for it answers 422 with the one line that names the step and field.
 */
export function toursApi({ config }: AppDeps) {
  return new Hono()
    .get('/', async c => c.json<TourList>({ tours: (await readTours(config.toursDir)).map(tourSummary) }))
    .get('/:name', validate('param', nameParam), async (c) => {
      const { name } = c.req.valid('param')
      const found = await findTour(config.toursDir, name)
      if (!found)
        return sendError(c, 404, 'not_found', `no tour ${name} in the tours directory`)
      if (found.tour === null)
        return sendError(c, 422, 'bad_request', found.error)
      return c.json<Tour>(found.tour)
    })
}
