/**
 * Classifies what an AWS SDK call threw. Only the code and the status are kept: AWS messages name
 * ARNs (fine) but EC2 adds an encoded authorization message that is of no use in a finding.
 */

/** The kinds of AWS answer the adapter tells apart. */
export type AwsFailureKind =
  | 'invalid'
  | 'expired'
  | 'denied'
  | 'dry-run-ok'
  | 'rate-limited'
  | 'unreachable'
  | 'other';

/** A classified failure. */
export interface AwsFailure {
  readonly kind: AwsFailureKind;
  readonly code: string;
  readonly status?: number;
}

const KINDS: Readonly<Record<string, AwsFailureKind>> = {
  InvalidClientTokenId: 'invalid',
  SignatureDoesNotMatch: 'invalid',
  AuthFailure: 'invalid',
  IncompleteSignature: 'invalid',
  MissingAuthenticationToken: 'invalid',
  UnrecognizedClientException: 'invalid',
  ExpiredToken: 'expired',
  ExpiredTokenException: 'expired',
  RequestExpired: 'expired',
  AccessDenied: 'denied',
  AccessDeniedException: 'denied',
  UnauthorizedOperation: 'denied',
  DryRunOperation: 'dry-run-ok',
  Throttling: 'rate-limited',
  ThrottlingException: 'rate-limited',
  RequestLimitExceeded: 'rate-limited',
};

/** Classifies an error thrown by an AWS SDK v3 client call. */
export function classifyAwsError(error: unknown): AwsFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'other', code: 'Unknown' };
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const code = status === undefined && typeof e.code === 'string' ? e.code : String(e.name ?? 'Unknown');
  const known = KINDS[code];
  if (known !== undefined) return { kind: known, code, ...(status === undefined ? {} : { status }) };
  const network = status === undefined || status >= 500 || /^(E[A-Z]+|TimeoutError|AbortError)$/.test(code);
  return { kind: network ? 'unreachable' : 'other', code, ...(status === undefined ? {} : { status }) };
}

/** `AccessDenied (HTTP 403)` */
export function describeAwsFailure(failure: AwsFailure): string {
  return failure.status === undefined ? failure.code : `${failure.code} (HTTP ${failure.status})`;
}
