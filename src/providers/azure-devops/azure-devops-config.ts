/**
 * The Azure DevOps adapter's view of an integration: validated config with defaults, and the
 * PAT as Basic authentication (empty user name), as Azure DevOps documents.
 */
import { Compile } from 'typebox/compile';
import type { AuthHeaders, ConfigRead } from '../http/index.ts';
import { basicAuth, checkConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { type AzureDevopsConfigInput, AzureDevopsConfigSchema } from './azure-devops-schema.ts';

/** Validated config with defaults. */
export type AzureDevopsConfig = AzureDevopsConfigInput & {
  readonly apiBaseUrl: string;
  readonly profileBaseUrl: string;
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
    },
  };
}

/** The PAT as Basic auth; other credential types need an Entra token exchange, not done here. */
export function azureDevopsAuth(input: VerifyInput): AuthHeaders {
  if (input.credentialType !== 'pat') {
    return {
      ok: false,
      finding: {
        code: 'verification_unsupported',
        severity: 'warning',
        message: `Verifying ${input.credentialType} credentials needs a Microsoft Entra token exchange, which this adapter does not perform yet.`,
        fix: 'Verify with a PAT, or check the principal in Azure DevOps organisation settings.',
        check: 'token-valid',
      },
    };
  }
  const pat = input.credential['token'];
  if (pat === undefined || pat === '') return { ok: false, finding: missingCredentialField('token') };
  return { ok: true, headers: { authorization: basicAuth('', pat) } };
}
