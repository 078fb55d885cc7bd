/** Verification status, findings and the doctor's checklist, computed purely from an adapter's facts. */
export {
  type DoctorReport,
  doctorChecklist,
  PREREQUISITES,
  type Prerequisite,
  prerequisitesOf,
} from './doctor.ts';
export { DEFAULT_EXPIRY_WINDOW_DAYS, EXPIRY_CODES, expiryFindings } from './expiry.ts';
export { DEFAULT_VERIFY_INTERVAL_MS, hashId, isDue, lastSlot, phaseOf } from './schedule.ts';
export { assessScopes, SCOPE_CODES, type ScopeAssessment, type ScopeQuestion } from './scope-findings.ts';
export { computeVerification, statusOf, type VerificationInput } from './status.ts';
export {
  type FindingSeverity,
  type IntrospectionFacts,
  isVerificationStatus,
  type Reach,
  STATUS_RANK,
  VERIFICATION_STATUSES,
  type VerificationCheck,
  type VerificationFinding,
  type VerificationOutcome,
  type VerificationStatus,
} from './types.ts';
