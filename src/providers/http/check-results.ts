/**
 * Small builders for the checks and findings adapters record, so each adapter states only its
 * words: a check titled from a table, a finding tied to a check, skipped checks, the failed
 * `repository-access` and `role` checks with their findings, `branch-exists`, and the `scopes`
 * check from the catalogue comparison.
 */
import type { CheckResult, Finding } from '../types.ts';
import { compareScopes, type ScopeComparison, type VerificationReport } from './verification-report.ts';

/** Check titles by check id. */
export type CheckTitles = Readonly<Record<string, string>>;

/** Builds one check; the title comes from the adapter's table (the id where it has none). */
export type CheckBuilder = (
  id: string,
  outcome: CheckResult['outcome'],
  detail: string,
  fix?: string,
) => CheckResult;

/** A {@link CheckBuilder} over a table of titles. */
export function checkBuilder(titles: CheckTitles): CheckBuilder {
  return (id, outcome, detail, fix) => ({
    id,
    title: titles[id] ?? id,
    outcome,
    detail,
    ...(fix === undefined ? {} : { fix }),
  });
}

/** The titles the HTTP adapters give the checks they share. */
export const SHARED_CHECK_TITLES: CheckTitles = {
  'token-valid': 'Token valid',
  scopes: 'Scopes',
  role: 'Role',
  'repository-access': 'Repository access',
  'branch-exists': 'Branch exists',
};

/** A check titled as {@link SHARED_CHECK_TITLES} names it. */
export const sharedCheck: CheckBuilder = checkBuilder(SHARED_CHECK_TITLES);

/** A finding tied to a check (severity `error` unless told). */
export function findingFor(
  code: string,
  checkId: string,
  message: string,
  fix?: string,
  severity: Finding['severity'] = 'error',
): Finding {
  return { code, severity, message, check: checkId, ...(fix === undefined ? {} : { fix }) };
}

/** Records each check as skipped with one detail, titled with its bare id. */
export function skipChecks(report: VerificationReport, ids: readonly string[], detail: string): void {
  for (const id of ids) report.check({ id, title: id, outcome: 'skipped', detail });
}

/** Records `repository-access` as failed and the finding (`repository_inaccessible` unless told) in the same words. */
export function recordRepositoryFailure(
  report: VerificationReport,
  detail: string,
  fix: string,
  code = 'repository_inaccessible',
): void {
  report.check(sharedCheck('repository-access', 'fail', detail, fix));
  report.finding({ code, severity: 'error', message: detail, fix, check: 'repository-access' });
}

/** The `branch-exists` check: skipped without a branch, else whether the host found it. */
export function branchCheck(branch: string | undefined, found = false): CheckResult {
  if (branch === undefined) return sharedCheck('branch-exists', 'skipped', 'No branch is configured.');
  return found
    ? sharedCheck('branch-exists', 'pass', `Branch ${branch} exists.`)
    : sharedCheck(
        'branch-exists',
        'fail',
        `Branch ${branch} was not found.`,
        `Create ${branch} or configure an existing branch.`,
      );
}

/** Records a `role_insufficient` finding per message and the failed `role` check, all with one fix. */
export function recordRoleShortfall(
  report: VerificationReport,
  messages: readonly string[],
  detail: string,
  fix: string,
): void {
  for (const message of messages)
    report.finding({ code: 'role_insufficient', severity: 'error', message, fix, check: 'role' });
  report.check(sharedCheck('role', 'fail', detail, fix));
}

/** Records the `scopes` check and its findings; `detailPrefix` goes before the check's detail. */
export function recordScopes(
  report: VerificationReport,
  comparison: ScopeComparison,
  detailPrefix?: string,
): void {
  const scopes = compareScopes(comparison);
  report.check(
    detailPrefix === undefined
      ? scopes.check
      : { ...scopes.check, detail: `${detailPrefix} ${scopes.check.detail ?? ''}`.trim() },
  );
  for (const finding of scopes.findings) report.finding(finding);
}
