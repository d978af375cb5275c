/** Small formatting helpers of the map's cards (no DOM, no Cesium). */

/** Splits an age in seconds into the largest sensible unit. */
export function ageParts(seconds: number): { unit: 'seconds' | 'minutes' | 'hours' | 'days', n: number } {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60)
    return { unit: 'seconds', n: s }
  if (s < 3600)
    return { unit: 'minutes', n: Math.floor(s / 60) }
  if (s < 86_400)
    return { unit: 'hours', n: Math.floor(s / 3600) }
  return { unit: 'days', n: Math.floor(s / 86_400) }
}

/** A countdown as H:MM:SS (days as "2d 03:04:05"); the sign is the caller's. */
export function countdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const days = Math.floor(total / 86_400)
  const h = Math.floor((total % 86_400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return days > 0 ? `${days}d ${hms}` : hms
}

/** A distance for a card: metres below 1 km, else km with one decimal. */
export function distance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`
}

/** A camera's HLS URL from the configured template, or null when none is configured. */
export function hlsUrl(template: string | null, camera: { id: number, code: string }): string | null {
  return template ? template.replaceAll('{code}', encodeURIComponent(camera.code)).replaceAll('{id}', String(camera.id)) : null
}
