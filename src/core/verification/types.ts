/**
 * Types of verification status: the statuses, their precedence, and the structural shape of what
 * an adapter reports (the same shape as `src/providers/types.ts`, restated so the pure core
 * imports nothing from the adapters).
 */

/** Every verification status, from the most to the least severe (the precedence). */
export const VERIFICATION_STATUSES = [
  'invalid',
  'expired',
  'unreachable',
  'rate-limited',
  'missing-scopes',
  'expiring',
  'excess-scopes',
  'verified',
] as const;

/** The status of an integration's credential. */
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * Rank of each status: lower wins when several apply. `unreachable` and `rate-limited` share a
 * rank (both mean the host did not answer; which one is decided by the adapter's reach).
 */
export const STATUS_RANK: Readonly<Record<VerificationStatus, number>> = {
  invalid: 0,
  expired: 1,
  unreachable: 2,
  'rate-limited': 2,
  'missing-scopes': 3,
  expiring: 4,
  'excess-scopes': 5,
  verified: 6,
};

/** Severity of a finding. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** One finding: a stable code, a sentence and the fix. */
export interface VerificationFinding {
  readonly code: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly fix?: string;
  /** The doctor check it belongs to (`token-valid`, `scopes`, …). */
  readonly check?: string;
}

/** One doctor check. */
export interface VerificationCheck {
  readonly id: string;
  readonly title: string;
  readonly outcome: 'pass' | 'fail' | 'skipped';
  readonly detail?: string;
  readonly fix?: string;
}

/** How far the adapter got with the host. */
export type Reach = 'ok' | 'invalid' | 'unreachable' | 'rate-limited';

/** The facts of an adapter's introspection the status is computed from. */
export interface IntrospectionFacts {
  readonly reach: Reach;
  /** Scopes the host says the credential carries; absent when the host does not tell. */
  readonly grantedScopes?: readonly string[];
  /** Epoch ms. */
  readonly expiresAt?: number;
  readonly checks: readonly VerificationCheck[];
  readonly findings: readonly VerificationFinding[];
}

/** The computed verification: the status and everything it was decided from. */
export interface VerificationOutcome {
  readonly status: VerificationStatus;
  readonly findings: readonly VerificationFinding[];
  readonly checks: readonly VerificationCheck[];
}

/** True when `value` is a verification status. */
export function isVerificationStatus(value: unknown): value is VerificationStatus {
  return typeof value === 'string' && (VERIFICATION_STATUSES as readonly string[]).includes(value);
}
