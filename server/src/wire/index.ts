/**
 * The wire: every type that travels between the server and the screens (REST answers, live frames,
 * snapshots), declared once. Imported as `#wire` (package.json `imports`) by the server and the screen.
 * It imports nothing from the rest of the server: it is the bottom layer both sides stand on.
 */
export * from './api.ts'
export * from './protocol.ts'
export * from './views.ts'
export * from './console.ts'
export * from './tour.ts'
export * from './history.ts'
export * from './briefing.ts'
