import { describe, expect, it } from 'vitest'
import { CATEGORIES, categoryByCode, categoryById, categoryClasses, categoryMix, classOf, leafCategories, SEASON_PROFILES, seasonalFactor } from '../../server/src/domain/categories.ts'

describe('case category tree', () => {
  it('has unique ids and codes, and every leaf under an existing class', () => {
    expect(new Set(CATEGORIES.map(c => c.id)).size).toBe(CATEGORIES.length)
    expect(new Set(CATEGORIES.map(c => c.code)).size).toBe(CATEGORIES.length)
    for (const leaf of leafCategories()) {
      const parent = categoryById(leaf.parentId!)
      expect(parent?.parentId).toBeNull()
      expect(leaf.code.startsWith(`${parent!.code}.`)).toBe(true)
      expect(classOf(leaf)).toBe(parent)
      expect(leaf.weight).toBeGreaterThan(0)
    }
  })

  it('holds the GB/T 30428.2 event classes and the rural governance classes, in Chinese and English', () => {
    const names = categoryClasses().map(c => c.name)
    for (const name of ['市容环境', '宣传广告', '施工管理', '突发事件', '街面秩序', '矛盾纠纷', '安全隐患', '环境卫生', '民生服务', '社会治安', '道路交通'])
      expect(names).toContain(name)
    for (const c of CATEGORIES) {
      expect(c.name).toMatch(/[\u4E00-\u9FFF]/)
      expect(c.nameEn).toMatch(/^[A-Z]/)
    }
    expect(categoryByCode('dispute.land')?.name).toBe('土地山林纠纷')
    expect(leafCategories().filter(c => c.parentId === categoryByCode('dispute')!.id).length).toBeGreaterThanOrEqual(4)
  })

  it('normalises each seasonal profile to a yearly mean of 1', () => {
    for (const season of Object.keys(SEASON_PROFILES) as (keyof typeof SEASON_PROFILES)[]) {
      let sum = 0
      for (let m = 1; m <= 12; m++)
        sum += seasonalFactor(season, m)
      expect(sum / 12).toBeCloseTo(1, 9)
    }
  })

  it('makes flood hazards a summer matter and fire risk a winter–spring one', () => {
    const share = (code: string, month: number): number => {
      const mix = categoryMix(month)
      const total = mix.reduce((a, m) => a + m.weight, 0)
      return mix.find(m => m.category.code === code)!.weight / total
    }
    expect(share('safety.flood', 7)).toBeGreaterThan(5 * share('safety.flood', 1))
    expect(share('safety.fire', 2)).toBeGreaterThan(3 * share('safety.fire', 7))
    expect(share('dispute.labour', 12)).toBeGreaterThan(2 * share('dispute.labour', 6))
    expect(share('environment.straw_burning', 6)).toBeGreaterThan(2 * share('environment.straw_burning', 2))
  })
})
