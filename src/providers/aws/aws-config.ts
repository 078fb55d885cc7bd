/**
 * Parses an AWS integration's configuration and secret, and derives the ARN that IAM policy
 * simulation evaluates from the caller's ARN (an assumed-role session maps to its role).
 */
import { Compile } from 'typebox/compile';
import { KeyhouseError } from '../../core/errors.ts';
import type { VerifyInput } from '../types.ts';
import { type AwsConfig, AwsConfigSchema } from './aws-schema.ts';

/** The static credentials of one verification; secret. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const validator = Compile(AwsConfigSchema);

function invalid(path: string, message: string): KeyhouseError {
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

/** Checks and parses `config`; throws a `validation_failed` error naming the field at fault. */
export function parseAwsConfig(config: Readonly<Record<string, unknown>>): AwsConfig {
  for (const error of validator.Errors(config)) {
    const required = (error.params as { requiredProperties?: readonly string[] }).requiredProperties;
    const field = error.instancePath.split('/')[1] || required?.[0] || 'accessKeyId';
    throw invalid(`config.${field}`, required === undefined ? 'is not valid' : 'is required');
  }
  return validator.Parse(config);
}

/** The credentials of the verification. */
export function awsCredentialsOf(input: VerifyInput, config: AwsConfig): AwsCredentials {
  if (config.accessKeyId === undefined) throw invalid('config.accessKeyId', 'is required');
  const secretAccessKey = input.credential['secretAccessKey'];
  if (secretAccessKey === undefined) throw invalid('credential.secretAccessKey', 'is required');
  const sessionToken = input.credential['sessionToken'];
  return {
    accessKeyId: config.accessKeyId,
    secretAccessKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

/** What the caller's ARN says about the principal. */
export interface Principal {
  readonly kind: 'iam-user' | 'iam-role' | 'root' | 'other';
  /** The ARN to simulate; absent when simulation does not apply (root, federated users). */
  readonly policySourceArn?: string;
}

/** Maps `arn:aws:sts::<account>:assumed-role/<role>/<session>` to `arn:aws:iam::<account>:role/<role>`. */
export function principalOf(callerArn: string, roleArn?: string): Principal {
  const match = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(callerArn);
  if (match === null) return { kind: 'other' };
  const [, partition, service, account, resource = ''] = match;
  if (resource === 'root') return { kind: 'root' };
  if (service === 'iam' && resource.startsWith('user/'))
    return { kind: 'iam-user', policySourceArn: callerArn };
  if (service === 'iam' && resource.startsWith('role/'))
    return { kind: 'iam-role', policySourceArn: callerArn };
  const role = /^assumed-role\/([^/]+)\//.exec(resource)?.[1];
  if (role === undefined) return { kind: 'other' };
  // The session ARN drops the role's path; a configured roleArn carries it.
  return { kind: 'iam-role', policySourceArn: roleArn ?? `arn:${partition}:iam::${account}:role/${role}` };
}
