import { describe, expect, it } from 'vitest'
import { CATEGORIES } from '../domain/categories.ts'
import { categoryTree } from './console.ts'

const row = (id: number, parent: number | null, code: string, active = true) => ({ id, parent_id: parent, code, name: `名${id}`, name_en: `n${id}`, active })

describe('the console\'s category filter', () => {
  it('lists each class followed by its own leaves, indented by depth', () => {
    const tree = categoryTree([row(201, 2, 'b.x'), row(1, null, 'a'), row(2, null, 'b'), row(101, 1, 'a.y'), row(102, 1, 'a.x')])
    expect(tree.map(c => [c.id, c.depth])).toEqual([[1, 0], [102, 1], [101, 1], [2, 0], [201, 1]])
  })

  it('leaves out retired categories and keeps a leaf whose class was retired, as a class', () => {
    const tree = categoryTree([row(1, null, 'a', false), row(101, 1, 'a.x'), row(2, null, 'b'), row(201, 2, 'b.x', false)])
    expect(tree.map(c => [c.id, c.depth])).toEqual([[101, 0], [2, 0]])
  })

  it('covers the whole default tree once', () => {
    const tree = categoryTree(CATEGORIES.map(c => row(c.id, c.parentId, c.code)))
    expect(tree.map(c => c.id).sort((a, b) => a - b)).toEqual(CATEGORIES.map(c => c.id).sort((a, b) => a - b))
    expect(tree.filter(c => c.depth === 0)).toHaveLength(CATEGORIES.filter(c => c.parentId === null).length)
  })
})
