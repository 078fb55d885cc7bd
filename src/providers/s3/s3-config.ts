/**
 * Parses an S3 integration's configuration and credential into what the S3 client needs. The
 * region of a Backblaze B2 endpoint is read from its host name when none is given.
 */
import { Compile } from 'typebox/compile';
import { KeyhouseError } from '../../core/errors.ts';
import type { VerifyInput } from '../types.ts';
import { S3ConfigSchema } from './s3-schema.ts';

/** The configuration the adapter works with. */
export interface S3Config {
  readonly accessKeyId: string;
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** The prefix, with a trailing `/` when not empty. */
  readonly prefix: string;
  readonly forcePathStyle: boolean;
}

/** The secret part; lives only for the call. */
export interface S3Secret {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const validator = Compile(S3ConfigSchema);

function invalid(path: string, message: string): KeyhouseError {
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

function regionOf(region: string | undefined, endpoint: string | undefined): string {
  if (region !== undefined) return region;
  const b2 = endpoint === undefined ? undefined : /s3\.([a-z0-9-]+)\.backblazeb2\.com/.exec(endpoint)?.[1];
  if (b2 !== undefined) return b2;
  throw invalid('config.region', 'is required');
}

/** Checks and parses `config`; throws a `validation_failed` error naming the field at fault. */
export function parseS3Config(config: Readonly<Record<string, unknown>>): S3Config {
  for (const error of validator.Errors(config)) {
    const required = (error.params as { requiredProperties?: readonly string[] }).requiredProperties;
    const field = error.instancePath.split('/')[1] || required?.[0] || 'bucket';
    throw invalid(`config.${field}`, required === undefined ? 'is not valid' : 'is required');
  }
  const input = validator.Parse(config);
  const accessKeyId = input.accessKeyId ?? input.keyId;
  if (accessKeyId === undefined) throw invalid('config.accessKeyId', 'is required');
  const prefix = (input.prefix ?? '').replace(/^\/+/, '');
  return {
    accessKeyId,
    ...(input.endpoint === undefined ? {} : { endpoint: input.endpoint }),
    region: regionOf(input.region, input.endpoint),
    bucket: input.bucket,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    forcePathStyle: input.forcePathStyle ?? false,
  };
}

/** The secret access key (or B2 application key) and session token of the credential. */
export function s3SecretOf(input: VerifyInput): S3Secret {
  const secretAccessKey = input.credential['secretAccessKey'] ?? input.credential['applicationKey'];
  if (secretAccessKey === undefined) throw invalid('credential.secretAccessKey', 'is required');
  const sessionToken = input.credential['sessionToken'];
  return { secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}
