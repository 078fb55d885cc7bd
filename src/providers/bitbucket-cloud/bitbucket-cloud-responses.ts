/**
 * Reading Bitbucket Cloud answers: granted scopes from `x-oauth-scopes`, the 403 body that names
 * required and granted scopes, 401, 410 for retired endpoints and 5xx, each turned into findings.
 */
import { Compile } from 'typebox/compile';
import type { HttpOutcome, VerificationReport } from '../http/index.ts';
import { recordNoAnswer, recordServerError, sharedCheck } from '../http/index.ts';
import type { Introspection } from '../types.ts';
import { ErrorBodySchema } from './bitbucket-cloud-schema.ts';

const errorBody = Compile(ErrorBodySchema);

/** Scopes listed in `x-oauth-scopes` (comma separated), or undefined when absent. */
export function headerScopes(outcome: HttpOutcome): string[] | undefined {
  if (outcome.kind !== 'response') return undefined;
  const value = outcome.headers.get('x-oauth-scopes');
  if (value === null) return undefined;
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
}

/** The required and granted scopes of a 403 body, when it names them. */
export function scopeRefusal(outcome: HttpOutcome): { required: string[]; granted?: string[] } | undefined {
  if (outcome.kind !== 'response' || outcome.status !== 403 || !errorBody.Check(outcome.json))
    return undefined;
  const detail = outcome.json.error.detail;
  if (detail === undefined || typeof detail === 'string') return undefined;
  return { required: detail.required, ...(detail.granted === undefined ? {} : { granted: detail.granted }) };
}

/** The error message of a Bitbucket error body, when any. */
export function errorMessage(outcome: HttpOutcome): string | undefined {
  return outcome.kind === 'response' && errorBody.Check(outcome.json)
    ? outcome.json.error.message
    : undefined;
}

/**
 * Records what every call shares (no answer, 401, 410, 5xx, 403 naming scopes); returns a reach
 * when verification must stop, and the granted scopes a 403 revealed.
 */
export function readCommon(
  report: VerificationReport,
  outcome: HttpOutcome,
  call: string,
): { stop?: Introspection['reach']; granted?: string[] } {
  if (outcome.kind !== 'response') return { stop: recordNoAnswer(report, outcome, 'Bitbucket Cloud') };
  if (outcome.status === 401) {
    report.finding({
      code: 'credential_invalid',
      severity: 'error',
      message: `Bitbucket Cloud refused the credential (401 on ${call}): it is wrong, revoked or expired.`,
      fix: 'Create a new credential with the scopes the features need and store it on the integration.',
      check: 'token-valid',
    });
    report.check(sharedCheck('token-valid', 'fail', 'Bitbucket Cloud answered 401.'));
    return { stop: 'invalid' };
  }
  if (outcome.status >= 500) return { stop: recordServerError(report, outcome.status, 'Bitbucket Cloud') };
  if (outcome.status === 410) {
    report.finding({
      code: 'endpoint_retired',
      severity: 'warning',
      message: `Bitbucket Cloud answered 410 Gone on ${call}: ${errorMessage(outcome) ?? 'the endpoint or authentication method was retired'}.`,
      fix: 'Use the replacement endpoint or credential type named in the Bitbucket changelog (CHANGE-2770).',
    });
    return {};
  }
  const refusal = scopeRefusal(outcome);
  if (refusal !== undefined) {
    report.finding({
      code: 'scope_missing',
      severity: 'error',
      message: `Bitbucket Cloud refused ${call}: it needs ${refusal.required.join(', ')}; the credential carries ${refusal.granted?.join(', ') || 'none of them'}.`,
      fix: `Grant ${refusal.required.join(', ')} to the credential.`,
      check: 'scopes',
    });
    return refusal.granted === undefined ? {} : { granted: refusal.granted };
  }
  return {};
}
