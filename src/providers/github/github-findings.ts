/**
 * What a GitHub answer means for a verification, and the findings and checks it leads to. One
 * reading of status codes and headers shared by every capability: 401 is an invalid credential,
 * 403 with `X-GitHub-SSO` is SAML SSO, 403 with `X-Accepted-GitHub-Permissions` a missing
 * permission, 404 "no access or not found" (GitHub hides private resources), 5xx unreachable.
 */
import type { CheckOutcome, CheckResult, Finding, Severity } from '../types.ts';
import type { GithubAnswer, SendResult } from './github-client.ts';
import {
  githubMessage,
  isRateLimitAnswer,
  parseAcceptedPermissions,
  parseSsoHeader,
} from './github-schema.ts';

/** The meaning of one answer. */
export type AnswerMeaning =
  | { readonly kind: 'ok'; readonly answer: GithubAnswer }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'sso'; readonly url?: string }
  | {
      readonly kind: 'permission';
      readonly accepted: readonly (readonly string[])[];
      readonly message: string;
    }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'rate-limited' }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** Reads a {@link SendResult} as one {@link AnswerMeaning}. */
export function meaningOf(result: SendResult): AnswerMeaning {
  if (result.kind === 'rate-limited') return { kind: 'rate-limited' };
  if (result.kind === 'unreachable') return { kind: 'unreachable', reason: result.reason };
  const { answer } = result;
  const { status, headers, data } = answer;
  const message = githubMessage(data) ?? `HTTP ${status}`;
  if (status >= 200 && status < 300) return { kind: 'ok', answer };
  if (status === 401) return { kind: 'invalid', message };
  if (isRateLimitAnswer(status, headers, data)) return { kind: 'rate-limited' };
  if (status === 403) {
    const sso = parseSsoHeader(headers);
    if (sso?.kind === 'required')
      return sso.url === undefined ? { kind: 'sso' } : { kind: 'sso', url: sso.url };
    const accepted = parseAcceptedPermissions(headers);
    if (accepted.length > 0) return { kind: 'permission', accepted, message };
    return { kind: 'forbidden', message };
  }
  if (status === 404) return { kind: 'not-found' };
  if (status >= 500) return { kind: 'unreachable', reason: `HTTP ${status}: ${message}` };
  return { kind: 'forbidden', message };
}

/** Collects checks and findings of one verification, in order. */
export class Report {
  readonly checks: CheckResult[] = [];
  readonly findings: Finding[] = [];

  /** Records a check. */
  check(id: string, title: string, outcome: CheckOutcome, detail?: string, fix?: string): void {
    this.checks.push({
      id,
      title,
      outcome,
      ...(detail === undefined ? {} : { detail }),
      ...(fix === undefined ? {} : { fix }),
    });
  }

  /** Records a finding. */
  finding(code: string, severity: Severity, message: string, fix?: string, check?: string): void {
    this.findings.push({
      code,
      severity,
      message,
      ...(fix === undefined ? {} : { fix }),
      ...(check === undefined ? {} : { check }),
    });
  }

  /** True when a check with this id was recorded. */
  has(id: string): boolean {
    return this.checks.some((c) => c.id === id);
  }
}

/** Check ids and titles of this adapter. */
export const CHECKS = {
  'token-valid': 'The credential is accepted by GitHub',
  scopes: 'The credential carries the scopes or permissions the enabled features need',
  sso: 'The credential is authorised for the organisation’s SAML single sign-on',
  'allow-list': 'The repository is inside the GitHub App installation',
  'branch-exists': 'The configured branch exists',
  'clone-url-form': 'The clone URL has the HTTPS form https://HOST/owner/repo(.git)',
} as const;

/** A check id of this adapter. */
export type CheckId = keyof typeof CHECKS;

/** Records a check by id with its standard title. */
export function record(
  report: Report,
  id: CheckId,
  outcome: CheckOutcome,
  detail?: string,
  fix?: string,
): void {
  report.check(id, CHECKS[id], outcome, detail, fix);
}

/** Records the finding of an SSO answer and fails the `sso` check. */
export function recordSso(report: Report, target: string, url: string | undefined): void {
  const fix = url ?? 'Authorise the token for the organisation’s SAML SSO in the token settings on GitHub.';
  report.finding(
    'sso_required',
    'error',
    `The organisation of ${target} enforces SAML single sign-on and this credential is not authorised for it.`,
    fix,
    'sso',
  );
  if (!report.has('sso')) record(report, 'sso', 'fail', `403 with X-GitHub-SSO on ${target}.`, fix);
}

/** The finding of a 404 on a resource: never claims that the resource does not exist. */
export function recordNoAccess(report: Report, what: string, check?: string): void {
  report.finding(
    'no_access_or_not_found',
    'error',
    `GitHub answered 404 for ${what}: it does not exist, or this credential may not see it (GitHub hides private resources it cannot reach).`,
    'Check the name, then give the credential access to it (repository selection, scopes or installation).',
    check,
  );
}
