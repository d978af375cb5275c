import type { CameraPoint, UnitRanking } from '#wire'

export interface VillageCameras {
  id: number
  code: string
  name: string
  /** Cameras not offline (online, or online and raising an alarm): the 在线率 numerator. */
  online: number
  total: number
  rate: number | null
}

/**
 * Cameras online per village, from the live camera states (the same 在线率 definition as the
 * township's KPI: not offline over all active cameras). Villages in the ranking's order by name code.
 */
export function camerasByVillage(cameras: Iterable<CameraPoint>, villages: readonly Pick<UnitRanking, 'id' | 'code' | 'name'>[]): VillageCameras[] {
  const counts = new Map<number, { online: number, total: number }>()
  for (const camera of cameras) {
    if (camera.villageId === null)
      continue
    const entry = counts.get(camera.villageId) ?? { online: 0, total: 0 }
    entry.total++
    if (camera.status !== 'offline')
      entry.online++
    counts.set(camera.villageId, entry)
  }
  return villages
    .map((v) => {
      const c = counts.get(v.id) ?? { online: 0, total: 0 }
      return { id: v.id, code: v.code, name: v.name, online: c.online, total: c.total, rate: c.total > 0 ? c.online / c.total : null }
    })
    .sort((a, b) => a.code.localeCompare(b.code))
}
