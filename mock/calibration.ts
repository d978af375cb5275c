/**
 * What the mock township is calibrated to, in one place: the published figures (`figures`), the
 * township's rhythms (`rhythm`), who reports what (`reports`), a case's life (`lifecycle`), the IoT
 * alarms (`alarms`), and the figures a generated township reaches (`tally`). The generator and the
 * simulator both draw from here, so that the live days continue the generated year.
 */
export { alarmDelays, alarmDevices, ALARMS, alarmSpec, alarmsPerDay, alarmThreshold, alarmValue, escalation } from './calibration/alarms.ts'
export type { AlarmSpec } from './calibration/alarms.ts'
export { CALIBRATION, dutyChance, SPECIAL_POPULATION_KINDS } from './calibration/figures.ts'
export { officeTime, planLifecycle, ratingOf, resolvedLevelOf, REWORK_NOTE } from './calibration/lifecycle.ts'
export type { LifecyclePlan, PlannedCase, Step } from './calibration/lifecycle.ts'
export { describeReport, isResidentSource, pickLevel, REPORTER, reportSource } from './calibration/reports.ts'
export type { ReportText } from './calibration/reports.ts'
export { categoryWeight, DAILY_ACTIVITY, dayVolume, HOURLY, HOURLY_FLAT, HOURLY_MEAN, monthVolume, WEEKLY } from './calibration/rhythm.ts'
export { calibrationSummary, createCalibrationTally } from './calibration/tally.ts'
export type { CalibrationSummary, CalibrationTally } from './calibration/tally.ts'
