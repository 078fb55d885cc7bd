/**
 * The Bitbucket Data Center adapter's view of an integration: validated config with the REST
 * base filled in, and the authentication header (Bearer for HTTP access tokens, Basic for a user
 * name and password).
 */
import { Compile } from 'typebox/compile';
import { basicAuth, checkConfig, missingCredentialField } from '../http/index.ts';
import type { Finding, VerifyInput } from '../types.ts';
import { type BitbucketServerConfigInput, BitbucketServerConfigSchema } from './bitbucket-server-schema.ts';

/** Validated config with the REST base filled in. */
export type BitbucketServerConfig = BitbucketServerConfigInput & { readonly apiBaseUrl: string };

const validator = Compile(BitbucketServerConfigSchema);

/** Validated config, or the findings naming the key at fault; a host is required. */
export function readBitbucketServerConfig(
  config: unknown,
): { ok: true; value: BitbucketServerConfig } | { ok: false; findings: Finding[] } {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const { apiBaseUrl, hostUrl } = checked.value;
  const base =
    apiBaseUrl ?? (hostUrl === undefined ? undefined : `${hostUrl.replace(/\/+$/, '')}/rest/api/latest`);
  if (base === undefined) {
    const message =
      "The integration's configuration is not usable: hostUrl: Bitbucket Data Center has no default host.";
    return {
      ok: false,
      findings: [{ code: 'config_invalid', severity: 'error', message, fix: 'Set hostUrl (or apiBaseUrl).' }],
    };
  }
  return { ok: true, value: { ...checked.value, apiBaseUrl: base.replace(/\/+$/, '') } };
}

/** The `Authorization` header for the credential, or the finding naming the missing field. */
export function bitbucketServerAuth(
  input: VerifyInput,
): { ok: true; headers: Record<string, string> } | { ok: false; finding: Finding } {
  if (input.credentialType === 'basic-auth') {
    const { username, password } = input.credential;
    if (username === undefined || username === '')
      return { ok: false, finding: missingCredentialField('username') };
    if (password === undefined || password === '')
      return { ok: false, finding: missingCredentialField('password') };
    return { ok: true, headers: { authorization: basicAuth(username, password) } };
  }
  const token = input.credential['token'];
  if (token === undefined || token === '') return { ok: false, finding: missingCredentialField('token') };
  return { ok: true, headers: { authorization: `Bearer ${token}` } };
}
