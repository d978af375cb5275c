import type { Random } from '../random.ts'
import { COUNTIES, TOWNSHIPS, VILLAGES } from './divisions.ts'

/** A village or community to place: code, display name, official name and kind. */
export interface VillageName {
  /** 12-digit statistical division code. */
  code: string
  /** Name as people say it: "江西村" for the official "江西村委会". */
  name: string
  /** Official name in the statistical division list (equal to `name` for synthetic villages). */
  officialName: string
  kind: 'community' | 'village'
  /** Whether name and code are real (NBS 2023 统计用区划代码) or made up. */
  real: boolean
}

/** The township to generate: its identity and the villages it is made of. */
export interface TownshipPlan {
  code: string
  name: string
  /** Province, prefecture and county, e.g. "湖南省张家界市慈利县". */
  county: string
  /** Approximate centre of the county, [lon, lat]. */
  countyCenter: [number, number]
  realTownshipName: boolean
  villages: VillageName[]
}

/** The default township: 东岳观镇 of 慈利县, whose 16 real villages and communities are in the seed data. */
export const DEFAULT_TOWNSHIP = '430821103'

const VILLAGE_STEMS = [
  '杨柳',
  '石门',
  '桃花',
  '金竹',
  '青山',
  '白沙',
  '新桥',
  '黄土坡',
  '龙潭',
  '马家坪',
  '高峰',
  '枫树',
  '柏林',
  '茶园',
  '双溪',
  '长岭',
  '水口',
  '梅子',
  '杉木',
  '永兴',
  '红岩',
  '樟树',
  '五里',
  '田家湾',
  '李家岗',
  '荷花',
  '凤凰',
  '望江',
  '兴隆',
  '团结',
  '向阳',
  '新民',
  '太平',
  '大坪',
  '竹园',
  '松林',
  '河口',
  '沙坪',
  '岩口',
  '花园',
  '清水',
  '柳溪',
  '鹿鸣',
  '金桥',
  '银杏',
  '古井',
  '黄家铺',
  '周家湾',
  '王家坪',
  '张家岗',
  '和平',
  '丰收',
  '南岭',
  '北岗',
  '板桥',
  '栗山',
]

const COMMUNITY_STEMS = ['东街', '西街', '新街', '老街', '集镇', '镇南', '镇北', '文昌', '滨河', '中心']

/**
 * Display name of an official village name: drops the committee suffix ("江西村委会" → "江西村",
 * "双街新家园社区居委会" → "双街新家园社区", "前童居民委员会" → "前童社区"), the way maps and residents name them.
 */
export function displayName(official: string): string {
  return official
    .replace(/社区(?:居委会|居民委员会)$/, '社区')
    .replace(/(?:居委会|居民委员会)$/, '社区')
    .replace(/村(?:委会|民委员会)$/, '村')
}

/** Whether a 12-digit village code is a 社区/居委会 (village digits 0xx) rather than a 村委会 (2xx). */
export function kindOfCode(code: string): 'community' | 'village' {
  return code[9] === '0' ? 'community' : 'village'
}

/**
 * Synthesises plausible village names and codes under a township code (FIELD.md: village digits 0xx for
 * 社区, 2xx for 村委会; real lists have gaps, so codes skip a number now and then).
 */
export function syntheticVillages(random: Random, townshipCode: string, count: number, communities: number): VillageName[] {
  const out: VillageName[] = []
  const communityStems = shuffled(random, COMMUNITY_STEMS)
  for (let i = 0; i < communities; i++) {
    const name = `${communityStems[i % communityStems.length]!}社区`
    out.push({ code: `${townshipCode}${String(i + 1).padStart(3, '0')}`, name, officialName: name, kind: 'community', real: false })
  }
  const stems = shuffled(random, VILLAGE_STEMS)
  let seq = 200
  for (let i = 0; i < count - communities; i++) {
    seq += random.chance(0.3) ? 2 : 1
    const name = `${stems[i % stems.length]!}村`
    out.push({ code: `${townshipCode}${String(seq).padStart(3, '0')}`, name, officialName: name, kind: 'village', real: false })
  }
  return out
}

/** A plausible name for a township code that is not in the seed list (镇 100–199, 乡 200–399, 街道 001–099). */
export function syntheticTownshipName(code: string): string {
  const digits = Number(code.slice(6))
  const suffix = digits < 100 ? '街道' : digits < 200 ? '镇' : '乡'
  // Chosen by code, not by seed: the same code keeps its name, and neighbouring codes never share one
  // (13 is coprime to the number of stems).
  return `${VILLAGE_STEMS[(digits * 13) % VILLAGE_STEMS.length]!}${suffix}`
}

/**
 * Resolves the township and its villages. A code with real villages in the seed data uses them (all of
 * them, or the first `villages` if fewer are asked for, communities first); any other code of the five
 * seed counties gets its real township name (when listed) and synthetic villages.
 */
export function planTownship(random: Random, township: string = DEFAULT_TOWNSHIP, villages?: number): TownshipPlan {
  if (!/^\d{9}$/.test(township))
    throw new Error(`township code must have 9 digits, got "${township}"`)
  const county = COUNTIES[township.slice(0, 6)]
  if (!county)
    throw new Error(`township ${township} is not in one of the seed counties (${Object.keys(COUNTIES).join(', ')})`)
  const listedName = TOWNSHIPS[township]
  const name = listedName ?? syntheticTownshipName(township)
  const real = VILLAGES[township]
  let list: VillageName[]
  if (real) {
    list = real.map(([code, official]) => ({ code, name: displayName(official), officialName: official, kind: kindOfCode(code), real: true }))
    // Communities first, so that a shortened list keeps the township seat.
    list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'community' ? -1 : 1))
    if (villages !== undefined && villages < list.length)
      list = list.slice(0, Math.max(1, villages))
  }
  else {
    const count = villages ?? random.int(16, 20)
    list = syntheticVillages(random, township, count, Math.min(count - 1, random.int(1, 2)))
  }
  return { code: township, name, county: county.name, countyCenter: county.center, realTownshipName: listedName !== undefined, villages: list }
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = items.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    const tmp = out[i]!
    out[i] = out[j]!
    out[j] = tmp
  }
  return out
}
