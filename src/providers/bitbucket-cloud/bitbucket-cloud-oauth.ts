/**
 * The OAuth 2.0 consumer of Bitbucket Cloud: the client-credentials grant
 * (`POST {authUrl}/site/oauth2/access_token`, HTTP Basic with key:secret, form-encoded
 * `grant_type=client_credentials`) gives an access token for the consumer's owner and the granted
 * `scopes` (space-separated). A refusal ends the verification as `invalid` with the host's
 * `error_description`; the secret is only ever in the Authorization header.
 */
import type { HttpAdapterOptions, HttpOutcome } from '../http/index.ts';
import { basicAuth, createHttpClient, missingCredentialField, sharedCheck } from '../http/index.ts';
import type { Finding, Introspection, VerifyInput } from '../types.ts';
import { readBitbucketCloudConfig } from './bitbucket-cloud-config.ts';

/** Where consumers exchange their key and secret (the config's `authUrl` overrides it). */
export const BITBUCKET_CLOUD_DEFAULT_AUTH = 'https://bitbucket.org';

/** The exchanged token and its scopes, the requests sent, or the end of the verification. */
export interface ConsumerToken {
  readonly accessToken?: string;
  readonly scopes?: readonly string[];
  readonly requests: number;
  readonly finished?: Introspection;
}

function ended(reach: Introspection['reach'], finding: Finding, requests: number): ConsumerToken {
  const check = sharedCheck('token-valid', 'fail', finding.message, finding.fix);
  return { requests, finished: { reach, checks: [check], findings: [finding], requests } };
}

function refusal(outcome: HttpOutcome, requests: number): ConsumerToken {
  if (outcome.kind !== 'response') {
    const limited = outcome.kind === 'rate-limited';
    const message = limited
      ? 'Bitbucket Cloud rate-limited the token request.'
      : `Bitbucket Cloud could not be reached for the token: ${outcome.reason}.`;
    const code = limited ? 'rate_limited' : 'provider_unreachable';
    const fix = limited ? 'Verify again later.' : 'Check authUrl, DNS, proxy and firewall.';
    return ended(
      limited ? 'rate-limited' : 'unreachable',
      { code, severity: 'error', message, fix, check: 'token-valid' },
      requests,
    );
  }
  const body = outcome.json as { error?: unknown; error_description?: unknown } | undefined;
  const text = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const reason = text ?? (typeof body?.error === 'string' ? body.error : `HTTP ${outcome.status}`);
  if (outcome.status >= 500) {
    const message = `Bitbucket Cloud answered ${outcome.status} to the token request: the host failed, not the credential.`;
    return ended(
      'unreachable',
      { code: 'provider_unreachable', severity: 'error', message, check: 'token-valid' },
      requests,
    );
  }
  return ended(
    'invalid',
    {
      code: 'credential_invalid',
      severity: 'error',
      message: `Bitbucket Cloud refused the consumer's client-credentials exchange: ${reason}.`,
      fix: 'Check the consumer key and secret (Workspace settings > OAuth consumers); the consumer must be private to use client credentials.',
      check: 'token-valid',
    },
    requests,
  );
}

/** For `oauth-consumer`: exchanges key and secret when the secret is stored; else the stored access token is used. */
export async function consumerToken(
  input: VerifyInput,
  http: HttpAdapterOptions['http'],
): Promise<ConsumerToken> {
  const secret = input.credential['clientSecret'];
  if (input.credentialType !== 'oauth-consumer' || secret === undefined || secret === '')
    return { requests: 0 };
  const config = readBitbucketCloudConfig(input.config);
  if (!config.ok) return { requests: 0 };
  const key = input.credential['clientId'] ?? input.config['clientId'];
  if (typeof key !== 'string' || key === '') return ended('invalid', missingCredentialField('clientId'), 0);
  const doFetch = http?.fetch ?? fetch;
  const client = createHttpClient({
    ...http,
    baseUrl: (config.value.authUrl ?? BITBUCKET_CLOUD_DEFAULT_AUTH).replace(/\/+$/, ''),
    headers: { authorization: basicAuth(key, secret) },
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    fetch: (url, init) =>
      doFetch(url, {
        ...init,
        headers: {
          ...(init?.headers as Record<string, string>),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      }),
  });
  const outcome = await client.request('/site/oauth2/access_token', { method: 'POST' });
  const body =
    outcome.kind === 'response' && outcome.status === 200
      ? (outcome.json as { access_token?: unknown; scopes?: unknown } | undefined)
      : undefined;
  if (typeof body?.access_token !== 'string' || body.access_token === '')
    return refusal(outcome, client.requests);
  const scopes =
    typeof body.scopes === 'string' ? body.scopes.split(/[\s,]+/).filter((scope) => scope !== '') : undefined;
  return {
    accessToken: body.access_token,
    requests: client.requests,
    ...(scopes === undefined ? {} : { scopes }),
  };
}
