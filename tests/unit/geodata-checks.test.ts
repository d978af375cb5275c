import type { Position } from 'geojson'
import type { Context } from '../../tools/geodata/checks/index.ts'
import type { Level, Problem, SourceFeature, Unit } from '../../tools/geodata/types.ts'
import { describe, expect, it } from 'vitest'
import { codeDefect, uncoveredParents, villageKind } from '../../tools/geodata/checks/codes.ts'
import { crossings } from '../../tools/geodata/checks/crossings.ts'
import { NO_CONTEXT, validate } from '../../tools/geodata/checks/index.ts'
import { checkRings } from '../../tools/geodata/checks/rings.ts'
import { closestByName, displayName, loadDivisions, nameMatches } from '../../tools/geodata/divisions.ts'
import { chooseFields } from '../../tools/geodata/fields.ts'
import { frameAt, signedArea } from '../../tools/geodata/geometry.ts'

/**
 * The validation on small made-up polygons in metres around the mock township: each kind of problem
 * is found with its place and size, safe repairs are applied and listed, and clean input passes.
 */

const frame = frameAt(111.18, 29.47)
const divisions = loadDivisions()
const ll = (x: number, y: number): Position => frame.toLonLat([x, y])
const ring = (...xy: [number, number][]): Position[] => xy.map(([x, y]) => ll(x, y))
const square = (x: number, y: number, w: number, h = w): Position[] => ring([x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y])
let next = 1
const unit = (code: string, name: string, rings: Position[][], parent?: string): Unit => ({ index: next++, code, name, parent: parent ?? code.slice(0, code.length === 12 ? 9 : 12), parentSource: 'code', parts: [rings] })
const options = (level: Level, more: Partial<Parameters<typeof validate>[2]> = {}) => ({ level, tolerance: 0.5, repair: false, accept: new Set<Problem['kind']>(), divisions, orientationByFormat: false, ...more })
const kinds = (problems: readonly Problem[]): string[] => problems.map(p => `${p.kind}:${p.severity}`).sort()
const metresFrom = (p: Position | undefined, x: number, y: number): number => {
  const [px, py] = frame.toXY(p!)
  return Math.hypot(px - x, py - y)
}

// Real village codes of 东岳观镇 (430821103): 江西村委会 203 and 彩球村委会 204.
const JIANGXI = '430821103203'
const CAIQIU = '430821103204'
const township = (): Context => ({
  parents: new Map([['430821103', { code: '430821103', name: '东岳观镇', parent: '430821', parts: [[square(0, 0, 2000, 1000)]] }]]),
  siblings: [],
  children: [],
  hasTarget: true,
})

describe('rings', () => {
  it('closes an unclosed ring, removes a repeated vertex and orients rings, reporting each as repairable', () => {
    const u = unit(`${JIANGXI}001`, '江西村第1网格', [ring([0, 0], [0, 100], [100, 100], [100, 100], [100, 0])])
    const r = checkRings(u, frame, false)
    expect(kinds(r.problems)).toEqual(['duplicate-vertex:repairable', 'ring-orientation:repairable', 'ring-unclosed:repairable'])
    expect(r.repairs.map(x => x.kind).sort()).toEqual(['close-ring', 'orient-ring', 'remove-duplicates'])
    const fixed = r.parts[0]![0]!
    expect(fixed).toHaveLength(5)
    expect(fixed[0]).toEqual(fixed[4])
    expect(signedArea(fixed.map(frame.toXY))).toBeGreaterThan(0)
    expect(metresFrom(r.problems.find(p => p.kind === 'duplicate-vertex')!.at, 100, 100)).toBeLessThan(0.01)
  })

  it('orients silently for formats that define exteriors by orientation (Shapefile)', () => {
    const r = checkRings(unit(`${JIANGXI}001`, 'g', [[...square(0, 0, 100)].reverse()]), frame, true)
    expect(r.problems).toEqual([])
    expect(signedArea(r.parts[0]![0]!.map(frame.toXY))).toBeGreaterThan(0)
  })

  it('reports a ring with fewer than 4 positions as an error, not a repair', () => {
    const r = checkRings(unit(`${JIANGXI}001`, 'g', [ring([0, 0], [100, 0], [0, 0])]), frame, false)
    expect(r.degenerate).toBe(true)
    expect(kinds(r.problems)).toEqual(['ring-degenerate:error'])
  })
})

