/**
 * The Azure DevOps adapter's view of an integration: validated config with defaults, and the
 * PAT as Basic authentication (empty user name), as Azure DevOps documents.
 */
import { Compile } from 'typebox/compile';
import type { AuthHeaders, ConfigRead } from '../http/index.ts';
import { basicAuth, checkConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { DEFAULT_AUTHORITY } from './azure-devops-entra.ts';
import { type AzureDevopsConfigInput, AzureDevopsConfigSchema } from './azure-devops-schema.ts';

/** Validated config with defaults. */
export type AzureDevopsConfig = AzureDevopsConfigInput & {
  readonly apiBaseUrl: string;
  readonly profileBaseUrl: string;
  readonly authorityUrl: string;
};

const validator = Compile(AzureDevopsConfigSchema);

/** Validated config, or the findings naming the key at fault. */
export function readAzureDevopsConfig(config: unknown): ConfigRead<AzureDevopsConfig> {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    ok: true,
    value: {
      ...checked.value,
      apiBaseUrl: trim(checked.value.apiBaseUrl ?? 'https://dev.azure.com'),
      profileBaseUrl: trim(checked.value.profileBaseUrl ?? 'https://app.vssps.visualstudio.com'),
      authorityUrl: trim(checked.value.authorityUrl ?? DEFAULT_AUTHORITY),
    },
  };
}

/**
 * The credential's headers: a PAT as Basic auth, an Entra access token (stored for `entra-oauth`,
 * exchanged for `service-principal` and passed as `bearer`) as Bearer, as Azure DevOps documents.
 */
export function azureDevopsAuth(input: VerifyInput, bearer?: string): AuthHeaders {
  if (input.credentialType === 'service-principal' || input.credentialType === 'entra-oauth') {
    const field = input.credentialType === 'entra-oauth' ? 'accessToken' : 'clientSecret';
    const token = bearer ?? (field === 'accessToken' ? input.credential[field] : undefined);
    if (token === undefined || token === '') return { ok: false, finding: missingCredentialField(field) };
    return { ok: true, headers: { authorization: `Bearer ${token}` } };
  }
  if (input.credentialType !== 'pat') {
    return {
      ok: false,
      finding: {
        code: 'verification_unsupported',
        severity: 'warning',
        message: `Azure DevOps has no credential type ${input.credentialType}.`,
        fix: 'Use a PAT, an Entra access token or a service principal.',
        check: 'token-valid',
      },
    };
  }
  const pat = input.credential['token'];
  if (pat === undefined || pat === '') return { ok: false, finding: missingCredentialField('token') };
  return { ok: true, headers: { authorization: basicAuth('', pat) } };
}
