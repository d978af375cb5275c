import type { Geography } from './geo/types.ts'
import type { Random } from './random.ts'
import type { TownshipData } from './rows.ts'
import { createRandom } from './random.ts'
import { generateAlarms } from './generate/alarms.ts'
import { generateCameras } from './generate/cameras.ts'
import { layOutCases } from './generate/cases.ts'
import { generateParty } from './generate/party.ts'
import { buildPlace, categoryRows, townshipRow } from './generate/place.ts'
import { generatePopulation } from './generate/population.ts'
import { generateCaseSeeds } from './generate/reports.ts'
import { generateWorkers } from './generate/workers.ts'

/**
 * The mock township's operational data, generated from its geography. Pure and deterministic: the
 * same geography, seed and `now` always give the same rows, whatever the machine or the day.
 * One module per table (or pair of tables) under `generate/`; what they are calibrated to (the
 * published figures, rhythms and case lifecycle, shared with the simulator) is in `calibration/`.
 */

export { CALIBRATION, SPECIAL_POPULATION_KINDS } from './calibration.ts'
export { allocate } from './generate/numbers.ts'
export { categoryRows, ID_STRIDE } from './generate/place.ts'

/** Options of `generateTownshipData`. */
export interface GenerateOptions {
  seed: number
  /** The moment the data describes: a year of cases ends here, open cases are open as of it. */
  now: Date
  /**
   * Multiplier of the volume of cases and IoT alarms (1 = one calibrated year). Registries
   * (households, cameras, party members) stay calibrated whatever it is; tests use small values.
   */
  scale?: number
  /**
   * Position of this township in a county (0-based). Every id is offset by
   * `townshipIndex × ID_STRIDE` so that the townships of a county load into one database.
   */
  townshipIndex?: number
}

/**
 * Generates one township's operational data (every contract table) from its geography.
 * Deterministic by `seed` and `now`: each table draws from its own stream, forked by name.
 */
export function generateTownshipData(geo: Geography, options: GenerateOptions): TownshipData {
  const now = options.now.getTime()
  if (!Number.isFinite(now))
    throw new RangeError('generateTownshipData: now is not a valid date')
  const scale = options.scale ?? 1
  if (!(scale >= 0))
    throw new RangeError('generateTownshipData: scale must be a number ≥ 0')
  const root = createRandom(options.seed).fork(`township:${geo.township.properties.code}`)
  const streams = ['registry', 'population', 'workers', 'cameras', 'party', 'alarms', 'cases', 'lifecycle'] as const
  const rng = Object.fromEntries(streams.map(name => [name, root.fork(name)])) as Record<typeof streams[number], Random>

  const place = buildPlace(geo, options.townshipIndex ?? 0, now, rng.registry)
  const population = generatePopulation(place, now, rng.population)
  place.households = population.households
  const workers = generateWorkers(place, now, rng.workers)
  const cameras = generateCameras(place, now, rng.cameras)
  const party = generateParty(place, now, rng.party)
  const alarmPlan = generateAlarms(place, population.special, now, scale, rng.alarms)
  const seeds = generateCaseSeeds(place, now, scale, rng.cases, alarmPlan.caseSeeds)
  const cases = layOutCases(place, seeds, workers.byGrid, now, rng.lifecycle)
  for (const [alarmIndex, caseId] of cases.alarmCase)
    alarmPlan.alarms[alarmIndex]!.case_id = caseId

  return {
    townships: [townshipRow(place, now)],
    villages: place.villages,
    grids: place.grids,
    grid_population: population.rows,
    grid_special_population: population.specialRows,
    case_categories: categoryRows(new Date(now)),
    grid_workers: workers.rows,
    cameras,
    party_branches: party.branches,
    party_members: party.members,
    cases: cases.cases,
    case_events: cases.events,
    iot_alarms: alarmPlan.alarms,
  }
}
