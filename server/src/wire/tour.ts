/**
 * A guided tour of the wall (`/?tour=<name>`): steps that fly the map, set its layers, highlight a
 * panel and caption it in both languages, for a given time. Written as YAML or JSON in the tours
 * directory, validated by the server (`domain/tour.ts`) and sent to the screen as this.
 */

/** The wall's panels a step may highlight (the rest dim): the panels' `data-panel`, the map and the ticker. */
export const TOUR_PANELS = ['kpis', 'hourly', 'daily', 'categories', 'villages', 'sla', 'cameras', 'alarms', 'party', 'map', 'ticker'] as const
export type TourPanel = typeof TOUR_PANELS[number]

/** Which figure picks "the busiest" village or grid. */
export const TOUR_BUSIEST = ['today', 'last30Days', 'open', 'overdue'] as const
export type TourBusiest = typeof TOUR_BUSIEST[number]

/**
 * Where a step flies the map: the township (home), a village or grid (by code, by name, or the
 * busiest by a figure), a case (by code, or the latest urgent open case), or a camera (by code, or
 * the online camera nearest the case the tour last showed). `range`: metres from the place.
 */
export type TourFlight
  = | { to: 'home' }
    | { to: 'village', code?: string, name?: string, busiest?: TourBusiest, range?: number }
    | { to: 'grid', code?: string, name?: string, busiest?: TourBusiest, card?: boolean, range?: number }
    | { to: 'case', code?: string, latest?: 'urgent', card?: boolean, range?: number }
    | { to: 'camera', code?: string, nearest?: 'case', card?: boolean, range?: number }

/** The grid metric the grids layer is coloured by (as the legend offers). */
export type TourGridMetric = 'open' | 'overdue' | 'density'

/** The map's layers as a step sets them; a layer left out keeps its state. */
export interface TourLayers {
  grids?: { show?: boolean, metric?: TourGridMetric, extruded?: boolean }
  heat?: { show?: boolean, window?: 'today' | '7d' | '30d', category?: number | null }
  cameras?: { show?: boolean }
  incidents?: { show?: boolean }
}

/** Text in both of the wall's languages. */
export interface TourText {
  zh: string
  en: string
}

export interface TourStep {
  /** A short name for the step, used in errors and by the step indicator (defaults to its number). */
  id: string
  caption: TourText
  /** Seconds the step stays before the next (3–600). */
  seconds: number
  fly?: TourFlight
  layers?: TourLayers
  highlight?: TourPanel
  /** The caption bar offers the printable briefing (`/briefing`) of the last `days` days, today counted. */
  briefing?: { days: number }
}

export interface Tour {
  name: string
  title: TourText
  steps: TourStep[]
}

/** `GET /api/tours`: each tour in the tours directory, or why it cannot be played. */
export interface TourSummary {
  name: string
  /** The file it was read from (relative to the tours directory). */
  file: string
  title: TourText | null
  steps: number
  /** Total seconds of its steps. */
  seconds: number
  /** Why the file is refused (one line naming the step and field); null when it is valid. */
  error: string | null
}

export interface TourList {
  tours: TourSummary[]
}
