/**
 * The `assume-role` credential type: Keyhouse's own AWS credentials (the SDK's default chain of
 * the Keyhouse process, or those the adapter is given) call STS `AssumeRole` on the integration's
 * role with its ExternalId; the temporary credentials then go through the same checks as an
 * access key. The catalogue stores no base key for this type, by design (no stored key).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { KeyhouseError } from '../../core/errors.ts';
import { findingFor } from '../http/index.ts';
import type { Finding, VerifyInput } from '../types.ts';
import type { AwsCredentials } from './aws-config.ts';
import { describeAwsFailure } from './aws-errors.ts';
import { type AwsCallContext, assumeRole } from './aws-probes.ts';

/** The temporary credentials, or the finding (and reach) that ends the verification. */
export type RoleCredentials =
  | { readonly ok: true; readonly credentials: AwsCredentials; readonly detail: string }
  | {
      readonly ok: false;
      readonly reach: 'invalid' | 'unreachable' | 'rate-limited';
      readonly finding: Finding;
    };

function roleArnOf(input: VerifyInput): string {
  const value = input.credential['roleArn'] ?? input.config['roleArn'];
  if (typeof value === 'string' && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(value)) return value;
  const message = 'is required (an IAM role ARN)';
  throw new KeyhouseError('validation_failed', `config.roleArn ${message}`, {
    details: { fields: [{ path: 'config.roleArn', message }] },
  });
}

async function baseCredentials(
  provider: AwsCredentialIdentityProvider | undefined,
): Promise<AwsCredentials | undefined> {
  try {
    const found = await (provider ?? defaultProvider())();
    return {
      accessKeyId: found.accessKeyId,
      secretAccessKey: found.secretAccessKey,
      ...(found.sessionToken === undefined ? {} : { sessionToken: found.sessionToken }),
    };
  } catch {
    return undefined;
  }
}

/** Assumes the integration's role with Keyhouse's base credentials. */
export async function roleCredentials(
  input: VerifyInput,
  context: Omit<AwsCallContext, 'credentials'>,
  base: AwsCredentialIdentityProvider | undefined,
): Promise<RoleCredentials> {
  const roleArn = roleArnOf(input);
  const credentials = await baseCredentials(base);
  if (credentials === undefined) {
    const message =
      'Keyhouse has no AWS credentials of its own to call sts:AssumeRole with (the AWS SDK default credential chain found none).';
    const fix =
      'Give the Keyhouse process AWS credentials (environment, shared config, or an instance/task role) that the role trusts.';
    return {
      ok: false,
      reach: 'unreachable',
      finding: findingFor('base_credentials_missing', 'assume-role', message, fix),
    };
  }
  const externalId = input.credential['externalId'];
  const sessionName = `keyhouse-verify-${input.integrationId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  const result = await assumeRole({ ...context, credentials }, { roleArn, sessionName, externalId });
  if (result.ok) return { ok: true, credentials: result.credentials, detail: `Assumed ${roleArn}.` };
  const code = describeAwsFailure(result.failure);
  const kind = result.failure.kind;
  if (kind === 'denied') {
    // AWS's message names the caller and the role, never the ExternalId.
    const message = `AWS refused sts:AssumeRole on ${roleArn}: ${code}${result.message ? ` (${result.message})` : ''}.`;
    const fix = `Allow Keyhouse's principal in the trust policy of ${roleArn} and check that its sts:ExternalId condition matches the stored ExternalId.`;
    return {
      ok: false,
      reach: 'invalid',
      finding: findingFor('assume_role_denied', 'assume-role', message, fix),
    };
  }
  if (kind === 'invalid' || kind === 'expired') {
    const message = `AWS refused Keyhouse's own credentials when assuming ${roleArn}: ${code}.`;
    const fix = "Check the AWS credentials of the Keyhouse process; the integration's role was not reached.";
    return {
      ok: false,
      reach: 'unreachable',
      finding: findingFor('base_credentials_invalid', 'assume-role', message, fix),
    };
  }
  const limited = kind === 'rate-limited';
  const message = `sts:AssumeRole on ${roleArn} failed: ${code}.`;
  return {
    ok: false,
    reach: limited ? 'rate-limited' : 'unreachable',
    finding: findingFor(
      limited ? 'rate_limited' : 'provider_unreachable',
      'assume-role',
      message,
      'Verify again later; check the region and endpoint.',
    ),
  };
}
