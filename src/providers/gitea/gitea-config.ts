/**
 * The Gitea adapter's view of an integration: validated config with the API base filled in, and
 * the authentication header of each credential type (`token`, Bearer or Basic).
 */
import { Compile } from 'typebox/compile';
import { basicAuth, checkConfig, missingCredentialField } from '../http/index.ts';
import type { Finding, VerifyInput } from '../types.ts';
import { type GiteaConfigInput, GiteaConfigSchema } from './gitea-schema.ts';

/** Validated config with the API base filled in. */
export type GiteaConfig = GiteaConfigInput & { readonly apiBaseUrl: string };

const validator = Compile(GiteaConfigSchema);

/** Validated config, or the findings naming the key at fault; a host URL is required. */
export function readGiteaConfig(
  config: unknown,
): { ok: true; value: GiteaConfig } | { ok: false; findings: Finding[] } {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const { apiBaseUrl, hostUrl } = checked.value;
  const base = apiBaseUrl ?? (hostUrl === undefined ? undefined : `${hostUrl.replace(/\/+$/, '')}/api/v1`);
  if (base === undefined) {
    const message = "The integration's configuration is not usable: hostUrl: Gitea has no default host.";
    return {
      ok: false,
      findings: [{ code: 'config_invalid', severity: 'error', message, fix: 'Set hostUrl (or apiBaseUrl).' }],
    };
  }
  return { ok: true, value: { ...checked.value, apiBaseUrl: base.replace(/\/+$/, '') } };
}

/** The `Authorization` header for the credential, or the finding naming the missing field. */
export function giteaAuth(
  input: VerifyInput,
): { ok: true; headers: Record<string, string> } | { ok: false; finding: Finding } {
  const field =
    input.credentialType === 'oauth2'
      ? 'accessToken'
      : input.credentialType === 'basic-auth'
        ? 'password'
        : 'token';
  const secret = input.credential[field];
  if (secret === undefined || secret === '') return { ok: false, finding: missingCredentialField(field) };
  if (input.credentialType === 'basic-auth') {
    const user = input.credential['username'] ?? (input.config as Record<string, unknown>)['username'];
    if (typeof user !== 'string' || user === '')
      return { ok: false, finding: missingCredentialField('username') };
    return { ok: true, headers: { authorization: basicAuth(user, secret) } };
  }
  return { ok: true, headers: { authorization: field === 'token' ? `token ${secret}` : `Bearer ${secret}` } };
}
