/**
 * The Bitbucket Cloud adapter's view of an integration: validated config with defaults and the
 * authentication header for each credential type.
 */
import { Compile } from 'typebox/compile';
import type { AuthHeaders, ConfigRead } from '../http/index.ts';
import { basicAuth, checkConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { type BitbucketCloudConfigInput, BitbucketCloudConfigSchema } from './bitbucket-cloud-schema.ts';

/** Bitbucket Cloud's REST base (the catalogue's `apiBase`). */
export const BITBUCKET_CLOUD_DEFAULT_API = 'https://api.bitbucket.org/2.0';

/** Validated config with the API base filled in. */
export type BitbucketCloudConfig = BitbucketCloudConfigInput & { readonly apiBaseUrl: string };

const validator = Compile(BitbucketCloudConfigSchema);

/** Validated config, or the findings naming the key at fault. */
export function readBitbucketCloudConfig(config: unknown): ConfigRead<BitbucketCloudConfig> {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const apiBaseUrl = (checked.value.apiBaseUrl ?? BITBUCKET_CLOUD_DEFAULT_API).replace(/\/+$/, '');
  return { ok: true, value: { ...checked.value, apiBaseUrl } };
}

/** The credential fields each type authenticates with: Basic (user, secret) or Bearer (secret). */
const AUTH: Readonly<Record<string, { user?: string; secret: string }>> = {
  'api-token': { user: 'email', secret: 'token' },
  'app-password': { user: 'username', secret: 'password' },
  'repository-access-token': { secret: 'token' },
  'project-access-token': { secret: 'token' },
  'workspace-access-token': { secret: 'token' },
  'oauth-consumer': { secret: 'accessToken' },
};

/**
 * The `Authorization` header for the credential (or for a token `exchanged` for an OAuth
 * consumer's key and secret), or the finding naming the missing field.
 */
export function bitbucketCloudAuth(input: VerifyInput, exchanged?: string): AuthHeaders {
  if (exchanged !== undefined) return { ok: true, headers: { authorization: `Bearer ${exchanged}` } };
  const fields = AUTH[input.credentialType] ?? { secret: 'token' };
  const secret = input.credential[fields.secret];
  if (secret === undefined || secret === '')
    return { ok: false, finding: missingCredentialField(fields.secret) };
  if (fields.user === undefined) return { ok: true, headers: { authorization: `Bearer ${secret}` } };
  const user = input.credential[fields.user] ?? (input.config as Record<string, unknown>)[fields.user];
  if (typeof user !== 'string' || user === '')
    return { ok: false, finding: missingCredentialField(fields.user) };
  return { ok: true, headers: { authorization: basicAuth(user, secret) } };
}
