import type { AlarmsView, CameraPoint, CasePoint, HeatCellUpdate, Overview, Rankings, SlaView, Topic, TopicData, Trends, WallPush } from '#wire'
import type { LiveData, LiveSource, LiveState } from './client.ts'

/** Urgent cases waiting for the alert: at most this many (the oldest are dropped). */
export const URGENT_KEPT = 20

/** After this long without a word from the server, the data counts as stale even if the socket looks open. */
export const SILENCE_STALE_MS = 15_000

/** What the screen holds of the live topics. */
export interface LiveViews {
  overview: Overview | null
  trends: Trends | null
  rankings: Rankings | null
  sla: SlaView | null
  alarms: AlarmsView | null
  /** The latest cases, newest first (the ticker's feed). */
  feed: CasePoint[]
  /** Urgent (紧急/重大) cases as frames bring them; the alert consumes them. */
  urgent: CasePoint[]
  /** Cameras by id. */
  cameras: Map<number, CameraPoint>
  /** The cameras the last frame changed; null after a snapshot (all of them). */
  changedCameras: CameraPoint[] | null
  /** Heat cells by "lon,lat" of their south-west corner: [lon, lat, today, 7 days, 30 days]. */
  heat: Map<string, HeatCellUpdate>
  /** The heat cells' size in degrees. */
  heatCellDeg: number
  /** The case the console has pushed to the walls, or null (kept; not shown yet). */
  push: WallPush | null
}

/** The views before the first snapshot. */
export function emptyLiveViews(): LiveViews {
  return { overview: null, trends: null, rankings: null, sla: null, alarms: null, feed: [], urgent: [], cameras: new Map(), changedCameras: null, heat: new Map(), heatCellDeg: 0.001, push: null }
}

/** A camera frame's changes applied to the cameras by id, in place. */
export function applyCameraChanges(cameras: Map<number, CameraPoint>, delta: TopicData['cameras']): Map<number, CameraPoint> {
  for (const camera of delta.changed)
    cameras.set(camera.id, camera)
  for (const id of delta.removed)
    cameras.delete(id)
  return cameras
}

/** Heat cells applied to the cells by key, in place: absolute counts; a cell with none in 30 days leaves. */
export function applyHeatCells(heat: Map<string, HeatCellUpdate>, cells: readonly HeatCellUpdate[]): Map<string, HeatCellUpdate> {
  for (const cell of cells) {
    const key = `${cell[0]},${cell[1]}`
    if (cell[4] === 0)
      heat.delete(key)
    else
      heat.set(key, cell)
  }
  return heat
}

type Reducer<K extends Topic> = (views: Readonly<LiveViews>, data: LiveData<K>, from: LiveSource) => Partial<LiveViews>

/** Each topic's reducer: what its data changes in the views. */
const REDUCERS: { [K in Topic]: Reducer<K> } = {
  overview: (_, overview) => ({ overview }),
  trends: (_, trends) => ({ trends }),
  rankings: (_, rankings) => ({ rankings }),
  sla: (_, sla) => ({ sla }),
  alarms: (_, alarms) => ({ alarms }),
  // Urgent cases are taken from frames only: a snapshot's are old news.
  cases: (views, data, from) => (from === 'frame' && data.urgent.length > 0
    ? { feed: data.cases, urgent: [...views.urgent, ...data.urgent].slice(-URGENT_KEPT) }
    : { feed: data.cases }),
  cameras: (views, data) => ('cameras' in data
    ? { cameras: new Map(data.cameras.map(c => [c.id, c])), changedCameras: null }
    : { cameras: applyCameraChanges(views.cameras, data), changedCameras: data.changed }),
  heat: (views, data, from) => ({ heat: applyHeatCells(from === 'snapshot' ? new Map() : views.heat, data.cells), heatCellDeg: data.cellDeg }),
  push: (_, data) => ({ push: data.push }),
  // The console's topic: a wall does not subscribe to it.
  queue: () => ({}),
}

/**
 * What one topic's data changes in the views: the parts to replace. Views are whole objects,
 * except the cameras and heat maps (thousands of entries, a few changing per frame): a frame
 * updates them in place and the patch holds the same map, to say that it changed; a snapshot
 * replaces them.
 */
export function applyUpdate<K extends Topic>(views: Readonly<LiveViews>, topic: K, data: LiveData<K>, from: LiveSource): Partial<LiveViews> {
  return REDUCERS[topic](views, data, from)
}

/** Whether the figures shown may be out of date: no connection, the database down, no snapshot yet, or silence. */
export function isStale(state: Readonly<LiveState>, now: number): boolean {
  return !state.connected || state.database === 'down' || state.snapshots === 0 || now - state.heardAt > SILENCE_STALE_MS
}

/** Seconds since the figures were last known current (null before the first snapshot). */
export function ageSeconds(state: Readonly<LiveState>, now: number): number | null {
  return state.asOf ? Math.max(0, Math.round((now - Date.parse(state.asOf)) / 1000)) : null
}
