/**
 * What every adapter assembles while it verifies: checks, findings, identity, granted scopes and
 * expiry, then one {@link Introspection}. Also the comparisons that read the catalogue (missing
 * and excess scopes, minimal roles per feature) and the expiry window, so adapters phrase them alike.
 */
import {
  type Catalogue,
  CatalogueError,
  compare,
  isUnsupported,
  type RoleRequirement,
} from '../../core/catalogue/index.ts';
import type { CheckResult, Finding, Identity, Introspection } from '../types.ts';
import type { HttpClient, HttpOutcome } from './http-client.ts';

/** Days before expiry from which an expiry is reported as a warning (the product default). */
export { DEFAULT_EXPIRY_WINDOW_DAYS as DEFAULT_EXPIRY_WARNING_DAYS } from '../../core/verification/expiry.ts';

/** A report being filled by an adapter. */
export interface VerificationReport {
  readonly checks: CheckResult[];
  readonly findings: Finding[];
  check(result: CheckResult): void;
  finding(finding: Finding): void;
  /** Whether a check with this id was already recorded. */
  has(checkId: string): boolean;
}

/** An empty report. */
export function createReport(): VerificationReport {
  const checks: CheckResult[] = [];
  const findings: Finding[] = [];
  return {
    checks,
    findings,
    check: (result) => {
      if (!checks.some((existing) => existing.id === result.id)) checks.push(result);
    },
    finding: (finding) => {
      findings.push(finding);
    },
    has: (checkId) => checks.some((existing) => existing.id === checkId),
  };
}

/** What {@link finishReport} adds to the report. */
export interface FinishOptions {
  readonly reach: Introspection['reach'];
  readonly client: HttpClient;
  readonly identity?: Identity | undefined;
  readonly grantedScopes?: readonly string[] | undefined;
  readonly expiresAt?: number | undefined;
}

/** The finished introspection, with the request count and rate-limit state of the client. */
export function finishReport(report: VerificationReport, options: FinishOptions): Introspection {
  const { identity, grantedScopes, expiresAt } = options;
  const rateLimit = options.client.rateLimit;
  return {
    reach: options.reach,
    checks: report.checks,
    findings: report.findings,
    requests: options.client.requests,
    ...(identity === undefined ? {} : { identity }),
    ...(grantedScopes === undefined ? {} : { grantedScopes: [...new Set(grantedScopes)].sort() }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
  };
}

/** Findings for an expiry: the one rule of the verification core, so adapters and status agree. */
export { expiryFindings } from '../../core/verification/expiry.ts';

/** The request to compare granted scopes with the features' needs. */
export interface ScopeComparison {
  readonly catalogue: Catalogue;
  readonly provider: string;
  readonly credentialType: string;
  readonly features: readonly string[];
  readonly grantedScopes: readonly string[];
}

/** The `scopes` check and its findings (`scope_missing` per feature, `scope_excess` as info). */
export function compareScopes(request: ScopeComparison): { check: CheckResult; findings: Finding[] } {
  let result: ReturnType<typeof compare>;
  try {
    result = compare(request.catalogue, request);
  } catch (error) {
    const message = error instanceof CatalogueError ? error.message : 'The catalogue could not be read.';
    return {
      check: { id: 'scopes', title: 'Scopes', outcome: 'skipped', detail: message },
      findings: [{ code: 'catalogue_mismatch', severity: 'warning', message, check: 'scopes' }],
    };
  }
  const findings: Finding[] = [];
  for (const verdict of result.features) {
    if (verdict.status !== 'missing') continue;
    const needed = verdict.missing.map((clause) => clause.anyOf.join(' or ')).join(', ');
    findings.push({
      code: 'scope_missing',
      severity: 'error',
      message: `Feature ${verdict.feature} needs ${needed}, which the credential does not carry. ${verdict.why}`,
      fix: `Grant ${needed} to the credential (or create a new one with it).`,
      check: 'scopes',
    });
  }
  if (result.excess.length > 0) {
    findings.push({
      code: 'scope_excess',
      severity: 'info',
      message: `No enabled feature needs ${result.excess.join(', ')}.`,
      fix: 'Create a narrower credential without these scopes.',
      check: 'scopes',
    });
  }
  const missing = findings.some((finding) => finding.code === 'scope_missing');
  const check: CheckResult = missing
    ? {
        id: 'scopes',
        title: 'Scopes',
        outcome: 'fail',
        detail: `Missing: ${result.toAdd.join(', ')}.`,
        fix: `Add ${result.toAdd.join(', ')}.`,
      }
    : {
        id: 'scopes',
        title: 'Scopes',
        outcome: 'pass',
        detail: `Granted: ${request.grantedScopes.join(', ')}.`,
      };
  return { check, findings };
}

/** Each enabled feature's minimal role for this credential type, as the catalogue states it. */
export function roleRequirements(
  catalogue: Catalogue,
  providerId: string,
  credentialType: string,
  features: readonly string[],
): { feature: string; role: RoleRequirement }[] {
  const provider = catalogue.providers[providerId];
  if (provider === undefined) return [];
  return features.flatMap((feature) => {
    const requirement = provider.features[feature]?.credentials[credentialType];
    if (requirement === undefined || isUnsupported(requirement) || requirement.role === undefined) return [];
    return [{ feature, role: requirement.role }];
  });
}

/** Records why the host could not be asked (network failure or rate limit) and returns the reach. */
export function recordNoAnswer(
  report: VerificationReport,
  outcome: Exclude<HttpOutcome, { kind: 'response' }>,
  host: string,
): 'unreachable' | 'rate-limited' {
  if (outcome.kind === 'unreachable') {
    report.finding({
      code: 'provider_unreachable',
      severity: 'error',
      message: `${host} could not be reached: ${outcome.reason}.`,
      fix: 'Check the configured URL, DNS, proxy and firewall between Keyhouse and the host.',
      check: 'token-valid',
    });
    return 'unreachable';
  }
  const when = outcome.retryAt === undefined ? '' : ` until ${new Date(outcome.retryAt).toISOString()}`;
  report.finding({
    code: 'rate_limited',
    severity: 'warning',
    message: `${host} rate-limited the verification${when}; it stopped rather than exceed the limit.`,
    fix: 'Verify again later; the schedule spreads verifications to stay under the limit.',
    check: 'token-valid',
  });
  return 'rate-limited';
}

/** Records a 5xx answer as an unreachable host. */
export function recordServerError(report: VerificationReport, status: number, host: string): 'unreachable' {
  report.finding({
    code: 'provider_unreachable',
    severity: 'error',
    message: `${host} answered ${status}: the host failed, not the credential.`,
    fix: 'Verify again later; check the host status page.',
    check: 'token-valid',
  });
  return 'unreachable';
}
