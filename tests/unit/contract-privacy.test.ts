import { describe, expect, it } from 'vitest'
import { normaliseRow, SOURCE_COLUMNS, SOURCE_TABLES } from '../../server/src/contract/rows.ts'
import { CONTRACT_COLUMNS, PERSONAL_COLUMNS, wallColumns, wallLeaks } from '../../server/src/contract/tables.ts'
import { buildEngine } from '../../server/src/metrics/engine.ts'
import { allViews } from '../../server/src/metrics/views.ts'

/** A value no view could produce by chance, per personal column. */
const sentinel = (table: string, column: string): string => `PERSONAL:${table}.${column}`

describe('privacy by construction: the wall reads the contract minus its personal columns', () => {
  it('selects no personal column and nothing outside the contract', () => {
    expect(wallLeaks(SOURCE_COLUMNS)).toEqual([])
    for (const table of SOURCE_TABLES) {
      for (const column of SOURCE_COLUMNS[table])
        expect(wallColumns(table)).toContain(column)
    }
  })

  it('catches a personal column added to the contract the moment a selection would read it', () => {
    // A new personal column (e.g. the reporter's ID number) as a later contract version might add it.
    const contract = { ...CONTRACT_COLUMNS, cases: [...CONTRACT_COLUMNS.cases, 'reporter_id_number'] }
    const personal = { ...PERSONAL_COLUMNS, cases: [...PERSONAL_COLUMNS.cases, 'reporter_id_number'] }
    // Derived wall columns leave it out …
    expect(contract.cases.filter(column => !personal.cases.includes(column))).not.toContain('reporter_id_number')
    // … and a selection that reads it (an edit to SOURCE_COLUMNS) is reported with its reason.
    const selection = { ...SOURCE_COLUMNS, cases: [...SOURCE_COLUMNS.cases, 'reporter_id_number'] }
    expect(wallLeaks(selection, contract, personal)).toEqual([{ table: 'cases', column: 'reporter_id_number', reason: 'personal' }])
    // A column the contract does not have is refused too (a typo must not read something unvetted).
    expect(wallLeaks({ cases: ['reporter_phone_tail'] })).toEqual([{ table: 'cases', column: 'reporter_phone_tail', reason: 'not in the contract' }])
  })

  it('lets no personal value of a full contract row reach any wall view', () => {
    const now = Date.UTC(2026, 5, 10, 1, 0)
    const full = (table: keyof typeof CONTRACT_COLUMNS, row: Record<string, unknown>): Record<string, unknown> => {
      const raw: Record<string, unknown> = { ...row }
      for (const column of (PERSONAL_COLUMNS as Record<string, readonly string[]>)[table] ?? [])
        raw[column] = sentinel(table, column)
      return raw
    }
    const rows = {
      villages: [normaliseRow('villages', { id: 1, code: '430821103201', name: '村', kind: 'village', center_lat: 29.4, center_lon: 111.1, active: true })],
      grids: [normaliseRow('grids', full('grids', { id: 1, village_id: 1, code: 'g1', name: '网格1', label_lat: 29.4, label_lon: 111.1, active: true }))],
      case_categories: [normaliseRow('case_categories', { id: 1, parent_id: null, code: 'safety', name: '安全', name_en: 'Safety', active: true })],
      grid_workers: [normaliseRow('grid_workers', full('grid_workers', { id: 1, grid_id: 1, role: 'grid_worker', duty_status: 'on_duty', last_checkin_at: new Date(now), active: true }))],
      cases: [normaliseRow('cases', full('cases', { id: 1, code: 'C1', category_id: 1, level: 'urgent', source: 'app', lat: 29.4, lon: 111.1, grid_id: 1, village_id: 1, status: 'reported', reported_at: new Date(now), accepted_at: null, dispatched_at: null, closed_at: null, sla_deadline: null, resolved_level: null, rating: null, rated_at: null }))],
      iot_alarms: [normaliseRow('iot_alarms', full('iot_alarms', { id: 1, device_code: 'd1', kind: 'gas', status: 'active', raised_at: new Date(now), cleared_at: null, lat: 29.4, lon: 111.1, grid_id: 1, village_id: 1, case_id: null }))],
    }
    const payload = JSON.stringify(allViews(buildEngine(rows, now)))
    expect(payload).toContain('C1')
    expect(payload).not.toContain('PERSONAL:')
  })
})
