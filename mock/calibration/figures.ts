import type { CaseLevel } from '../../server/src/domain/sla.ts'
import type { CaseSource } from '../rows.ts'

/**
 * Targets of the mock township, from FIELD.md's published figures: 东岳观镇 (715 party members paired
 * with 6,958 households, 1,000+ cameras), 宁海县 (97 % settle rate, 98.5 % at village level, 96.5 %
 * satisfaction), 珙县 (98 %+ satisfaction). Cases: 50,000 a year (≈137 a day, grid patrol reports
 * included), so that the county scale of 20 townships holds ≈1M. The generator draws the year from
 * these and the simulator the days after it, so that the live figures continue the history.
 */
export const CALIBRATION = {
  households: 7000,
  residentsPerHousehold: 3.55,
  partyMembers: 715,
  cameras: 1030,
  /** Share of cameras not offline (在线率). */
  cameraOnlineRate: 0.955,
  /** Share of cameras raising an alarm (occlusion, tampering) at any moment. */
  cameraAlarmRate: 0.006,
  casesPerYear: 50_000,
  /** Share of cases cancelled (注销: duplicates, not government business). */
  cancelledRate: 0.025,
  /** Share of closed cases closed after their SLA deadline, by level. */
  overdueRate: { general: 0.025, serious: 0.045, major: 0.07, urgent: 0.03 } as Record<CaseLevel, number>,
  /** Share of closed cases settled above the village (township or county), by level. */
  aboveVillageRate: { general: 0.0025, serious: 0.03, major: 0.28, urgent: 0.08 } as Record<CaseLevel, number>,
  /** Share of cases returned once for rework after the feedback check (核查不通过). */
  reworkRate: 0.04,
  /** Share of closed cases their reporter rates, by source: residents mostly, patrols' cases when visited. */
  ratedShare: { app: 0.85, hotline: 0.85, walk_in: 0.85, grid_patrol: 0.3, camera: 0, iot: 0, referral: 0 } as Record<CaseSource, number>,
  /** Share of rated cases rated 不满意, when closed in time and when overdue. */
  dissatisfiedRate: { onTime: 0.03, overdue: 0.2 },
  /** Share of rated cases rated 基本满意 (the rest are 满意). */
  basicallySatisfiedRate: 0.08,
  /** Share of grid workers on leave on a given day. */
  onLeaveRate: 0.03,
} as const

/** Special-population kinds (重点人群) and their rate per 1,000 residents: counts only, never persons. */
export const SPECIAL_POPULATION_KINDS: Readonly<Record<string, { zh: string, perThousand: number }>> = {
  community_correction: { zh: '社区矫正对象', perThousand: 0.6 },
  drug_rehabilitation: { zh: '社区戒毒康复人员', perThousand: 0.9 },
  severe_mental_disorder: { zh: '严重精神障碍患者', perThousand: 4.0 },
  released_prisoner: { zh: '刑满释放人员', perThousand: 1.4 },
  key_petitioner: { zh: '重点信访人员', perThousand: 0.3 },
  elderly_alone: { zh: '独居老人', perThousand: 25 },
  left_behind_child: { zh: '留守儿童', perThousand: 18 },
  disabled: { zh: '残疾人', perThousand: 22 },
}

/** Chance that a grid worker is on duty at a local hour: the working day, a few evening patrols, rare nights. */
export function dutyChance(hour: number): number {
  return hour >= 8 && hour < 18 ? 0.88 : hour >= 18 && hour < 22 ? 0.3 : 0.08
}
