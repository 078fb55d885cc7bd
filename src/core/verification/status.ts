/**
 * The verification status of a credential, computed from an adapter's introspection, the
 * catalogue comparison of its granted scopes with the enabled features, the expiry window and
 * the time. Pure: the same input always gives the same output.
 *
 * Precedence, most severe first: `invalid` > `expired` > `unreachable` / `rate-limited` >
 * `missing-scopes` > `expiring` > `excess-scopes` > `verified`.
 * - `invalid`: the host refused the credential (401, revoked) or a `credential_invalid` finding.
 * - `expired`: the expiry has passed, or a `credential_expired` finding.
 * - `unreachable` / `rate-limited`: the host did not answer (network, DNS, TLS, 5xx) or asked to
 *   wait; the adapter's reach decides which.
 * - `missing-scopes`: a feature lacks a scope, or any other error finding (a denied probe, a
 *   repository outside the allow-list, SSO not authorised): the credential cannot serve an
 *   enabled feature. So a status is never `verified` while a finding is an error.
 * - `expiring`: within the expiry window. `excess-scopes`: a warning, working but broader than
 *   needed. `verified`: none of the above.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { DEFAULT_EXPIRY_WINDOW_DAYS, EXPIRY_CODES, expiryFindings } from './expiry.ts';
import { assessScopes, SCOPE_CODES } from './scope-findings.ts';
import type {
  IntrospectionFacts,
  Reach,
  VerificationCheck,
  VerificationFinding,
  VerificationOutcome,
  VerificationStatus,
} from './types.ts';

/** What {@link computeVerification} needs. */
export interface VerificationInput {
  readonly catalogue: Catalogue;
  readonly provider: string;
  readonly credentialType: string;
  /** Catalogue feature ids enabled on the integration (`config.features`). */
  readonly features: readonly string[];
  /** Host for the token-creation link, when configured. */
  readonly host?: string;
  readonly introspection: IntrospectionFacts;
  /** Epoch ms. */
  readonly now: number;
  /** Default {@link DEFAULT_EXPIRY_WINDOW_DAYS}. */
  readonly expiryWindowDays?: number;
}

const has = (findings: readonly VerificationFinding[], code: string) => findings.some((f) => f.code === code);

/** The status decided by the reach and the findings alone (see the precedence above). */
export function statusOf(reach: Reach, findings: readonly VerificationFinding[]): VerificationStatus {
  if (reach === 'invalid' || has(findings, 'credential_invalid')) return 'invalid';
  if (has(findings, 'credential_expired')) return 'expired';
  if (reach === 'unreachable') return 'unreachable';
  if (reach === 'rate-limited') return 'rate-limited';
  if (has(findings, 'provider_unreachable')) return 'unreachable';
  if (has(findings, 'rate_limited')) return 'rate-limited';
  if (findings.some((f) => f.severity === 'error')) return 'missing-scopes';
  if (has(findings, 'credential_expiring')) return 'expiring';
  if (has(findings, 'scope_excess')) return 'excess-scopes';
  return 'verified';
}

function tokenCheck(reach: Reach, findings: readonly VerificationFinding[]): VerificationCheck {
  const title = 'Token valid';
  const expired = findings.find((f) => f.code === 'credential_expired');
  if (reach === 'invalid' || expired !== undefined) {
    const cause = findings.find((f) => f.code === 'credential_invalid') ?? expired;
    return {
      id: 'token-valid',
      title,
      outcome: 'fail',
      detail: cause?.message ?? 'The host refused the credential.',
      fix: cause?.fix ?? 'Create a new credential and replace it on the integration.',
    };
  }
  if (reach !== 'ok') {
    return { id: 'token-valid', title, outcome: 'skipped', detail: `The host was ${reach}.` };
  }
  return { id: 'token-valid', title, outcome: 'pass', detail: 'The host accepted the credential.' };
}

/** Merges our checks into the adapter's: ours replace an adapter check of the same id, in place. */
function mergeChecks(
  adapter: readonly VerificationCheck[],
  ours: readonly VerificationCheck[],
): VerificationCheck[] {
  const byId = new Map(ours.map((c) => [c.id, c]));
  const merged = adapter.map((c) => byId.get(c.id) ?? c);
  for (const c of ours) if (!adapter.some((a) => a.id === c.id)) merged.push(c);
  return merged;
}

/**
 * Computes status, findings and checks. Scope and expiry findings are recomputed here (with the
 * configured window) and replace the adapter's of the same codes; the adapter's other findings
 * are kept as they are.
 */
export function computeVerification(input: VerificationInput): VerificationOutcome {
  const intro = input.introspection;
  const replaced = new Set<string>();
  const ours: VerificationFinding[] = [];
  const ourChecks: VerificationCheck[] = [];
  if (intro.expiresAt !== undefined) {
    for (const code of EXPIRY_CODES) replaced.add(code);
    ours.push(...expiryFindings(intro.expiresAt, input.now, input.expiryWindowDays));
  }
  if (intro.reach === 'ok' && intro.grantedScopes !== undefined) {
    for (const code of SCOPE_CODES) replaced.add(code);
    const scopes = assessScopes({
      catalogue: input.catalogue,
      provider: input.provider,
      credentialType: input.credentialType,
      features: input.features,
      grantedScopes: intro.grantedScopes,
      ...(input.host === undefined ? {} : { host: input.host }),
    });
    ours.push(...scopes.findings);
    ourChecks.push(scopes.check);
  }
  const findings = [...intro.findings.filter((f) => !replaced.has(f.code)), ...ours];
  const adapterToken = intro.checks.find((c) => c.id === 'token-valid');
  const token = tokenCheck(intro.reach, findings);
  if (adapterToken === undefined || token.outcome === 'fail') ourChecks.unshift(token);
  return {
    status: statusOf(intro.reach, findings),
    findings,
    checks: mergeChecks(intro.checks, ourChecks),
  };
}
