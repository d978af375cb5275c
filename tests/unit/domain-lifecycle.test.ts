import { describe, expect, it } from 'vitest'
import { CASE_STATUSES, isCaseStatus, isLegalTransition, isOpen, isTerminal, LEGAL_TRANSITIONS, nextForwardStatus, OPEN_STATUSES, STATUS_LABELS, TERMINAL_STATUSES } from '../../server/src/domain/lifecycle.ts'

describe('case lifecycle', () => {
  it('follows the seven steps from report to close on the happy path', () => {
    const path = ['reported']
    let s = nextForwardStatus('reported')
    while (s) {
      expect(isLegalTransition(path[path.length - 1] as never, s)).toBe(true)
      path.push(s)
      s = nextForwardStatus(s)
    }
    expect(path).toEqual(['reported', 'accepted', 'dispatched', 'processing', 'fed_back', 'closed'])
  })

  it('allows cancelling a report, and returning a fed-back case for rework', () => {
    expect(isLegalTransition('reported', 'cancelled')).toBe(true)
    expect(isLegalTransition('fed_back', 'processing')).toBe(true)
  })

  it('creates cases only as reported', () => {
    expect(isLegalTransition(null, 'reported')).toBe(true)
    for (const s of CASE_STATUSES.filter(s => s !== 'reported'))
      expect(isLegalTransition(null, s)).toBe(false)
  })

  it('rejects skipping steps, going backwards and leaving a terminal status', () => {
    expect(isLegalTransition('reported', 'dispatched')).toBe(false)
    expect(isLegalTransition('accepted', 'closed')).toBe(false)
    expect(isLegalTransition('processing', 'closed')).toBe(false)
    expect(isLegalTransition('dispatched', 'accepted')).toBe(false)
    expect(isLegalTransition('dispatched', 'cancelled')).toBe(false)
    for (const t of TERMINAL_STATUSES) {
      expect(LEGAL_TRANSITIONS[t]).toEqual([])
      for (const s of CASE_STATUSES)
        expect(isLegalTransition(t, s)).toBe(false)
    }
  })

  it('reaches every status from reported', () => {
    const seen = new Set<string>(['reported'])
    const queue = ['reported'] as (keyof typeof LEGAL_TRANSITIONS)[]
    while (queue.length > 0) {
      for (const next of LEGAL_TRANSITIONS[queue.shift()!]) {
        if (!seen.has(next)) {
          seen.add(next)
          queue.push(next)
        }
      }
    }
    expect([...seen].sort()).toEqual([...CASE_STATUSES].sort())
  })

  it('splits statuses into open and terminal, each with Chinese and English labels', () => {
    expect([...OPEN_STATUSES, ...TERMINAL_STATUSES].sort()).toEqual([...CASE_STATUSES].sort())
    expect(isOpen('processing')).toBe(true)
    expect(isTerminal('closed')).toBe(true)
    expect(isOpen('cancelled')).toBe(false)
    expect(STATUS_LABELS.closed.zh).toBe('核查结案')
    expect(isCaseStatus('fed_back')).toBe(true)
    expect(isCaseStatus('done')).toBe(false)
  })
})
