import type { Random } from '../random.ts'
import type { CameraKind, CameraRow } from '../rows.ts'
import type { Place } from './place.ts'
import { CALIBRATION } from '../calibration.ts'
import { jitter, round6, roundPoint } from '../spatial.ts'
import { allocate } from './numbers.ts'
import { interiorPoint, villageHouseholds } from './place.ts'

const MINUTE = 60_000
const HOUR = 3_600_000

/** `cameras`: the township's 雪亮工程 video points, ≈95 % online. */
export function generateCameras(place: Place, now: number, rng: Random): CameraRow[] {
  const count = Math.round(CALIBRATION.cameras * rng.range(0.98, 1.04))
  // Where 雪亮工程 points go: the seat, village centres (村委会, 村口, 学校), road junctions, along the
  // county and township roads, and a few hazard points in the fields and hills.
  const [atSeat, atVillages, atJunctions, alongRoads, scattered] = allocate(count, [0.15, 0.42, place.junctions.length > 0 ? 0.18 : 0, 0.15, 0.1])
  const villageCounts = allocate(atVillages!, place.villages.map((_, v) => villageHouseholds(place, v)))
  // GB/T 28181 device ids: 8-digit centre code (the county's 6 + 00), industry 00, type 132 (IP camera),
  // then the township's 3 digits and a 4-digit serial, so that ids stay unique across a county.
  const tcode = place.geo.township.properties.code
  const prefix = `${tcode.slice(0, 6)}0000132${tcode.slice(6, 9)}`
  const rows: CameraRow[] = []
  const seatNames = ['镇政府', '集镇十字路口', '农贸市场', '中心学校', '卫生院', '汽车站', '镇文化广场', '派出所门口']
  const villageSpots = ['村委会', '村口', '文化广场', '卫生室', '小学门口', '桥头', '老街', '祠堂']
  const add = (point: [number, number], kind: CameraKind, name: string): void => {
    let p = roundPoint(point)
    let grid = place.locator.locate(p[0], p[1])
    for (let attempt = 0; grid < 0 && attempt < 10; attempt++) {
      p = roundPoint(jitter(rng, point, 50))
      grid = place.locator.locate(p[0], p[1])
    }
    if (grid < 0) {
      // Never outside the township: fall back to a random grid.
      grid = rng.int(0, place.grids.length - 1)
      p = interiorPoint(place, rng, grid)
    }
    const i = rows.length
    const r = rng.next()
    const status: CameraRow['status'] = r < 1 - CALIBRATION.cameraOnlineRate ? 'offline' : r < 1 - CALIBRATION.cameraOnlineRate + CALIBRATION.cameraAlarmRate ? 'alarm' : 'online'
    const heartbeat = status === 'offline' ? now - Math.round(rng.exponential(30 * HOUR) + 10 * MINUTE) : now - rng.int(0, 60_000)
    const code = `${prefix}${String(i + 1).padStart(4, '0')}`
    rows.push({
      id: place.base + i + 1,
      code,
      name,
      kind,
      lat: round6(p[1]),
      lon: round6(p[0]),
      village_id: place.villages[place.gridVillage[grid]!]!.id,
      grid_id: place.grids[grid]!.id,
      status,
      last_heartbeat_at: new Date(Math.round(heartbeat / 1000) * 1000),
      stream_url: `rtsp://video.xueliang.local/live/${code}`,
      active: true,
      updated_at: new Date(Math.round(heartbeat / 1000) * 1000),
    })
  }
  const townName = place.geo.township.properties.name
  for (let i = 0; i < atSeat!; i++)
    add(jitter(rng, place.seat, 450), rng.chance(0.75) ? 'public_security' : 'community', `${townName}${rng.pick(seatNames)}${i + 1}号`)
  villageCounts.forEach((n, v) => {
    const village = place.villages[v]!
    for (let i = 0; i < n; i++)
      add(jitter(rng, [village.center_lon, village.center_lat], 220), rng.chance(0.7) ? 'public_security' : 'community', `${village.name}${rng.pick(villageSpots)}${i + 1}号`)
  })
  for (let i = 0; i < atJunctions!; i++)
    add(jitter(rng, rng.pick(place.junctions), 15), rng.chance(0.55) ? 'traffic' : 'public_security', `路口卡口${i + 1}号`)
  for (let i = 0; i < alongRoads!; i++) {
    if (place.roads.empty) {
      add(jitter(rng, place.seat, 800), 'public_security', `道路监控${i + 1}号`)
      continue
    }
    const { point, road } = place.roads.sample(rng, 12)
    add(point, rng.chance(0.6) ? 'traffic' : 'public_security', `${place.geo.roads.features[road]!.properties.name}监控${i + 1}号`)
  }
  for (let i = 0; i < scattered!; i++) {
    const kind = rng.weighted<CameraKind>(['flood', 'forest_fire', 'geological'], [0.4, 0.35, 0.25])
    const label = SCATTERED_LABEL[kind] ?? '监测'
    add(interiorPoint(place, rng, rng.int(0, place.grids.length - 1)), kind, `${label}点${i + 1}号`)
  }
  return rows
}

const SCATTERED_LABEL: Partial<Record<CameraKind, string>> = { flood: '水位监测', forest_fire: '森林防火', geological: '地灾监测' }
