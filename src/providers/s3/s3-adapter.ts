/**
 * The S3-compatible storage adapter: probes list, write, read and delete under the configured
 * prefix with the AWS SDK v3 S3 client (endpoint, region and addressing from the config), always
 * removing its marker, and reports a refused key, a missing action, a wrong region or endpoint,
 * a missing bucket and an unreachable endpoint each as such.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { checkBuilder } from '../http/index.ts';
import type { CheckResult, Finding, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { parseS3Config, type S3Config, s3SecretOf } from './s3-config.ts';
import { describeFailure, type S3Failure } from './s3-errors.ts';
import { runS3Probes, type S3ProbeRun, type S3Step } from './s3-probes.ts';

/** Options of {@link createS3Adapter}. */
export interface S3AdapterOptions {
  /** Connection timeout in ms; 5 s by default. */
  readonly connectionTimeoutMs?: number;
  /** Request timeout in ms; 15 s by default. */
  readonly requestTimeoutMs?: number;
}

type Probed = Exclude<S3ProbeRun, { fatal: S3Failure }>;

const TITLES: Readonly<Record<string, string>> = {
  'token-valid': 'Access key accepted',
  'endpoint-and-region': 'Endpoint, region and bucket',
  'bucket-read': 'Read under the prefix (s3:ListBucket, s3:GetObject)',
  'bucket-write': 'Write under the prefix (s3:PutObject)',
  'bucket-delete': 'Delete under the prefix (s3:DeleteObject)',
};
const PROBE_CHECKS = ['bucket-read', 'bucket-write', 'bucket-delete'];

const check = checkBuilder(TITLES);

function where(config: S3Config): string {
  return `s3://${config.bucket}/${config.prefix}`;
}

function endpointText(config: S3Config): string {
  return `${config.endpoint ?? 'AWS S3'}, region ${config.region}, bucket ${config.bucket}`;
}

interface FatalRow {
  readonly reach: Introspection['reach'];
  readonly finding: string;
  readonly message: string;
  readonly fix: string;
  readonly failed: 'token-valid' | 'endpoint-and-region';
}

function fatalRow(failure: S3Failure, config: S3Config): FatalRow {
  const code = describeFailure(failure);
  const keyFix = 'Store the current secret of this access key; check that the key is active and not expired.';
  const hint = failure.hint === undefined ? '' : `; the service points to ${failure.hint}`;
  switch (failure.kind) {
    case 'invalid':
    case 'expired': {
      const expired = failure.kind === 'expired';
      const message = expired
        ? `The temporary credential has expired: ${code}.`
        : `The storage refused the access key: ${code}.`;
      return {
        reach: 'invalid',
        finding: expired ? 'credential_expired' : 'credential_invalid',
        message,
        fix: keyFix,
        failed: 'token-valid',
      };
    }
    case 'region': {
      const message = `The bucket is not served with this region or endpoint: ${code}${hint}.`;
      const fix = `Set the bucket's region${failure.hint === undefined ? '' : ` (${failure.hint})`} and its endpoint in the integration.`;
      return { reach: 'ok', finding: 'region_mismatch', message, fix, failed: 'endpoint-and-region' };
    }
    case 'no-bucket': {
      const message = `Bucket ${config.bucket} does not exist at ${config.endpoint ?? 'AWS S3'}: ${code}.`;
      const fix = 'Create the bucket, or correct the bucket name and endpoint.';
      return { reach: 'ok', finding: 'bucket_not_found', message, fix, failed: 'endpoint-and-region' };
    }
    default: {
      const fix = 'Check the endpoint URL, DNS, TLS and that Keyhouse can reach it.';
      const message = `The endpoint could not be reached: ${code}.`;
      return {
        reach: 'unreachable',
        finding: 'provider_unreachable',
        message,
        fix,
        failed: 'endpoint-and-region',
      };
    }
  }
}

