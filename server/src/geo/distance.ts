const EARTH_RADIUS_M = 6_371_008.8

/** Great-circle distance in metres between two WGS84 points (haversine). */
export function distanceMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** The `count` nearest items to a point, with their distances, nearest first. */
export function nearest<T extends { lon: number, lat: number }>(items: Iterable<T>, lon: number, lat: number, count: number): { item: T, meters: number }[] {
  const best: { item: T, meters: number }[] = []
  for (const item of items) {
    const meters = distanceMeters(lon, lat, item.lon, item.lat)
    if (best.length < count || meters < best[best.length - 1]!.meters) {
      let at = best.length
      while (at > 0 && best[at - 1]!.meters > meters)
        at--
      best.splice(at, 0, { item, meters })
      if (best.length > count)
        best.pop()
    }
  }
  return best
}
