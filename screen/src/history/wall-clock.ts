/**
 * An instant as the value of a `datetime-local` input (`2026-11-30T14:00`) on the township's wall
 * clock (`timeZone`), whatever the browser's zone; the server reads such a value in the same zone.
 */
export function wallClockInput(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(ms).map(p => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}
