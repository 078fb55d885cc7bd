/**
 * Reads what a GitLab token says about itself: GET /personal_access_tokens/self for personal,
 * group and project access tokens, GET /oauth/token/info for OAuth tokens, then GET /user.
 */
import { Compile } from 'typebox/compile';
import type { HttpClient, HttpOutcome, VerificationReport } from '../http/index.ts';
import { recordNoAnswer, recordServerError, sharedCheck } from '../http/index.ts';
import type { Identity, Introspection, VerifyInput } from '../types.ts';
import type { GitlabConfig } from './gitlab-config.ts';
import { OauthTokenInfoSchema, TokenSelfSchema, UserSchema } from './gitlab-schema.ts';

const tokenSelf = Compile(TokenSelfSchema);
const oauthInfo = Compile(OauthTokenInfoSchema);
const user = Compile(UserSchema);

/** What the token said about itself. */
export interface GitlabTokenFacts {
  readonly reach: Introspection['reach'];
  readonly scopes?: readonly string[];
  readonly expiresAt?: number;
  readonly userId?: number;
}

/** `2026-12-31` → epoch ms of that day's start (UTC); GitLab ends a token's life on that date. */
export function expiryDateToEpoch(date: string | null): number | undefined {
  if (date === null) return undefined;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The OAuth-style reason of a 401 (`Token has expired.`, `Token was revoked…`), when given. */
export function invalidTokenReason(outcome: HttpOutcome): string | undefined {
  if (outcome.kind !== 'response') return undefined;
  const header = outcome.headers.get('www-authenticate') ?? '';
  return /error_description="([^"]*)"/.exec(header)?.[1];
}

function recordInvalid(report: VerificationReport, outcome: HttpOutcome, what: string): 'invalid' {
  const reason = invalidTokenReason(outcome);
  const expired = reason !== undefined && /expired/i.test(reason);
  report.finding({
    code: expired ? 'credential_expired' : 'credential_invalid',
    severity: 'error',
    message: `GitLab refused the ${what} (401${reason === undefined ? '' : `: ${reason}`}): it is unknown, revoked or expired.`,
    fix: 'Create a new token with the scopes the features need and store it on the integration.',
    check: 'token-valid',
  });
  report.check(sharedCheck('token-valid', 'fail', 'GitLab answered 401.'));
  return 'invalid';
}

/** Handles the answers every call shares; returns a reach when the verification must stop. */
export function commonFailure(
  report: VerificationReport,
  outcome: HttpOutcome,
  what: string,
): Introspection['reach'] | undefined {
  if (outcome.kind !== 'response') return recordNoAnswer(report, outcome, 'GitLab');
  if (outcome.status === 401) return recordInvalid(report, outcome, what);
  if (outcome.status >= 500) return recordServerError(report, outcome.status, 'GitLab');
  return undefined;
}

/** Reads the token's self-description (scopes, expiry, state). */
export async function readTokenFacts(
  client: HttpClient,
  report: VerificationReport,
  input: VerifyInput,
  config: GitlabConfig,
): Promise<GitlabTokenFacts> {
  if (input.credentialType === 'oauth') {
    const outcome = await client.request('/oauth/token/info', { baseUrl: config.webUrl });
    const stop = commonFailure(report, outcome, 'OAuth token');
    if (stop !== undefined) return { reach: stop };
    if (outcome.kind === 'response' && outcome.status === 200 && oauthInfo.Check(outcome.json)) {
      const info = outcome.json;
      return {
        reach: 'ok',
        scopes: info.scope,
        ...(info.expires_in === null ? {} : { expiresAt: input.now + info.expires_in * 1000 }),
        ...(info.resource_owner_id === null ? {} : { userId: info.resource_owner_id }),
      };
    }
    return { reach: 'ok' };
  }
  const outcome = await client.request('/personal_access_tokens/self');
  const stop = commonFailure(report, outcome, 'token');
  if (stop !== undefined) return { reach: stop };
  if (outcome.kind !== 'response' || outcome.status !== 200 || !tokenSelf.Check(outcome.json)) {
    report.finding({
      code: 'scopes_unreadable',
      severity: 'warning',
      message: `GitLab did not describe the token (GET /personal_access_tokens/self answered ${outcome.kind === 'response' ? outcome.status : outcome.kind}); GitLab 15.5 or later is needed.`,
      check: 'scopes',
    });
    return { reach: 'ok' };
  }
  const self = outcome.json;
  const expiresAt = expiryDateToEpoch(self.expires_at);
  if (self.revoked || !self.active) {
    const state = self.revoked ? 'revoked' : 'inactive (expired)';
    report.finding({
      code: self.revoked ? 'credential_invalid' : 'credential_expired',
      severity: 'error',
      message: `GitLab reports the token "${self.name}" as ${state}.`,
      fix: 'Create a new token and store it on the integration.',
      check: 'token-valid',
    });
    report.check(sharedCheck('token-valid', 'fail', `The token is ${state}.`));
    return { reach: 'invalid', scopes: self.scopes, ...(expiresAt === undefined ? {} : { expiresAt }) };
  }
  return {
    reach: 'ok',
    scopes: self.scopes,
    userId: self.user_id,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** GET /user: the account (or bot user) behind the token. */
export async function readIdentity(
  client: HttpClient,
  report: VerificationReport,
  facts: GitlabTokenFacts,
): Promise<{ reach?: Introspection['reach']; identity?: Identity; userId?: number }> {
  const outcome = await client.request('/user');
  const stop = commonFailure(report, outcome, 'token');
  if (stop !== undefined) return { reach: stop };
  if (outcome.kind === 'response' && outcome.status === 200 && user.Check(outcome.json)) {
    const me = outcome.json;
    return { identity: { account: me.username, accountType: me.bot ? 'bot' : 'user' }, userId: me.id };
  }
  return facts.userId === undefined ? {} : { identity: { accountType: 'token' }, userId: facts.userId };
}
