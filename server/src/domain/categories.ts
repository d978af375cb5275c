import type { CaseLevel } from './sla.ts'

/**
 * The case category tree: the event classes of GB/T 30428.2 (数字化城市管理信息系统 管理部件和事件:
 * 市容环境, 宣传广告, 施工管理, 突发事件, 街面秩序) plus the classes rural governance adds (矛盾纠纷,
 * 安全隐患, 环境卫生, 民生服务, 社会治安, 道路交通), each with sub-categories. The tree is extensible:
 * a township adds rows to `case_categories` under any class; the ids below are the mock's and the
 * defaults of a fresh contract database.
 *
 * Each leaf carries how common it is, how its level is usually judged, and how it varies over the
 * year (seasonal profile), so that the mock township's cases follow the seasons a township sees:
 * flood hazards in the 汛期 (summer), fire risk in the dry winter–spring, disputes and wage arrears
 * before the Spring Festival, straw burning after the harvests.
 */

/** Seasonal profiles: a multiplier for each month, January first. */
export const SEASON_PROFILES = {
  flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  // 汛期 May–September, the main flood season June–August.
  flood: [0.2, 0.2, 0.4, 0.7, 1.3, 2.4, 2.8, 2.2, 1.2, 0.5, 0.3, 0.2],
  // Landslides follow the rains but start with the spring rains.
  geological: [0.3, 0.3, 0.6, 1.0, 1.6, 2.2, 2.2, 1.6, 1.1, 0.6, 0.3, 0.3],
  // Dry season: heating, Spring Festival fireworks, 清明 grave-sweeping fires in April.
  fire: [2.0, 2.2, 1.8, 1.6, 0.8, 0.4, 0.3, 0.3, 0.5, 0.9, 1.3, 1.8],
  // Returning migrant workers: family disputes, gambling, theft around the Spring Festival.
  springFestival: [1.8, 1.6, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.4],
  // Wage arrears peak before the Spring Festival (年底讨薪).
  wage: [2.0, 1.2, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8, 0.9, 1.2, 2.4],
  // Straw burning and crop drying after the summer (wheat/rapeseed) and autumn (rice) harvests.
  harvest: [0.6, 0.5, 0.7, 0.8, 1.6, 1.8, 0.7, 0.8, 1.1, 1.7, 1.4, 0.7],
  // Heat: garbage smells, sewage, noise, drowning, electrical load.
  summer: [0.6, 0.6, 0.8, 0.9, 1.1, 1.4, 1.6, 1.6, 1.2, 0.9, 0.7, 0.6],
  // Cold: gas heating, coal, the elderly living alone, dark evenings.
  winter: [2.0, 1.8, 1.2, 0.8, 0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.2, 1.8],
  // Spring ploughing and planting revive land and homestead boundaries.
  land: [0.8, 1.0, 1.6, 1.6, 1.2, 0.9, 0.8, 0.8, 0.9, 1.0, 0.9, 0.8],
  // Rural medical insurance is paid September–December for the next year.
  insurance: [1.3, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 1.2, 1.4, 1.5, 1.5],
} as const satisfies Record<string, readonly number[]>

/** A seasonal profile name. */
export type SeasonProfile = keyof typeof SEASON_PROFILES

/** One node of the category tree. Classes (top level) have `parentId = null` and weight 0. */
export interface CategoryNode {
  id: number
  parentId: number | null
  /** Stable code: the class (`safety`) or class.leaf (`safety.flood`). */
  code: string
  name: string
  nameEn: string
  /** Share of all cases in an average month (leaves only, need not sum to 1). */
  weight: number
  season: SeasonProfile
  /** Relative frequency of each level among this category's cases. */
  levels: Readonly<Record<CaseLevel, number>>
}

type LevelMix = Readonly<Record<CaseLevel, number>>
const USUAL: LevelMix = { general: 0.9, serious: 0.07, major: 0.01, urgent: 0.02 }
const DISPUTE: LevelMix = { general: 0.82, serious: 0.13, major: 0.04, urgent: 0.01 }
const HAZARD: LevelMix = { general: 0.74, serious: 0.12, major: 0.02, urgent: 0.12 }
const EMERGENCY: LevelMix = { general: 0.15, serious: 0.15, major: 0.05, urgent: 0.65 }

type LeafSpec = [code: string, name: string, nameEn: string, weight: number, season: SeasonProfile, levels?: LevelMix]
type ClassSpec = [code: string, name: string, nameEn: string, leaves: LeafSpec[]]

