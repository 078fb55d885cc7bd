/**
 * What every Gitea call shares: no answer, 5xx, 401, and the 403 scope refusals collected across
 * calls (with the granted scopes when newer Gitea names them).
 */
import type { HttpOutcome, VerificationReport } from '../http/index.ts';
import { recordNoAnswer, recordServerError, sharedCheck } from '../http/index.ts';
import { type ScopeRefusal, scopeRefusal } from './gitea-probes.ts';

/** Collects scope refusals across calls. */
export interface Refusals {
  readonly list: { call: string; refusal: ScopeRefusal }[];
  granted?: readonly string[];
}

/** Records the answers every call shares; returns a reach when verification must stop. */
export function readCommon(
  report: VerificationReport,
  refusals: Refusals,
  outcome: HttpOutcome,
  call: string,
) {
  if (outcome.kind !== 'response') return recordNoAnswer(report, outcome, 'Gitea');
  if (outcome.status >= 500) return recordServerError(report, outcome.status, 'Gitea');
  if (outcome.status === 401) {
    report.finding({
      code: 'credential_invalid',
      severity: 'error',
      message: `Gitea refused the credential (401 on ${call}): it is wrong, deleted or expired.`,
      fix: 'Create a new token and store it on the integration.',
      check: 'token-valid',
    });
    report.check(sharedCheck('token-valid', 'fail', 'Gitea answered 401.'));
    return 'invalid' as const;
  }
  const refusal = scopeRefusal(outcome);
  if (refusal !== undefined) {
    refusals.list.push({ call, refusal });
    if (refusal.granted !== undefined) refusals.granted = refusal.granted;
  }
  return undefined;
}
