import { describe, expect, it } from 'vitest'
import { copySql, csvChunks, csvField, quoteIdent } from '../../server/src/db/csv.ts'

describe('COPY encoding', () => {
  it('keeps NULL and the empty string apart, and escapes quotes, commas and newlines', () => {
    expect([null, '', 'a"b', 'x,y\nz', 3, true].map(csvField)).toEqual(['', '""', '"a""b"', '"x,y\nz"', '"3"', '"true"'])
  })

  it('sends dates as ISO-8601 and objects as JSON', () => {
    expect(csvField(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('"2026-01-02T03:04:05.000Z"')
    expect(csvField({ kind: '燃气' })).toBe('"{""kind"":""燃气""}"')
  })

  it('splits rows into chunks without losing any', () => {
    const rows = Array.from({ length: 45 }, (_, i) => [i, `r${i}`])
    const chunks = [...csvChunks(rows, 20)]
    expect(chunks.map(c => c.count)).toEqual([20, 20, 5])
    expect(chunks.map(c => c.csv).join('').trim().split('\n')).toHaveLength(45)
  })

  it('refuses anything but a plain identifier, so names cannot carry SQL', () => {
    expect(quoteIdent('cases')).toBe('"cases"')
    expect(() => quoteIdent('cases; drop table x')).toThrow(/not an SQL identifier/)
    expect(copySql('cases', ['id', 'code'], 'STDIN')).toBe('COPY "cases" ("id", "code") FROM STDIN WITH (FORMAT csv)')
  })
})