describe('self-intersections', () => {
  it('finds the crossing of a bow-tie and nothing in a square', () => {
    expect(crossings([[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]])).toEqual([[5, 5]])
    expect(crossings([[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]])).toEqual([])
  })

  it('finds a ring touching itself at a vertex, a hole crossing its exterior, and a segment doubling back', () => {
    expect(crossings([[[0, 0], [10, 0], [5, 5], [10, 10], [0, 10], [5, 5], [0, 0]]])).toContainEqual([5, 5])
    expect(crossings([[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[8, 4], [12, 4], [12, 6], [8, 6], [8, 4]]]).length).toBeGreaterThan(0)
    expect(crossings([[[0, 0], [10, 0], [5, 0], [5, 5], [0, 0]]]).length).toBeGreaterThan(0)
  })

  it('reports the crossing point and the folded area of a twisted grid', () => {
    const bow = ring([0, 0], [200, 200], [200, 0], [0, 200], [0, 0])
    const v = validate([unit(`${JIANGXI}001`, '江西村第1网格', [bow])], NO_CONTEXT, options('grid'))
    const p = v.problems.find(x => x.kind === 'self-intersection')!
    expect(metresFrom(p.at, 100, 100)).toBeLessThan(0.01)
    expect(p.areaM2 / 10000).toBeCloseTo(1, 2)
  })
})

describe('shape', () => {
  it('reports slivers with their width, villages in several parts and implausible areas', () => {
    const v = validate([
      unit(`${JIANGXI}001`, '江西村第1网格', [square(0, 0, 1000, 2)]),
      unit(`${JIANGXI}002`, '江西村第2网格', [square(3000, 0, 10)]),
    ], NO_CONTEXT, options('grid'))
    const sliver = v.problems.find(p => p.kind === 'sliver')!
    expect(sliver.widthM).toBeCloseTo(2, 1)
    expect(sliver.areaM2).toBeCloseTo(2000, -1)
    expect(v.problems.find(p => p.kind === 'area-implausible')!.message).toMatch(/0\.00010 km² is implausible for a grid/)
    const multi: Unit = { ...unit(JIANGXI, '江西村', [square(0, 0, 500)]), parts: [[square(0, 0, 500)], [square(1000, 0, 500)]] }
    expect(kinds(validate([multi], NO_CONTEXT, options('village')).problems)).toContain('multipart:error')
  })
})

