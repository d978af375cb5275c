import type { Divisions } from '../divisions.ts'
import type { Level, LonLat, Problem, Unit } from '../types.ts'
import { childrenOf, closestByName, displayName, nameMatches } from '../divisions.ts'
import { CODE_PATTERN } from '../fields.ts'
import { parentOfCode, unitLabel } from '../units.ts'

const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'])

/**
 * Why a code is not a valid division code of the level, or undefined when it is: 6 county digits
 * under a real province, 3 township digits 001–599 (001–099 街道, 100–199 镇, 200–399 乡, 400–599
 * development zones and farms), 3 village digits 001–599 (0xx–1xx 居委会/社区, 2xx–3xx 村委会), and for
 * grids the village code followed by a sequence that is not all zeros.
 */
export function codeDefect(code: string, level: Level): string | undefined {
  if (!CODE_PATTERN[level].test(code))
    return { township: 'a township code has 9 digits', village: 'a village code has 12 digits', grid: 'a grid code is its village\'s 12 digits and a sequence (13–20 digits)' }[level]
  if (!PROVINCES.has(code.slice(0, 2)))
    return `${code.slice(0, 2)} is not a province code`
  const township = Number(code.slice(6, 9))
  if (township < 1 || township > 599)
    return `township digits ${code.slice(6, 9)} are outside 001–599`
  if (level === 'township')
    return undefined
  const village = Number(code.slice(9, 12))
  if (village < 1 || village > 599)
    return `village digits ${code.slice(9, 12)} are outside 001–599`
  if (level === 'grid' && /^0+$/.test(code.slice(12)))
    return 'the grid sequence is all zeros'
  return undefined
}

/** The kind of a village by its code: 社区/居委会 (0xx, 1xx) or 村委会. */
export function villageKind(code: string): 'community' | 'village' {
  return code[9] === '0' || code[9] === '1' ? 'community' : 'village'
}

/** The official name of a code, if the division list has it. */
export function officialName(code: string, level: Level, divisions: Divisions): string | undefined {
  return level === 'township' ? divisions.townships.get(code) : level === 'village' ? divisions.villages.get(code) : undefined
}

/** The official entries under a parent (when the list covers it). */
function officialSiblings(parent: string, level: Level, divisions: Divisions): [string, string][] {
  if (level === 'township')
    return childrenOf(divisions.townships, parent)
  if (level === 'village')
    return childrenOf(divisions.villages, parent)
  return []
}

/**
 * The parents (counties of townships, townships of villages) under which the division list holds no
 * entry, so that the codes and names of their units are not compared with it (grids have no official
 * list). Empty when the list covers every unit with a valid code.
 */
export function uncoveredParents(units: readonly Unit[], level: Level, divisions: Divisions): string[] {
  if (level === 'grid')
    return []
  const parents = new Set(units.filter(u => u.code && codeDefect(u.code, level) === undefined).map(u => parentOfCode(u.code, level)!))
  return [...parents].filter(parent => officialSiblings(parent, level, divisions).length === 0).sort()
}

interface CodeContext {
  level: Level
  divisions: Divisions
  at: (unit: Unit) => LonLat
  area: (unit: Unit) => number
}

function problem(unit: Unit, c: CodeContext, kind: Problem['kind'], message: string, suggestion?: string): Problem {
  return { kind, severity: 'error', features: [unitLabel(unit)], at: c.at(unit), areaM2: c.area(unit), message, suggestion }
}

function checkOfficial(unit: Unit, c: CodeContext): Problem[] {
  const parent = parentOfCode(unit.code, c.level) ?? ''
  const official = officialName(unit.code, c.level, c.divisions)
  if (official !== undefined) {
    if (unit.name && !nameMatches(unit.name, official))
      return [problem(unit, c, 'name-mismatch', `name ${unit.name} differs from the official ${official}`, displayName(official))]
    return []
  }
  const siblings = officialSiblings(parent, c.level, c.divisions)
  if (siblings.length === 0)
    return []
  const match = closestByName(unit.name, siblings)
  return [problem(unit, c, 'code-unknown', `code ${unit.code} is not in the official list of ${parent} (2023 统计用区划代码)`, match ? `${match[0]} ${match[1]}` : undefined)]
}

function checkParent(unit: Unit, c: CodeContext, majority: string | undefined): Problem[] {
  const own = parentOfCode(unit.code, c.level)
  if (own === undefined)
    return []
  if (unit.parent !== undefined && unit.parentSource !== 'code' && own !== unit.parent) {
    const from = unit.parentSource === 'option' ? '--parent' : 'its parent field'
    const fix = closestByName(unit.name, officialSiblings(unit.parent, c.level, c.divisions))
    return [problem(unit, c, 'code-parent-mismatch', `code ${unit.code} is not under ${unit.parent} (${from})`, fix ? `${fix[0]} ${fix[1]}` : `a code starting with ${unit.parent}`)]
  }
  if (majority !== undefined && own !== majority)
    return [problem(unit, c, 'code-parent-mismatch', `code ${unit.code} is under ${own} while the file's other units are under ${majority}`, `a code starting with ${majority}`)]
  return []
}

/** The parent most units share when at least 80 % of 3 or more do (the odd ones are suspect). */
function majorityParent(units: readonly Unit[], level: Level): string | undefined {
  const counts = new Map<string, number>()
  for (const u of units) {
    const p = parentOfCode(u.code, level)
    if (p)
      counts.set(p, (counts.get(p) ?? 0) + 1)
  }
  const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
  return units.length >= 3 && n >= 0.8 * units.length && n < units.length ? top : undefined
}

/**
 * Codes and names: present, valid division codes, unique, under the right parent (`--parent`, a
 * parent field, or the parent most of the file's units share), in the official list where it covers
 * the parent, and named as the list names them (or the display form, 江西村 for 江西村委会).
 */
export function checkCodes(units: readonly Unit[], c: CodeContext): Problem[] {
  const problems: Problem[] = []
  const seen = new Map<string, Unit>()
  const majority = units.every(u => u.parentSource === 'code') ? majorityParent(units, c.level) : undefined
  for (const unit of units) {
    if (!unit.name)
      problems.push(problem(unit, c, 'name-missing', 'has no name'))
    if (!unit.code) {
      problems.push(problem(unit, c, 'code-missing', 'has no code'))
      continue
    }
    const defect = codeDefect(unit.code, c.level)
    if (defect) {
      problems.push(problem(unit, c, 'code-invalid', `code ${unit.code} is not a valid ${c.level} code: ${defect}`))
      continue
    }
    const first = seen.get(unit.code)
    if (first)
      problems.push(problem(unit, c, 'code-duplicate', `code ${unit.code} is also used by feature #${first.index}`))
    seen.set(unit.code, unit)
    problems.push(...checkParent(unit, c, majority), ...checkOfficial(unit, c))
  }
  return problems
}
