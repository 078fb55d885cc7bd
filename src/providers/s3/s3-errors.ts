/**
 * Classifies what the S3 client threw: a refused key, a missing permission, a wrong region or
 * endpoint, a missing bucket or key, or a network failure. Only codes and statuses are kept; the
 * service's message is not (some S3 implementations echo the string to sign).
 */

/** The kinds of S3 failure the adapter tells apart. */
export type S3FailureKind =
  | 'invalid'
  | 'expired'
  | 'denied'
  | 'region'
  | 'no-bucket'
  | 'not-found'
  | 'unreachable'
  | 'other';

/** A classified failure. */
export interface S3Failure {
  readonly kind: S3FailureKind;
  /** The S3 error code (`AccessDenied`, …) or the network error code. */
  readonly code: string;
  readonly status?: number;
  /** The region or endpoint the service pointed to, when it said. */
  readonly hint?: string;
}

const INVALID = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'InvalidClientTokenId',
  'InvalidSecurity',
]);
const EXPIRED = new Set(['ExpiredToken', 'TokenRefreshRequired', 'RequestExpired']);
const REGION = new Set([
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'IllegalLocationConstraintException',
  'InvalidRegion',
  'Redirect',
  'TemporaryRedirect',
]);
const NETWORK = /^(E[A-Z]+|TimeoutError|AbortError|RequestTimeout|UND_ERR_\w+)$/;

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

function kindOf(code: string, status: number | undefined): S3FailureKind {
  if (INVALID.has(code)) return 'invalid';
  if (EXPIRED.has(code)) return 'expired';
  if (REGION.has(code) || status === 301 || status === 307) return 'region';
  if (code === 'NoSuchBucket') return 'no-bucket';
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) return 'not-found';
  if (code === 'AccessDenied' || code === 'AllAccessDisabled' || status === 403) return 'denied';
  if (NETWORK.test(code) || (status !== undefined && status >= 500)) return 'unreachable';
  return 'other';
}

/** Classifies an error thrown by an S3 client call. */
export function classifyS3Error(error: unknown): S3Failure {
  if (typeof error !== 'object' || error === null) return { kind: 'other', code: 'Unknown' };
  const metadata = field(error, '$metadata') as { httpStatusCode?: number } | undefined;
  const status = metadata?.httpStatusCode;
  const errno = field(error, 'code');
  const name =
    typeof field(error, 'Code') === 'string'
      ? String(field(error, 'Code'))
      : String(field(error, 'name') ?? 'Unknown');
  const code = status === undefined && typeof errno === 'string' ? errno : name;
  const hintValue = field(error, 'Region') ?? field(error, 'Endpoint');
  return {
    kind: kindOf(code, status),
    code,
    ...(status === undefined ? {} : { status }),
    ...(typeof hintValue === 'string' ? { hint: hintValue } : {}),
  };
}

/** `AccessDenied (HTTP 403)` */
export function describeFailure(failure: S3Failure): string {
  return failure.status === undefined ? failure.code : `${failure.code} (HTTP ${failure.status})`;
}
