import type { Database } from '../../server/src/db/types.ts'
import type { SimContext, SimulatorStats } from './context.ts'
import { localParts } from '../../server/src/domain/calendar.ts'
import { CALIBRATION, DAILY_ACTIVITY, HOURLY, HOURLY_MEAN } from '../calibration.ts'
import { createRandom } from '../random.ts'
import { advanceAlarms, alarmsToday, raiseAlarm } from './alarms.ts'
import { flapCamera, syncHeartbeats } from './cameras.ts'
import { checkIn } from './checkins.ts'
import { loadTownship } from './context.ts'
import { advanceCases } from './lifecycle.ts'
import { rateCases } from './ratings.ts'
import { newReport } from './reports.ts'

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /**
   * Everyday activities per minute at speed 1, averaged over the day (new reports, check-ins, camera
   * flaps, IoT alarms, in the calibrated proportions); quieter at night, busier mid-morning. Each case
   * and alarm then lives its own calibrated life on top (moves, ratings, acknowledgement). Default 1
   * (a township of ≈7,000 households: ≈150 reports, ≈1,100 check-ins a day).
   */
  rate?: number
  /** Time-lapse factor for demos: activities come `speed` times as often and cases move `speed` times faster. Default 1. */
  speed?: number
  /** Seed of the simulator's choices (default: from the clock; determinism is not needed here). */
  seed?: number
  /** The clock (default: the system clock). */
  clock?: () => Date
  /**
   * How many times faster than real time `clock` itself runs (a simulated clock, as the soak's). With
   * `clockSpeed` equal to `speed`, activities come at the calibrated rate per simulated minute and cases
   * and alarms live their calibrated lives on that clock, instead of compressed on the real one. Default 1.
   */
  clockSpeed?: number
  /** Seconds between camera heartbeat syncs (as a video platform batches them); 0 turns them off. Default 300. */
  heartbeatSeconds?: number
  /** Called for each failed step; the simulator carries on. Default: one line to stderr. */
  onError?: (error: unknown) => void
}

/** A running simulator. */
export interface Simulator {
  /** Resolves once the simulator has read the township and started (rejects if it cannot). */
  readonly ready: Promise<void>
  readonly stats: Readonly<SimulatorStats>
  /** Stops the timers and waits for the step in progress. */
  stop: () => Promise<void>
}

const MINUTE = 60_000

type Activity = 'report' | 'checkin' | 'camera' | 'alarm'
const ACTIVITIES: readonly Activity[] = ['report', 'checkin', 'camera', 'alarm']
const STEPS: Record<Activity, (ctx: SimContext) => Promise<void>> = { report: newReport, checkin: checkIn, camera: flapCamera, alarm: raiseAlarm }

/** How many of each activity the township has in a day: the calibrated rates times what it holds. */
function dailyActivity(ctx: SimContext, at: Date): number[] {
  const { workers, cameras } = ctx.township
  return [CALIBRATION.casesPerYear / 365, DAILY_ACTIVITY.checkinsPerWorker * workers.length, DAILY_ACTIVITY.cameraChangesPerCamera * cameras, alarmsToday(ctx, at)]
}

function checkOptions(rate: number, speed: number): void {
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new RangeError(`rate must be a positive number of events per minute, got ${rate}`)
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`speed must be a positive number, got ${speed}`)
}

/**
 * Starts writing activity into `db`; returns at once (see `ready`). Three loops queue their steps one
 * after another (PGlite is one connection, and steps touch the same rows): everyday activity at the
 * hour's rate, due moves of cases and alarms and due ratings, and camera heartbeats.
 */
export function startSimulator(db: Database, options: SimulatorOptions = {}): Simulator {
  const rate = options.rate ?? 1
  const speed = options.speed ?? 1
  checkOptions(rate, speed)
  checkOptions(rate, options.clockSpeed ?? 1)
  const clock = options.clock ?? (() => new Date())
  const onError = options.onError ?? ((error: unknown) => console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`))
  const heartbeatMs = (options.heartbeatSeconds ?? 300) * 1000
  const stats: SimulatorStats = { reports: 0, transitions: 0, ratings: 0, cameraChanges: 0, heartbeats: 0, alarmsRaised: 0, alarmsCleared: 0, checkins: 0, errors: 0 }
  let stopped = false
  let chain: Promise<void> = Promise.resolve()
  const timers = new Set<NodeJS.Timeout>()
  const ctx: SimContext = {
    db,
    rng: createRandom(options.seed ?? (Date.now() >>> 0)),
    // How much faster than calibrated lives run, as measured on `clock`.
    speed: speed / (options.clockSpeed ?? 1),
    stats,
    township: { grids: [], gridCum: [], workers: [], workersByGrid: new Map(), categoryIds: new Map(), cameras: 0, alarmDevices: { elderly_call: 0, gas: 0, smoke: 0, water_level: 0 } },
    sequences: new Map(),
    now: () => new Date(Math.round(clock().getTime() / 1000) * 1000),
    stopping: () => stopped,
  }

  const enqueue = (step: () => Promise<void>): Promise<void> => {
    chain = chain.then(async () => {
      if (stopped)
        return
      try {
        await step()
      }
      catch (error) {
        stats.errors++
        onError(error)
      }
    })
    return chain
  }
  /** Runs `step` after `ms`, then schedules the next round by `next` (until stopped). */
  const loop = (step: () => Promise<void>, next: () => number): void => {
    if (stopped)
      return
    const timer = setTimeout(() => {
      timers.delete(timer)
      void enqueue(step).then(() => loop(step, next))
    }, Math.max(1, next()))
    timers.add(timer)
  }

  const everyday = async (): Promise<void> => {
    await STEPS[ctx.rng.weighted(ACTIVITIES, dailyActivity(ctx, ctx.now()))](ctx)
  }
  const due = async (): Promise<void> => {
    await advanceCases(ctx)
    await advanceAlarms(ctx)
    await rateCases(ctx)
  }
  const ready = loadTownship(db).then((township) => {
    ctx.township = township
    loop(everyday, () => ctx.rng.exponential(MINUTE / (rate * speed * (HOURLY[localParts(clock()).hour]! / HOURLY_MEAN))))
    loop(due, () => Math.max(200, 30_000 / speed))
    if (heartbeatMs > 0)
      loop(() => syncHeartbeats(ctx, heartbeatMs), () => Math.min(heartbeatMs, 60_000))
  })
  // Steps queue behind the initial read; a failed read is reported through `ready` alone.
  chain = ready.catch(() => {})

  return {
    ready,
    stats,
    async stop() {
      stopped = true
      for (const timer of timers)
        clearTimeout(timer)
      timers.clear()
      await chain
    },
  }
}
