/**
 * Records the `scopes` check of an adapter that read (or probed) the granted scopes: the catalogue
 * comparison and its findings, or a skipped check when the host did not tell.
 */
import type { CheckResult } from '../types.ts';
import { compareScopes, type ScopeComparison, type VerificationReport } from './verification-report.ts';

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

/** The `scopes` check skipped because the host did not say which scopes are granted. */
export function scopesSkipped(detail: string): CheckResult {
  return { id: 'scopes', title: 'Scopes', outcome: 'skipped', detail };
}
