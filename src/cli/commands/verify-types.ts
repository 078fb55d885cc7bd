/**
 * Wire types of the verification routes, as the CLI reads them (see `src/http/plugins/verification.ts`).
 */

/** A finding of a verification. */
export interface FindingBody {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly fix?: string;
  readonly check?: string;
}

/** A doctor check. */
export interface CheckBody {
  readonly id: string;
  readonly title: string;
  readonly outcome: 'pass' | 'fail' | 'skipped';
  readonly detail?: string;
  readonly fix?: string;
}

/** `POST …/integrations/{id}/verify`. */
export interface VerificationBody {
  readonly integrationId: string;
  readonly provider: string;
  readonly status: string;
  readonly checkedAt: string;
  readonly findings: readonly FindingBody[];
  readonly checks: readonly CheckBody[];
  readonly identity?: { readonly account?: string; readonly organisation?: string };
  readonly grantedScopes?: readonly string[];
  readonly expiresAt?: string;
  readonly requests: number;
}

/** `GET …/integrations/{id}/doctor`. */
export interface DoctorBody {
  readonly integrationId: string;
  readonly provider: string;
  readonly status: string;
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly checks: readonly CheckBody[];
}

/** `POST …/diagnose`. */
export interface DiagnosisBody {
  readonly layer: string;
  readonly confidence: number;
  readonly title: string;
  readonly explanation: string;
  readonly steps: readonly string[];
  readonly integration?: { readonly id: string; readonly name: string };
  readonly matched: readonly string[];
  readonly alternatives: readonly { layer: string; confidence: number; rule: string; title: string }[];
}

/** Statuses that mean the integration works (possibly with a warning). */
export const WORKING_STATUSES: readonly string[] = ['verified', 'excess-scopes', 'expiring'];
