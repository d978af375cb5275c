import type { Context } from './checks/index.ts'
import type { Frame } from './geometry.ts'
import type { ReportHeader } from './report.ts'
import type { Parts, Problem, Unit } from './types.ts'
import { problemLine } from './report.ts'
import { unitLabel } from './units.ts'

/**
 * A self-contained HTML page of the problems: an overview SVG of the units (their neighbours and
 * parents dashed) with every problem's area filled and its place numbered, then one close-up per
 * problem. Inline SVG and CSS only: no script, nothing fetched.
 */

interface Shape {
  label: string
  parts: Parts
  role: 'unit' | 'flagged' | 'context' | 'parent'
}

type Box = [number, number, number, number]

const escape = (s: string): string => s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

function pathOf(parts: Parts, frame: Frame): string {
  return parts.flatMap(rings => rings.map(ring => `M${ring.map((p) => {
    const [x, y] = frame.toXY(p)
    return `${x.toFixed(2)} ${(-y).toFixed(2)}`
  }).join('L')}Z`)).join('')
}

function boxOf(parts: Parts, frame: Frame): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity]
  for (const p of parts.flat(2)) {
    const [x, y] = frame.toXY(p)
    box[0] = Math.min(box[0], x)
    box[1] = Math.min(box[1], -y)
    box[2] = Math.max(box[2], x)
    box[3] = Math.max(box[3], -y)
  }
  return box
}

const meets = (a: Box, b: Box): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]

const STYLE: Record<Shape['role'], string> = {
  unit: 'fill="#eef2f5" stroke="#52606d"',
  flagged: 'fill="#fdecea" stroke="#c0392b"',
  context: 'fill="none" stroke="#9aa5b1" stroke-dasharray="4 3"',
  parent: 'fill="none" stroke="#1f2933" stroke-dasharray="8 4"',
}

function svg(shapes: readonly Shape[], problems: readonly { p: Problem, n: number }[], view: Box, frame: Frame, width: number): string {
  const size = Math.max(view[2] - view[0], view[3] - view[1])
  const shapeMarkup = shapes.filter(s => meets(boxOf(s.parts, frame), view)).map(s =>
    `<path d="${pathOf(s.parts, frame)}" ${STYLE[s.role]} fill-rule="evenodd" vector-effect="non-scaling-stroke" stroke-width="1"><title>${escape(s.label)}</title></path>`)
  const pieceMarkup = problems.flatMap(({ p }) => (p.pieces ?? []).map(piece => `<path d="${pathOf([piece], frame)}" fill="#e74c3c" fill-opacity="0.6" stroke="#c0392b" vector-effect="non-scaling-stroke" stroke-width="1.5"/>`))
  const markers = problems.filter(({ p }) => p.at).map(({ p, n }) => {
    const [x, y] = frame.toXY(p.at!)
    const r = size / 60
    return `<g><circle cx="${x.toFixed(2)}" cy="${(-y).toFixed(2)}" r="${r.toFixed(2)}" fill="none" stroke="${p.severity === 'warning' || p.severity === 'accepted' ? '#d68910' : '#c0392b'}" stroke-width="2" vector-effect="non-scaling-stroke"/><text x="${(x + r).toFixed(2)}" y="${(-y - r).toFixed(2)}" font-size="${(size / 40).toFixed(2)}" fill="#c0392b">${n}</text></g>`
  })
  const pad = size * 0.03
  const viewBox = [view[0] - pad, view[1] - pad, view[2] - view[0] + 2 * pad, view[3] - view[1] + 2 * pad].map(v => v.toFixed(2)).join(' ')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" width="${width}" style="max-width:100%;background:#fff">${[...shapeMarkup, ...pieceMarkup, ...markers].join('')}</svg>`
}

function closeUp(p: Problem, frame: Frame): Box {
  const [x, y] = frame.toXY(p.at!)
  const half = Math.max(40, Math.sqrt(p.areaM2) * 1.5, (p.widthM ?? 0) * 4)
  return [x - half, -y - half, x + half, -y + half]
}

/** The HTML page. `units` are the validated units; `context` what the target holds around them. */
export function pictureHtml(header: ReportHeader, units: readonly Unit[], problems: readonly Problem[], context: Context, frame: Frame): string {
  const flagged = new Set(problems.flatMap(p => p.features))
  const shapes: Shape[] = [
    ...[...context.parents.values()].map(u => ({ label: `${u.code} ${u.name}`, parts: u.parts, role: 'parent' as const })),
    ...context.siblings.map(u => ({ label: `${u.code} ${u.name}`, parts: u.parts, role: 'context' as const })),
    ...units.map(u => ({ label: unitLabel(u), parts: u.parts, role: flagged.has(unitLabel(u)) ? 'flagged' as const : 'unit' as const })),
  ].filter(s => s.parts.length > 0)
  const numbered = problems.map((p, i) => ({ p, n: i + 1 }))
  const all: Box = shapes.map(s => boxOf(s.parts, frame)).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity])
  const overview = Number.isFinite(all[0]) ? svg(shapes, numbered, all, frame, 900) : '<p>No geometry to draw.</p>'
  const rows = numbered.map(({ p, n }) => `<section>${p.at ? svg(shapes, [{ p, n }], closeUp(p, frame), frame, 360) : ''}<h3>${escape(problemLine(p, n))}</h3></section>`)
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>geodata ${escape(header.command)}: ${escape(header.file)}</title>
<style>body{font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:24px;color:#1f2933}h1{font-size:20px}h3{font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;margin:4px 0}.problems{display:flex;flex-wrap:wrap;gap:16px}section{width:380px;border-top:1px solid #d9e2ec;padding:8px 0}.legend span{display:inline-block;margin-right:16px}</style>
</head><body>
<h1>geodata ${escape(header.command)}: ${escape(header.file)}</h1>
<p>${escape(header.format)}, ${header.units} ${escape(header.level)} feature(s), CRS ${escape(header.crs)}; tolerance ${header.tolerance} m; ${problems.length} problem(s).</p>
<p class="legend"><span style="color:#c0392b">■ problem areas and flagged features</span><span style="color:#52606d">□ imported features</span><span style="color:#9aa5b1">┅ existing neighbours</span><span>┅ parent</span></p>
${overview}
<div class="problems">
${rows.join('\n')}
</div>
</body></html>
`
}