function fatalResult(failure: S3Failure, config: S3Config, requests: number): Introspection {
  const row = fatalRow(failure, config);
  const skipped = PROBE_CHECKS.map((id) => check(id, 'skipped', 'Not probed.'));
  const tokenCheck =
    row.failed === 'token-valid'
      ? check('token-valid', 'fail', row.message, row.fix)
      : check('token-valid', 'skipped', 'Not reached.');
  const endpointCheck =
    row.failed === 'endpoint-and-region'
      ? check('endpoint-and-region', 'fail', row.message, row.fix)
      : check('endpoint-and-region', 'pass', endpointText(config));
  const finding: Finding = {
    code: row.finding,
    severity: 'error',
    message: row.message,
    fix: row.fix,
    check: row.failed,
  };
  return { reach: row.reach, checks: [tokenCheck, endpointCheck, ...skipped], findings: [finding], requests };
}

function missing(action: string, verb: string, step: S3Step, config: S3Config, checkId: string): Finding[] {
  if (step.ok) return [];
  const resource =
    action === 's3:ListBucket'
      ? `arn:aws:s3:::${config.bucket}`
      : `arn:aws:s3:::${config.bucket}/${config.prefix}*`;
  const denied = step.failure.kind === 'denied';
  return [
    {
      code: denied ? 'scope_missing' : 'probe_failed',
      severity: 'error',
      message: `The key may not ${verb} ${where(config)}: ${describeFailure(step.failure)}.`,
      fix: `Allow ${action} on ${resource} for this key.`,
      check: checkId,
    },
  ];
}

function stepText(name: string, step: S3Step): string {
  if (step.ok) return `${name}: allowed${step.note === undefined ? '' : ` (${step.note})`}`;
  return `${name}: ${describeFailure(step.failure)}`;
}

function probeChecks(run: Probed): CheckResult[] {
  const fix = 'Grant the missing actions on the bucket and prefix (see the findings).';
  const of = (id: string, steps: [string, S3Step][]) => {
    const ok = steps.every(([, s]) => s.ok);
    return check(
      id,
      ok ? 'pass' : 'fail',
      steps.map(([n, s]) => stepText(n, s)).join('; '),
      ok ? undefined : fix,
    );
  };
  return [
    of('bucket-read', [
      ['ListObjectsV2', run.list],
      ['GetObject', run.get],
    ]),
    of('bucket-write', [['PutObject', run.put]]),
    of('bucket-delete', [['DeleteObject', run.delete]]),
  ];
}

function probeFindings(run: Probed, config: S3Config): Finding[] {
  const left: Finding[] =
    run.leftover === undefined
      ? []
      : [
          {
            code: 'probe_object_left',
            severity: 'warning',
            message: `The probe object ${run.leftover} was written but could not be deleted.`,
            fix: 'Delete it with a key that may, after granting s3:DeleteObject to this one.',
            check: 'bucket-delete',
          },
        ];
  return [
    ...missing('s3:ListBucket', 'list', run.list, config, 'bucket-read'),
    ...missing('s3:GetObject', 'read objects under', run.get, config, 'bucket-read'),
    ...missing('s3:PutObject', 'write objects under', run.put, config, 'bucket-write'),
    ...missing('s3:DeleteObject', 'delete objects under', run.delete, config, 'bucket-delete'),
    ...left,
  ];
}

function clientFor(config: S3Config, input: VerifyInput, options: S3AdapterOptions): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, ...s3SecretOf(input) },
    maxAttempts: 1,
    followRegionRedirects: false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5000,
      requestTimeout: options.requestTimeoutMs ?? 15_000,
    },
  });
}

async function verifyS3(input: VerifyInput, options: S3AdapterOptions): Promise<Introspection> {
  const config = parseS3Config(input.config);
  const client = clientFor(config, input, options);
  try {
    const run = await runS3Probes(client, config, input.signal);
    if ('fatal' in run) return fatalResult(run.fatal, config, run.requests);
    return {
      reach: 'ok',
      identity: { account: config.accessKeyId, accountType: 'token' },
      checks: [
        check('token-valid', 'pass', 'The storage accepted the signature.'),
        check('endpoint-and-region', 'pass', endpointText(config)),
        ...probeChecks(run),
      ],
      findings: probeFindings(run, config),
      requests: run.requests,
    };
  } finally {
    client.destroy();
  }
}

/** Creates the S3 adapter. */
export function createS3Adapter(options: S3AdapterOptions = {}): ProviderAdapter {
  return { id: 's3', verify: (input) => verifyS3(input, options) };
}

/** The S3 adapter with default timeouts. */
export const s3Adapter: ProviderAdapter = createS3Adapter();