const TREE: ClassSpec[] = [
  ['dispute', '矛盾纠纷', 'Disputes', [
    ['land', '土地山林纠纷', 'Land and forest disputes', 25, 'land', DISPUTE],
    ['homestead', '宅基地纠纷', 'Homestead disputes', 15, 'land', DISPUTE],
    ['neighbour', '邻里纠纷', 'Neighbour disputes', 40, 'flat', DISPUTE],
    ['family', '婚姻家庭纠纷', 'Marriage and family disputes', 30, 'springFestival', DISPUTE],
    ['labour', '劳资纠纷', 'Labour and wage disputes', 20, 'wage', DISPUTE],
    ['debt', '合同债务纠纷', 'Contract and debt disputes', 15, 'springFestival', DISPUTE],
    ['compensation', '征地拆迁补偿纠纷', 'Land acquisition compensation disputes', 8, 'flat', { general: 0.6, serious: 0.25, major: 0.14, urgent: 0.01 }],
  ]],
  ['safety', '安全隐患', 'Safety hazards', [
    ['fire', '火灾隐患', 'Fire hazards', 30, 'fire', HAZARD],
    ['gas', '燃气隐患', 'Gas hazards', 12, 'winter', { general: 0.62, serious: 0.1, major: 0.02, urgent: 0.26 }],
    ['flood', '防汛隐患', 'Flood hazards', 25, 'flood', { general: 0.62, serious: 0.18, major: 0.04, urgent: 0.16 }],
    ['geological', '地质灾害隐患', 'Geological hazards', 10, 'geological', { general: 0.6, serious: 0.2, major: 0.06, urgent: 0.14 }],
    ['building', '危房隐患', 'Unsafe buildings', 12, 'geological', HAZARD],
    ['electric', '用电隐患', 'Electrical hazards', 15, 'summer', HAZARD],
    ['drowning', '溺水隐患', 'Drowning hazards', 8, 'summer', HAZARD],
  ]],
  ['environment', '环境卫生', 'Environmental sanitation', [
    ['garbage', '垃圾乱堆乱放', 'Garbage dumping', 70, 'summer'],
    ['sewage', '污水乱排', 'Sewage discharge', 25, 'summer'],
    ['straw_burning', '秸秆焚烧', 'Straw burning', 20, 'harvest', { general: 0.85, serious: 0.08, major: 0.01, urgent: 0.06 }],
    ['livestock', '畜禽养殖污染', 'Livestock pollution', 15, 'summer'],
    ['river', '河塘保洁', 'River and pond cleaning', 20, 'summer'],
    ['toilet', '公厕卫生', 'Public toilets', 10, 'summer'],
  ]],
  ['livelihood', '民生服务', 'Livelihood services', [
    ['social_security', '社保医保', 'Social and medical insurance', 30, 'insurance'],
    ['elderly', '养老服务', 'Elderly care', 30, 'winter', { general: 0.88, serious: 0.05, major: 0.01, urgent: 0.06 }],
    ['subsistence', '低保救助', 'Subsistence allowance and relief', 25, 'springFestival'],
    ['disability', '残疾人服务', 'Disability services', 10, 'flat'],
    ['employment', '就业帮扶', 'Employment assistance', 10, 'springFestival'],
    ['certificates', '证照代办', 'Certificates and permits', 30, 'flat'],
    ['water_supply', '饮水供水', 'Drinking water supply', 20, 'summer'],
  ]],
  ['public_order', '社会治安', 'Public order', [
    ['theft', '盗窃', 'Theft', 15, 'springFestival'],
    ['fraud', '电信网络诈骗', 'Telecom and online fraud', 12, 'flat'],
    ['gambling', '聚众赌博', 'Gambling', 8, 'springFestival'],
    ['noise', '噪声扰民', 'Noise', 15, 'summer'],
    ['fight', '打架斗殴', 'Fights', 8, 'springFestival', { general: 0.6, serious: 0.15, major: 0.03, urgent: 0.22 }],
    ['special_population', '重点人员异常', 'Special-population alerts', 8, 'flat', { general: 0.7, serious: 0.2, major: 0.04, urgent: 0.06 }],
  ]],
  ['traffic', '道路交通', 'Road traffic', [
    ['road_damage', '道路破损', 'Road damage', 30, 'flood'],
    ['parking', '乱停乱放', 'Illegal parking', 25, 'flat'],
    ['accident', '交通事故', 'Traffic accidents', 10, 'springFestival', { general: 0.45, serious: 0.15, major: 0.05, urgent: 0.35 }],
    ['street_light', '路灯故障', 'Street lights out', 20, 'winter'],
    ['farm_vehicle', '农用车违法载人', 'Farm vehicles carrying passengers', 8, 'harvest'],
    ['facilities', '交通设施损坏', 'Damaged traffic facilities', 10, 'flat'],
  ]],
  ['city_appearance', '市容环境', 'City appearance', [
    ['exposed_garbage', '暴露垃圾', 'Exposed garbage', 20, 'summer'],
    ['graffiti', '乱涂乱画', 'Graffiti and damaged façades', 10, 'flat'],
    ['greenery', '绿化损坏', 'Damaged greenery', 10, 'summer'],
    ['public_facilities', '公共设施损坏', 'Damaged public facilities', 20, 'flat'],
  ]],
  ['advertising', '宣传广告', 'Advertising', [
    ['flyers', '非法小广告', 'Illegal flyers', 15, 'flat'],
    ['banners', '违规户外广告', 'Unauthorised banners and signs', 10, 'springFestival'],
  ]],
  ['construction', '施工管理', 'Construction management', [
    ['illegal_building', '违法建设', 'Illegal construction', 20, 'land', { general: 0.8, serious: 0.15, major: 0.04, urgent: 0.01 }],
    ['waste', '建筑垃圾', 'Construction waste', 10, 'flat'],
    ['site', '施工扰民', 'Construction site nuisance', 10, 'summer'],
  ]],
  ['emergency', '突发事件', 'Emergencies', [
    ['fire', '火情', 'Fires', 4, 'fire', EMERGENCY],
    ['flood', '汛情险情', 'Flood emergencies', 3, 'flood', EMERGENCY],
    ['public_health', '公共卫生事件', 'Public health events', 2, 'winter', EMERGENCY],
    ['rescue', '求助救援', 'Rescue requests', 5, 'flat', EMERGENCY],
  ]],
  ['street_order', '街面秩序', 'Street order', [
    ['vendors', '占道经营', 'Street vending', 25, 'springFestival'],
    ['crop_drying', '占道晒粮', 'Crop drying on roads', 10, 'harvest'],
    ['market', '集市秩序', 'Market order', 10, 'springFestival'],
  ]],
]