describe('topology', () => {
  it('reports an overlap between siblings with its place, area and width', () => {
    const v = validate([unit(JIANGXI, '江西村', [square(0, 0, 1000)]), unit(CAIQIU, '彩球村', [square(980, 0, 1020, 1000)])], township(), options('village'))
    const overlap = v.problems.find(p => p.kind === 'overlap')!
    expect(overlap).toMatchObject({ severity: 'error', features: [`${JIANGXI} 江西村`, `${CAIQIU} 彩球村`] })
    expect(overlap.areaM2).toBeCloseTo(20000, -2)
    expect(overlap.widthM).toBeCloseTo(20, 0)
    expect(metresFrom(overlap.at, 990, 500)).toBeLessThan(50)
    expect(v.blocking).toBeGreaterThan(0)
  })

  it('reports a gap inside the parent and a part outside it', () => {
    const v = validate([unit(JIANGXI, '江西村', [square(0, 0, 970, 1000)]), unit(CAIQIU, '彩球村', [square(1000, 0, 1010, 1000)])], township(), options('village'))
    const gap = v.problems.find(p => p.kind === 'gap')!
    expect(gap.areaM2).toBeCloseTo(30000, -2)
    expect(gap.features).toEqual(expect.arrayContaining([`${JIANGXI} 江西村`, `${CAIQIU} 彩球村`]))
    const outside = v.problems.find(p => p.kind === 'outside-parent')!
    expect(outside.areaM2).toBeCloseTo(10000, -2)
    expect(metresFrom(outside.at, 2005, 500)).toBeLessThan(50)
  })

  it('measures a unit wholly outside its parent: its area, width and place, not a snap', () => {
    const v = validate([unit(JIANGXI, '江西村', [square(0, 0, 2000, 1000)]), unit(CAIQIU, '彩球村', [square(5000, 0, 400, 200)])], township(), options('village', { tolerance: 500 }))
    const outside = v.problems.find(p => p.kind === 'outside-parent')!
    expect(outside).toMatchObject({ severity: 'error', features: [`${CAIQIU} 彩球村`, '430821103 东岳观镇'] })
    expect(outside.areaM2).toBeCloseTo(80000, -2)
    expect(outside.widthM).toBeCloseTo(200, -1)
    expect(metresFrom(outside.at, 5200, 100)).toBeLessThan(120)
    expect(outside.message).toMatch(/^all of it \(\d+\.\d m²\) outside 430821103 东岳观镇, up to 2\d\d\.\d\d m wide$/)
  })

  it('reports a gap enclosed by siblings when no parent is known', () => {
    const v = validate([
      unit(JIANGXI, '江西村', [square(0, 0, 3000), square(1000, 1000, 1000)]),
      unit(CAIQIU, '彩球村', [square(1000, 1000, 900, 1000)]),
    ], NO_CONTEXT, options('village'))
    const gaps = v.problems.filter(p => p.kind === 'gap')
    expect(gaps).toHaveLength(1)
    expect(gaps[0]!.areaM2 / 100000).toBeCloseTo(1, 3)
  })

  it('calls pieces no wider than the tolerance repairable, and --repair snaps them away', () => {
    const villages = (): Unit[] => [unit(JIANGXI, '江西村', [square(0, 0, 1000.3, 1000)]), unit(CAIQIU, '彩球村', [square(1000, 0, 1000, 1000)])]
    const before = validate(villages(), township(), options('village'))
    expect(kinds(before.problems)).toEqual(['overlap:repairable'])
    const after = validate(villages(), township(), options('village', { repair: true }))
    expect(after.problems).toEqual([])
    expect(after.repairs.map(r => r.kind)).toEqual(['snap'])
    expect(after.blocking).toBe(0)
  })

  it('ignores rounding noise narrower than 2 cm', () => {
    const v = validate([unit(JIANGXI, '江西村', [square(0, 0, 1000.005, 1000)]), unit(CAIQIU, '彩球村', [square(1000, 0, 1000, 1000)])], township(), options('village'))
    expect(v.problems).toEqual([])
  })

  it('stops villages whose township is not in the target (import parents first), but not a check without a target', () => {
    const villages = (): Unit[] => [unit(JIANGXI, '江西村', [square(0, 0, 1000)])]
    const v = validate(villages(), { ...NO_CONTEXT, hasTarget: true }, options('village'))
    expect(kinds(v.problems)).toEqual(['parent-missing:error'])
    expect(v.problems[0]!.message).toMatch(/its township 430821103 is not in the target: import the township first/)
    expect(v.problems[0]!.areaM2).toBeCloseTo(1e6, -3)
    expect(validate(villages(), NO_CONTEXT, options('village')).problems).toEqual([])
  })

  it('warns when an existing child would be left outside a new parent boundary', () => {
    const context: Context = { ...township(), children: [{ code: `${JIANGXI}001`, name: '江西村第1网格', parent: JIANGXI, parts: [[square(1900, 0, 200)]] }] }
    const v = validate([unit(JIANGXI, '江西村', [square(0, 0, 2000, 1000)])], context, options('village'))
    expect(kinds(v.problems)).toEqual(['children-outside:warning'])
    expect(v.blocking).toBe(0)
  })
})

