import type { CategoryNode } from '../../server/src/domain/categories.ts'
import type { ActorRole } from '../../server/src/domain/lifecycle.ts'
import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { Random } from '../random.ts'
import type { CaseSource } from '../rows.ts'
import { CASE_LEVELS } from '../../server/src/domain/sla.ts'
import { householdAddress, mobilePhone, personName } from '../names.ts'

/**
 * Who reports what, how, and in what words: the source channel by class of case, the level mix, the
 * reporter, the address and the description. Shared by the generated year and the live simulator.
 */

const SOURCES: CaseSource[] = ['app', 'hotline', 'grid_patrol', 'camera', 'walk_in', 'referral']
// Source channel weights by class, in the order of SOURCES.
const SOURCE_MIX: Record<string, number[]> = {
  dispute: [30, 20, 25, 0, 20, 5],
  safety: [20, 10, 55, 10, 2, 3],
  environment: [20, 10, 50, 20, 0, 0],
  livelihood: [35, 25, 10, 0, 30, 0],
  public_order: [20, 35, 25, 15, 2, 3],
  traffic: [20, 15, 40, 25, 0, 0],
  city_appearance: [10, 5, 55, 30, 0, 0],
  advertising: [10, 5, 55, 30, 0, 0],
  construction: [15, 10, 55, 15, 0, 5],
  emergency: [20, 50, 20, 10, 0, 0],
  street_order: [10, 5, 55, 30, 0, 0],
}

const PHRASES: Record<string, string[]> = {
  dispute: ['双方争执不下，请求村里调解。', '矛盾有激化苗头，请网格员尽快上门。', '此前已调解一次未果，群众情绪较大。'],
  safety: ['存在安全隐患，请尽快排查处置。', '隐患点靠近居民房屋，群众担心。', '网格员已设置临时警示标志。'],
  environment: ['影响村容村貌，请安排清理。', '气味较大，群众反映强烈。', '已持续数日，无人处理。'],
  livelihood: ['群众咨询办理流程，请协助。', '申请上门服务。', '材料已初步收集，请指导办理。'],
  public_order: ['请派出所和网格员核实。', '群众担心安全，请求处理。'],
  traffic: ['影响车辆和行人通行。', '夜间存在安全隐患，请尽快修复。'],
  emergency: ['情况紧急，请立即处置！', '已通知相关部门赶赴现场。'],
  default: ['影响市容秩序，请处置。', '多次劝导无效，请执法队处理。'],
}

/** Who files the first event of a case reported through each channel. */
export const REPORTER: Readonly<Record<CaseSource, ActorRole>> = { app: 'resident', hotline: 'resident', walk_in: 'resident', grid_patrol: 'grid_worker', camera: 'system', iot: 'system', referral: 'county' }

/** A case's level, by its category's level mix. */
export function pickLevel(rng: Random, category: CategoryNode): CaseLevel {
  return rng.weighted(CASE_LEVELS, CASE_LEVELS.map(l => category.levels[l]))
}

/** The channel a case of class `cls` comes through at a local hour: grid workers patrol by day; at night reports come by phone or the app. */
export function reportSource(rng: Random, cls: string, hour: number): CaseSource {
  const source = rng.weighted(SOURCES, SOURCE_MIX[cls] ?? [1, 1, 1, 1, 1, 1])
  if (source === 'grid_patrol' && (hour < 7 || hour >= 19))
    return rng.chance(0.5) ? 'hotline' : 'app'
  return source
}

/** True for the channels through which a resident reports (and gives a name and phone). */
export function isResidentSource(source: CaseSource): boolean {
  return source === 'app' || source === 'hotline' || source === 'walk_in'
}

/** What a report says, and who gave it (personal columns: names, phones, addresses). */
export interface ReportText { reporter_name: string | null, reporter_phone: string | null, address: string, description: string }

/**
 * The reporter, address and description of a case: a resident gives a name and phone, a patrol case
 * names the grid worker, the rest (cameras, IoT, referrals) no one; most addresses are a household's.
 */
export function describeReport(rng: Random, report: { category: CategoryNode, cls: string, villageName: string, source: CaseSource, worker: { name: string, phone: string } | undefined }): ReportText {
  const phrase = rng.pick(PHRASES[report.cls] ?? PHRASES.default!)
  const address = rng.chance(0.7) ? householdAddress(rng, report.villageName) : `${report.villageName}${rng.int(1, 12)}组附近`
  const resident = isResidentSource(report.source)
  const patrol = report.source === 'grid_patrol'
  return {
    reporter_name: resident ? personName(rng) : patrol ? report.worker?.name ?? null : null,
    reporter_phone: resident ? mobilePhone(rng) : patrol ? report.worker?.phone ?? null : null,
    address,
    description: `${address}：${report.category.name}。${phrase}`,
  }
}
