import type { ReportHeader } from '../../tools/geodata/report.ts'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { NO_CONTEXT, validate } from '../../tools/geodata/checks/index.ts'
import { runGeodataCli } from '../../tools/geodata/cli.ts'
import { loadDivisions } from '../../tools/geodata/divisions.ts'
import { readSource } from '../../tools/geodata/formats/index.ts'
import { pictureHtml } from '../../tools/geodata/picture.ts'
import { prepareUnits } from '../../tools/geodata/units.ts'

/**
 * The picture of the problems (`<report>.html`, named at the end of the text report): a page that
 * opens offline (no script, nothing fetched), with every problem numbered at its place on the
 * overview, the flagged features and the problem areas filled red, and one close-up per problem that
 * shows that place.
 */

const fixture = fileURLToPath(new URL('../fixtures/geodata/grids-defects-wgs84.geojson', import.meta.url))
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geodata-picture-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function validated(): Promise<ReturnType<typeof validate>> {
  const source = await readSource(fixture, { maxBytes: 1e8 })
  const prepared = prepareUnits(source, { level: 'grid' })
  return validate(prepared.units, NO_CONTEXT, { level: 'grid', tolerance: 0.5, repair: false, accept: new Set(), divisions: loadDivisions(), orientationByFormat: false })
}

const header: ReportHeader = { command: 'check', file: 'grids-defects-wgs84.geojson', format: 'geojson', layer: undefined, level: 'grid', crs: 'WGS84', fields: 'code', tolerance: 0.5, repair: false, units: 12, uncheckedParents: [] }

/** The `<svg>` elements of the page, in order (the overview first, then one per problem). */
const svgs = (html: string): string[] => html.match(/<svg[\s\S]*?<\/svg>/g) ?? []

describe('the picture of the problems', () => {
  it('is written beside the report, which names it, and opens offline', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    let code: number
    try {
      code = await runGeodataCli(['check', fixture, '--level', 'grid', '--report-dir', dir])
    }
    finally {
      out.mockRestore()
    }
    expect(code).toBe(1)
    const files = await readdir(dir)
    const text = files.find(f => f.endsWith('.txt'))!
    const html = files.find(f => f.endsWith('.html'))!
    expect(text.replace(/\.txt$/, '')).toBe(html.replace(/\.html$/, ''))
    const report = await readFile(join(dir, text), 'utf8')
    expect(report.trim().split('\n').at(-1)).toBe(`picture: ${join(dir, html)}`)
    const page = await readFile(join(dir, html), 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i)
    expect(page.match(/https?:\/\/[^"]+/g)).toEqual(svgs(page).map(() => 'http://www.w3.org/2000/svg'))
  })

  it('numbers every problem at its place on the overview and fills the flagged features and problem areas', async () => {
    const v = await validated()
    expect(v.problems.map(p => p.kind).sort()).toEqual(['code-parent-mismatch', 'duplicate-vertex', 'gap', 'overlap', 'ring-unclosed', 'self-intersection'])
    const page = pictureHtml(header, v.units, v.problems, NO_CONTEXT, v.frame)
    const [overview, ...closeUps] = svgs(page)
    expect(closeUps).toHaveLength(v.problems.length)
    v.problems.forEach((p, i) => {
      const [x, y] = v.frame.toXY(p.at!)
      const marker = new RegExp(`<circle cx="${x.toFixed(2)}" cy="${(-y).toFixed(2)}"[^>]*/><text[^>]*>${i + 1}</text>`)
      expect(overview, `marker ${i + 1} (${p.kind})`).toMatch(marker)
      expect(closeUps[i], `close-up ${i + 1} (${p.kind})`).toMatch(marker)
      for (const feature of p.features)
        expect(overview).toMatch(new RegExp(`fill="#fdecea"[^>]*><title>${feature}</title>`))
    })
    // Overlap and gap: their own areas, filled.
    const pieces = v.problems.reduce((n, p) => n + (p.pieces?.length ?? 0), 0)
    expect(pieces).toBeGreaterThanOrEqual(2)
    expect(overview!.match(/fill="#e74c3c"/g)).toHaveLength(pieces)
    // The units no problem concerns are drawn, not flagged.
    const flagged = new Set(v.problems.flatMap(p => p.features))
    const plain = v.units.filter(u => !flagged.has(`${u.code} ${u.name}`))
    expect(plain.length).toBeGreaterThan(0)
    for (const u of plain)
      expect(overview).toMatch(new RegExp(`fill="#eef2f5"[^>]*><title>${u.code} ${u.name}</title>`))
  })

  it('shows each problem\'s place inside its close-up, with the problem\'s line under it', async () => {
    const v = await validated()
    const page = pictureHtml(header, v.units, v.problems, NO_CONTEXT, v.frame)
    const closeUps = svgs(page).slice(1)
    const captions = [...page.matchAll(/<h3>([^<]*)<\/h3>/g)].map(m => m[1]!)
    v.problems.forEach((p, i) => {
      const [x, y] = v.frame.toXY(p.at!)
      const [left, top, width, height] = closeUps[i]!.match(/viewBox="([^"]+)"/)![1]!.split(' ').map(Number) as [number, number, number, number]
      expect(x).toBeGreaterThan(left)
      expect(x).toBeLessThan(left + width)
      expect(-y).toBeGreaterThan(top)
      expect(-y).toBeLessThan(top + height)
      // A close-up, not the whole township: a few hundred metres at most for the small defects.
      if (p.kind !== 'code-parent-mismatch')
        expect(width).toBeLessThan(1000)
      expect(captions[i]).toContain(`${i + 1}. `)
      expect(captions[i]).toContain(p.kind)
      expect(captions[i]).toContain(p.features[0])
    })
  })
})