describe('codes and names', () => {
  it('knows valid division codes of each level', () => {
    expect(codeDefect('430821103', 'township')).toBeUndefined()
    expect(codeDefect('430821000', 'township')).toMatch(/township digits 000/)
    expect(codeDefect('990821103', 'township')).toMatch(/not a province/)
    expect(codeDefect('43082110320', 'village')).toMatch(/12 digits/)
    expect(codeDefect('430821103203001', 'grid')).toBeUndefined()
    expect(codeDefect('430821103203000', 'grid')).toMatch(/all zeros/)
    expect(villageKind('430821103001')).toBe('community')
    expect(villageKind(JIANGXI)).toBe('village')
  })

  it('compares names with the official list and suggests the match', () => {
    expect(displayName('江西村委会')).toBe('江西村')
    expect(displayName('前童居民委员会')).toBe('前童社区')
    expect(nameMatches('江西村', '江西村委会')).toBe(true)
    expect(nameMatches('江西村委会', '江西村委会')).toBe(true)
    expect(nameMatches('江酉村', '江西村委会')).toBe(false)
    expect(closestByName('彩球村', [['430821103203', '江西村委会'], ['430821103204', '彩球村委会']])).toEqual(['430821103204', '彩球村委会'])
  })

  it('reports a misspelled name, an unknown code, a wrong parent, a duplicate and a missing name', () => {
    const v = validate([
      unit(JIANGXI, '江酉村', [square(0, 0, 1000)]),
      unit('430821103299', '彩球村', [square(1000, 0, 1000)]),
      unit('430821104201', '大坪村', [square(0, 1000, 1000)], '430821103'),
      unit(JIANGXI, '', [square(1000, 1000, 1000)]),
    ].map(u => ({ ...u, parentSource: u.code === '430821104201' ? 'option' as const : 'code' as const })), NO_CONTEXT, options('village'))
    const by = (kind: string) => v.problems.find(p => p.kind === kind)!
    expect(by('name-mismatch')).toMatchObject({ suggestion: '江西村', features: [`${JIANGXI} 江酉村`] })
    expect(by('code-unknown').suggestion).toBe('430821103204 彩球村委会')
    expect(by('code-parent-mismatch').message).toMatch(/not under 430821103 \(--parent\)/)
    expect(by('code-duplicate').features).toEqual([JIANGXI])
    expect(by('name-missing').features).toEqual([JIANGXI])
  })

  it('suspects the one unit whose code is under another parent than all the others', () => {
    const units = ['201', '202', '203', '204'].map((v, i) => unit(`430821103${v}`, `村${i}`, [square(i * 1000, 0, 1000)]))
    units.push(unit('430821104205', '村9', [square(4000, 0, 1000)]))
    const v = validate(units, NO_CONTEXT, options('village', { divisions: { counties: new Map(), townships: new Map(), villages: new Map() } }))
    expect(v.problems.filter(p => p.kind === 'code-parent-mismatch').map(p => p.features[0])).toEqual(['430821104205 村9'])
  })

  it('names the parents whose codes and names the official list cannot check, instead of passing them silently', () => {
    const villages = [unit(JIANGXI, '江酉村', [square(0, 0, 1000)]), unit('430821104201', '大坪村', [square(1000, 0, 1000)]), unit('110101001001', '某社区', [square(2000, 0, 1000)]), unit('43082110', 'x', [square(3000, 0, 1000)])]
    // 东岳观镇's villages are in the shipped list; 430821104's and 110101001's are not (a bad code has no parent to name).
    expect(uncoveredParents(villages, 'village', divisions)).toEqual(['110101001', '430821104'])
    expect(uncoveredParents([villages[0]!], 'village', divisions)).toEqual([])
    expect(uncoveredParents([unit('430821103', '东岳观镇', [square(0, 0, 1000)]), unit('110101001', '东华门街道', [square(0, 0, 1000)])], 'township', divisions)).toEqual(['110101'])
    expect(uncoveredParents([unit('110101001001001', '网格', [square(0, 0, 1000)])], 'grid', divisions)).toEqual([])
    // With a list that has the township, its villages are checked.
    const more = { ...divisions, villages: new Map([...divisions.villages, ['430821104201', '大坪村委会']]) }
    expect(uncoveredParents(villages.slice(0, 2), 'village', more)).toEqual([])
  })

  it('lets --accept turn a name mismatch into an accepted problem that does not stop the import', () => {
    const v = validate([unit(JIANGXI, '江酉村', [square(0, 0, 1000)])], NO_CONTEXT, options('village', { accept: new Set(['name-mismatch']) }))
    expect(kinds(v.problems)).toEqual(['name-mismatch:accepted'])
    expect(v.blocking).toBe(0)
  })
})

describe('fields', () => {
  const features = (rows: Record<string, unknown>[]): SourceFeature[] => rows.map((properties, i) => ({ index: i + 1, properties, parts: null, geometryType: 'Polygon' }))

  it('detects English, Chinese and 国土调查 field names', () => {
    expect(chooseFields(['编码', '名称', '上级代码'], features([{ 编码: JIANGXI, 名称: '江西村' }]), 'village', {})).toMatchObject({ code: '编码', name: '名称', parent: '上级代码' })
    expect(chooseFields(['OBJECTID', 'XZQDM', 'XZQMC'], features([{ XZQDM: JIANGXI, XZQMC: '江西村' }]), 'village', {})).toMatchObject({ code: 'XZQDM', name: 'XZQMC' })
    expect(chooseFields(['code', 'name', 'villageCode'], features([]), 'grid', {})).toMatchObject({ code: 'code', name: 'name', parent: 'villageCode' })
  })

  it('detects the code by its values and the name by Chinese text when the names say nothing', () => {
    const f = chooseFields(['FID', 'F1', 'F2'], features([{ FID: 1, F1: 430821103203, F2: '江西村' }]), 'village', {})
    expect(f).toMatchObject({ code: 'F1', name: 'F2' })
    expect(f.how).toMatch(/by its values/)
  })

  it('asks for --code-field or --name-field, listing the fields found, when it cannot tell', () => {
    expect(() => chooseFields(['FID', 'LABEL'], features([{ FID: 1, LABEL: 'x' }]), 'village', {})).toThrow('no code field found: give --code-field (fields: FID, LABEL)')
    expect(() => chooseFields(['code', 'A', 'B'], features([{ code: JIANGXI, A: '江西村', B: '江西' }]), 'village', {})).toThrow(/no name field found: give --name-field \(fields: code, A, B\)/)
    expect(() => chooseFields(['code'], features([]), 'village', { codeField: 'CUN' })).toThrow('--code-field "CUN" is not a field of the file (fields: code)')
  })
})
