/**
 * Which contract tables each part of the wall is computed from (the server's contributors: see
 * `server/src/metrics/contributors.ts` and `cases.ts`), for the provenance overlay (`?inspect=1`).
 * Keys are the panels' `data-panel` ids, `map` and `ticker`.
 */
export const PANEL_SOURCES: Readonly<Record<string, readonly string[]>> = {
  kpis: ['cases', 'cameras', 'grid_workers', 'grid_population'],
  hourly: ['cases'],
  daily: ['cases'],
  categories: ['cases', 'case_categories'],
  villages: ['cases', 'villages'],
  cameras: ['cameras', 'villages'],
  alarms: ['iot_alarms'],
  party: ['party_branches', 'party_members'],
  sla: ['cases'],
  map: ['townships', 'villages', 'grids', 'cameras', 'cases', 'iot_alarms', 'grid_special_population'],
  ticker: ['cases', 'case_categories'],
}

/** Whether the page asks for the overlay (`?inspect=1`, `true`, `yes`, `on`). */
export function inspectRequested(search: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes(new URLSearchParams(search).get('inspect') ?? '')
}

/** "12 s", "5 min", "3 h", "2 d" ago, in the wall's words. */
export function ageParts(fromIso: string | null, now: number): { n: number, unit: 's' | 'min' | 'h' | 'd' } | null {
  if (fromIso === null)
    return null
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000))
  if (seconds < 60)
    return { n: seconds, unit: 's' }
  if (seconds < 3600)
    return { n: Math.floor(seconds / 60), unit: 'min' }
  if (seconds < 86_400)
    return { n: Math.floor(seconds / 3600), unit: 'h' }
  return { n: Math.floor(seconds / 86_400), unit: 'd' }
}
