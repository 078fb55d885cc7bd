/**
 * Identifies a user token (classic PAT, OAuth token, fine-grained PAT) with `GET /user`: the
 * account, `X-OAuth-Scopes` (absent for fine-grained PATs), and
 * `GitHub-Authentication-Token-Expiration`.
 */
import type { Identity } from '../types.ts';
import { type GithubOctokitClient, send } from './github-client.ts';
import { meaningOf, type Report, record } from './github-findings.ts';
import { parseOAuthScopes, parseTokenExpiration } from './github-schema.ts';

/** What `GET /user` told. */
export type TokenIdentity =
  | {
      readonly reach: 'ok';
      readonly identity: Identity;
      /** Undefined when the host sent no `X-OAuth-Scopes` (fine-grained PAT). */
      readonly scopes?: string[];
      readonly expiresAt?: number;
    }
  | { readonly reach: 'invalid' | 'rate-limited' | 'unreachable' };

function identityOf(data: unknown): Identity {
  const user = (data ?? {}) as { login?: unknown; type?: unknown };
  const account = typeof user.login === 'string' ? user.login : undefined;
  return {
    ...(account === undefined ? {} : { account }),
    accountType: user.type === 'Bot' ? 'bot' : 'user',
  };
}

/** Sends `GET /user` and records `token-valid` with the findings of a refusal. */
export async function identifyToken(
  report: Report,
  octokit: GithubOctokitClient,
  credentialType: string,
): Promise<TokenIdentity> {
  const meaning = meaningOf(await send(octokit, 'GET /user'));
  switch (meaning.kind) {
    case 'ok': {
      const scopes = parseOAuthScopes(meaning.answer.headers);
      const expiresAt = parseTokenExpiration(meaning.answer.headers);
      const identity = identityOf(meaning.answer.data);
      record(report, 'token-valid', 'pass', `Authenticated as ${identity.account ?? 'an unnamed account'}.`);
      noteTypeMismatch(report, credentialType, scopes);
      return {
        reach: 'ok',
        identity,
        ...(scopes === undefined ? {} : { scopes }),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      };
    }
    case 'invalid':
      record(
        report,
        'token-valid',
        'fail',
        'GitHub answered 401 Bad credentials.',
        'Create a new token and store it.',
      );
      report.finding(
        'credential_invalid',
        'error',
        'GitHub rejects the token (401): it is wrong, expired or revoked.',
        'Create a new token and store it in the integration.',
        'token-valid',
      );
      return { reach: 'invalid' };
    case 'rate-limited':
    case 'unreachable':
      record(report, 'token-valid', 'skipped', `GitHub did not answer (${meaning.kind}).`);
      return { reach: meaning.kind };
    default: {
      const why = meaning.kind === 'not-found' ? 'GET /user answered 404' : `GET /user was refused`;
      record(report, 'token-valid', 'fail', `${why}.`, 'Use a user token (PAT or OAuth), not an app token.');
      report.finding(
        'credential_invalid',
        'error',
        `${why}: the credential cannot act as a user.`,
        undefined,
        'token-valid',
      );
      return { reach: 'invalid' };
    }
  }
}

function noteTypeMismatch(report: Report, credentialType: string, scopes: string[] | undefined): void {
  const fineGrained = credentialType === 'fine-grained-pat';
  if (fineGrained && scopes !== undefined && scopes.length > 0) {
    report.finding(
      'credential_type_mismatch',
      'warning',
      'The integration says fine-grained PAT, but GitHub reports OAuth scopes: the token is a classic PAT or OAuth token.',
      'Change the credential type of the integration, or store a fine-grained PAT.',
      'token-valid',
    );
  }
  if (!fineGrained && scopes === undefined) {
    report.finding(
      'credential_type_mismatch',
      'warning',
      'GitHub sent no X-OAuth-Scopes: the token is not a classic PAT or OAuth token (a fine-grained PAT?).',
      'Change the credential type of the integration to fine-grained-pat.',
      'token-valid',
    );
  }
}