function buildTree(): CategoryNode[] {
  const nodes: CategoryNode[] = []
  TREE.forEach(([code, name, nameEn, leaves], i) => {
    const classId = i + 1
    nodes.push({ id: classId, parentId: null, code, name, nameEn, weight: 0, season: 'flat', levels: USUAL })
    leaves.forEach(([leafCode, leafName, leafEn, weight, season, levels], j) => {
      nodes.push({ id: classId * 100 + j + 1, parentId: classId, code: `${code}.${leafCode}`, name: leafName, nameEn: leafEn, weight, season, levels: levels ?? USUAL })
    })
  })
  return nodes
}

/** Every node of the default tree, classes first in each group: `[class, its leaves…, next class, …]`. */
export const CATEGORIES: readonly CategoryNode[] = buildTree()

const byCode = new Map(CATEGORIES.map(c => [c.code, c]))
const byId = new Map(CATEGORIES.map(c => [c.id, c]))

/** The node with this code, if any. */
export function categoryByCode(code: string): CategoryNode | undefined {
  return byCode.get(code)
}

/** The node with this id, if any. */
export function categoryById(id: number): CategoryNode | undefined {
  return byId.get(id)
}

/** The top-level classes. */
export function categoryClasses(): CategoryNode[] {
  return CATEGORIES.filter(c => c.parentId === null)
}

/** The leaves, which cases are filed under. */
export function leafCategories(): CategoryNode[] {
  return CATEGORIES.filter(c => c.parentId !== null)
}

/** The class a node belongs to (itself for a class). */
export function classOf(node: CategoryNode): CategoryNode {
  return node.parentId === null ? node : (byId.get(node.parentId) ?? node)
}

/** A profile's multiplier for a month (1–12), normalised so the profile averages 1 over the year. */
export function seasonalFactor(season: SeasonProfile, month: number): number {
  const profile: readonly number[] = SEASON_PROFILES[season]
  const mean = profile.reduce((a, b) => a + b, 0) / 12
  return (profile[(month - 1) % 12] ?? 1) / mean
}

/**
 * Leaves with their weight in a month (1–12): base weight × seasonal factor. The generator and the
 * simulator draw categories from it.
 */
export function categoryMix(month: number): { category: CategoryNode, weight: number }[] {
  return leafCategories().map(category => ({ category, weight: category.weight * seasonalFactor(category.season, month) }))
}
