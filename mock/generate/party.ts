import type { PartyBranchRow, PartyMemberRow } from '../rows.ts'
import type { Random } from '../random.ts'
import type { Place } from './place.ts'
import { CALIBRATION } from '../calibration.ts'
import { allocate, clamp } from './numbers.ts'
import { villageHouseholds } from './place.ts'

const DAY = 86_400_000

/** `party_branches` and `party_members`: a branch per village and the township's own, members paired with every household. */
export function generateParty(place: Place, now: number, rng: Random): { branches: PartyBranchRow[], members: PartyMemberRow[] } {
  const townName = place.geo.township.properties.name
  const specs: { name: string, kind: PartyBranchRow['kind'], village: number | null, weight: number }[] = place.villages.map((v, i) => ({
    name: `${v.name.replace(/(?:居委会|村委会)$/, '')}党${v.kind === 'community' ? '总支' : '支部'}`,
    kind: v.kind,
    village: i,
    weight: villageHouseholds(place, i),
  }))
  const villageTotal = specs.reduce((a, s) => a + s.weight, 0)
  // Township organs and institutions (机关, 卫生院, 学校) hold about an eighth of the members.
  for (const name of ['机关第一党支部', '机关第二党支部', '卫生院党支部', '中心学校党支部'])
    specs.push({ name: `${townName}${name}`, kind: 'organ', village: null, weight: villageTotal * 0.03 })
  specs.push({ name: `${townName}非公企业联合党支部`, kind: 'enterprise', village: null, weight: villageTotal * 0.02 })
  const total = Math.round(CALIBRATION.partyMembers * rng.range(0.97, 1.03))
  const perBranch = allocate(total, specs.map(s => s.weight))
  const totalHouseholds = place.households.reduce((a, b) => a + b, 0)
  // 党员联户: every household is paired with a member (东岳观镇: 715 members, 6,958 households).
  const paired = allocate(totalHouseholds, Array.from({ length: total }, () => rng.range(0.6, 1.4)))
  const branches: PartyBranchRow[] = []
  const members: PartyMemberRow[] = []
  const stars = (points: number, cuts: readonly number[]): number => 1 + cuts.filter(c => points >= c).length
  specs.forEach((spec, b) => {
    const quality = rng.normal(0, 5)
    const branchId = place.base + b + 1
    let sum = 0
    for (let k = 0; k < perBranch[b]!; k++) {
      const points = Math.round(clamp(rng.normal(78 + quality, 9), 20, 100))
      sum += points
      members.push({
        id: place.base + members.length + 1,
        branch_id: branchId,
        status: rng.chance(0.05) ? 'probationary' : 'full',
        points,
        stars: stars(points, [60, 70, 80, 90]),
        paired_households: paired[members.length] ?? 0,
        active: true,
        updated_at: new Date(now - Math.round(rng.range(0, 30) * DAY)),
      })
    }
    const average = perBranch[b]! > 0 ? sum / perBranch[b]! : 0
    branches.push({
      id: branchId,
      code: `${place.geo.township.properties.code}${String(b + 1).padStart(3, '0')}`,
      name: spec.name,
      kind: spec.kind,
      village_id: spec.village === null ? null : place.villages[spec.village]!.id,
      township_id: place.townshipId,
      stars: stars(average, [70, 75, 80, 85]),
      active: true,
      updated_at: new Date(now - Math.round(rng.range(0, 30) * DAY)),
    })
  })
  return { branches, members }
}
