/**
 * The contract every provider adapter implements: identify a credential, read what it grants,
 * and probe what cannot be read. Adapters are I/O at the edge; the status they lead to is
 * computed by the pure core (`src/core/verification/`).
 */
import type { Catalogue } from '../core/catalogue/index.ts';

/** Outcome of one check or probe. */
export type CheckOutcome = 'pass' | 'fail' | 'skipped';

/** Severity of a finding. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding: a stable code, a sentence for people and the fix. Never a secret. */
export interface Finding {
  /** Stable, lower snake case: `credential_invalid`, `scope_missing`, `sso_required`, … */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix?: string;
  /** The doctor check it belongs to, when any (e.g. `token-valid`, `branch-exists`). */
  readonly check?: string;
}

/** One doctor check: pass, fail or skipped, with what it looked at and the fix. */
export interface CheckResult {
  /** Stable id, lower kebab: `token-valid`, `scopes`, `clone-url-form`, `branch-exists`, `allow-list`, … */
  readonly id: string;
  readonly title: string;
  readonly outcome: CheckOutcome;
  readonly detail?: string;
  readonly fix?: string;
}

/** What the credential is. */
export interface Identity {
  /** Account login, app slug, IAM ARN, registry user… */
  readonly account?: string;
  readonly accountType?: 'user' | 'bot' | 'app' | 'service-principal' | 'iam-user' | 'iam-role' | 'token';
  readonly organisation?: string;
  readonly installationId?: string;
}

/** The host's rate-limit state as last seen. */
export interface RateLimitState {
  readonly limit?: number;
  readonly remaining?: number;
  /** Epoch ms when the window resets. */
  readonly resetAt?: number;
  /** Epoch ms before which no further request may be sent (from `retry-after`). */
  readonly retryAfter?: number;
}

/** Everything an adapter learned about a credential. */
export interface Introspection {
  /** `ok`: the host accepted the credential; `invalid`: 401/revoked; `unreachable`: network/DNS/TLS/5xx; `rate-limited`. */
  readonly reach: 'ok' | 'invalid' | 'unreachable' | 'rate-limited';
  readonly identity?: Identity;
  /**
   * Scopes or permissions the host says the credential carries, spelled as the catalogue spells
   * them; absent when the host does not tell (probe-only credentials).
   */
  readonly grantedScopes?: readonly string[];
  /** Epoch ms when the credential expires, when the host says. */
  readonly expiresAt?: number;
  readonly checks: readonly CheckResult[];
  readonly findings: readonly Finding[];
  readonly rateLimit?: RateLimitState;
  /** Requests sent to the host for this verification (for the rate-limit budget). */
  readonly requests: number;
}

/** What an adapter is given. The decrypted credential lives only for the call. */
export interface VerifyInput {
  readonly integrationId: string;
  readonly provider: string;
  readonly credentialType: string;
  /** Non-secret config: host URL, API base URL, registry host, bucket, region, endpoint, app id, installation id, repository, branch, allow-list, image… */
  readonly config: Readonly<Record<string, unknown>>;
  /** The features enabled on the integration (catalogue feature ids). */
  readonly features: readonly string[];
  /** Secret fields by name (`token`, `password`, `privateKey`, `secretAccessKey`, …). */
  readonly credential: Readonly<Record<string, string>>;
  /** Epoch ms. */
  readonly now: number;
  readonly signal?: AbortSignal;
  /**
   * The catalogue the service runs with (the one loaded and checked at start, whatever folder
   * it came from): required scopes, roles and probes are read from it, never from a second copy.
   */
  readonly catalogue: Catalogue;
}

/** A provider adapter. One per provider folder, listed in `src/providers/registry.ts`. */
export interface ProviderAdapter {
  /** Catalogue provider id (`github`, `gitlab`, `docker-registry`, …). */
  readonly id: string;
  /** Identify, introspect and probe. Must not throw for host answers: report them. */
  verify(input: VerifyInput): Promise<Introspection>;
}
