/**
 * The Gitea adapter's view of an integration: validated config with the API base filled in, and
 * the authentication header of each credential type (`token`, Bearer or Basic).
 */
import { Compile } from 'typebox/compile';
import type { AuthHeaders, ConfigRead } from '../http/index.ts';
import { basicAuth, checkHostConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { type GiteaConfigInput, GiteaConfigSchema } from './gitea-schema.ts';

/** Validated config with the API base filled in. */
export type GiteaConfig = GiteaConfigInput & { readonly apiBaseUrl: string };

const validator = Compile(GiteaConfigSchema);

/** Validated config, or the findings naming the key at fault; a host URL is required. */
export function readGiteaConfig(config: unknown): ConfigRead<GiteaConfig> {
  return checkHostConfig(validator, config, '/api/v1', 'Gitea');
}

/** The `Authorization` header for the credential, or the finding naming the missing field. */
export function giteaAuth(input: VerifyInput): AuthHeaders {
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
