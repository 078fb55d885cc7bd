/**
 * Reading Azure DevOps answers. Two traits shape everything: a missing scope and a missing
 * permission both answer 401 (often TF400813), so a refused probe is reported as either; and a
 * PAT that is not accepted may get 203 with an HTML sign-in page instead of 401.
 */
import type { HttpOutcome, VerificationReport } from '../http/index.ts';
import { recordNoAnswer, recordServerError, sharedCheck } from '../http/index.ts';

/** Whether the answer is the sign-in page (203, or a redirect to it) Azure DevOps serves to an unaccepted PAT. */
export function isSignInPage(outcome: HttpOutcome): boolean {
  if (outcome.kind !== 'response') return false;
  const location = outcome.headers.get('location') ?? '';
  const toSignIn = outcome.status >= 300 && outcome.status < 400 && /sign.?in|login/i.test(location);
  return (
    toSignIn || outcome.status === 203 || (outcome.headers.get('content-type') ?? '').includes('text/html')
  );
}

/** The message of an Azure DevOps error body (`{ message, typeKey, … }`), when any. */
export function errorMessage(outcome: HttpOutcome): string | undefined {
  if (outcome.kind !== 'response') return undefined;
  const message = (outcome.json as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Records no answer, 5xx, or an unaccepted credential on the first call; returns the reach when it must stop. */
export function readFirstCall(
  report: VerificationReport,
  outcome: HttpOutcome,
  what = 'the PAT',
): 'invalid' | 'unreachable' | 'rate-limited' | undefined {
  if (outcome.kind !== 'response') return recordNoAnswer(report, outcome, 'Azure DevOps');
  if (outcome.status >= 500) return recordServerError(report, outcome.status, 'Azure DevOps');
  const signIn = isSignInPage(outcome);
  if (signIn || outcome.status === 401) {
    const why = signIn
      ? `Azure DevOps answered ${outcome.status} with a sign-in page instead of data, which means ${what} was not accepted`
      : `Azure DevOps answered 401 to GET _apis/connectionData, which needs no scope, so ${what} was not accepted`;
    report.finding({
      code: 'credential_invalid',
      severity: 'error',
      message: `${why}: it is wrong, expired, revoked, or issued for another organisation${what === 'the PAT' ? '' : ' (a service principal must also be added to the organisation as a user)'}.`,
      fix:
        what === 'the PAT'
          ? 'Create a new PAT for this organisation with the scopes the features need and store it on the integration.'
          : 'Add the principal to the organisation (Organization settings > Users) or store a current token.',
      check: 'token-valid',
    });
    report.check(
      sharedCheck('token-valid', 'fail', signIn ? 'Sign-in page (203).' : 'Azure DevOps answered 401.'),
    );
    return 'invalid';
  }
  return undefined;
}

/** The finding for a refused probe: 401 is a missing scope or a missing permission, and Azure DevOps does not say which. */
export function recordProbeRefusal(
  report: VerificationReport,
  call: string,
  scopes: string,
  permission: string,
  outcome: HttpOutcome,
): void {
  const detail = errorMessage(outcome);
  report.finding({
    code: 'scope_or_permission_missing',
    severity: 'error',
    message: `Azure DevOps answered 401 to ${call}${detail ? ` (${detail})` : ''}. A 401 here means either the PAT lacks ${scopes} or its user lacks ${permission}; Azure DevOps answers both the same way.`,
    fix: `Check both: give the PAT ${scopes} (or create a new one), and give its user ${permission}.`,
    check: 'scopes',
  });
}
