/**
 * The Bitbucket Data Center adapter's view of an integration: validated config with the REST
 * base filled in, and the authentication header (Bearer for HTTP access tokens, Basic for a user
 * name and password).
 */
import { Compile } from 'typebox/compile';
import type { AuthHeaders, ConfigRead } from '../http/index.ts';
import { basicAuth, checkHostConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { type BitbucketServerConfigInput, BitbucketServerConfigSchema } from './bitbucket-server-schema.ts';

/** Validated config with the REST base filled in. */
export type BitbucketServerConfig = BitbucketServerConfigInput & { readonly apiBaseUrl: string };

const validator = Compile(BitbucketServerConfigSchema);

/** Validated config, or the findings naming the key at fault; a host is required. */
export function readBitbucketServerConfig(config: unknown): ConfigRead<BitbucketServerConfig> {
  return checkHostConfig(validator, config, '/rest/api/latest', 'Bitbucket Data Center');
}

/** The `Authorization` header for the credential, or the finding naming the missing field. */
export function bitbucketServerAuth(input: VerifyInput): AuthHeaders {
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
