/**
 * The opening every HTTP-based adapter shares: an empty report, the config read and the auth
 * headers built, the client created for the host; a bad config ends as `unreachable` with its
 * findings, a credential that cannot be sent as `invalid` (or `unreachable` when the adapter does
 * not verify that credential type). Also the result type of an adapter's auth reader.
 */
import type { Finding, Introspection, VerifyInput } from '../types.ts';
import type { HttpAdapterOptions } from './adapter-options.ts';
import type { ConfigRead } from './config-check.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';
import { createReport, finishReport, type VerificationReport } from './verification-report.ts';

/** The headers that carry the credential, or the finding naming what is missing. */
export type AuthHeaders = { ok: true; headers: Record<string, string> } | { ok: false; finding: Finding };

/** What {@link startVerification} needs from an adapter. */
export interface VerificationStart<T extends { readonly apiBaseUrl: string }> {
  /** Reads the integration's config (`input.config`). */
  readonly readConfig: (config: unknown) => ConfigRead<T>;
  /** Builds the authentication headers from the credential. */
  readonly auth: (input: VerifyInput) => AuthHeaders;
  /** The adapter's client settings. */
  readonly http?: HttpAdapterOptions['http'] | undefined;
  /** A report already holding the adapter's first findings (default: an empty one). */
  readonly report?: VerificationReport | undefined;
}

/** Either the finished introspection (bad config or credential) or what the adapter goes on with. */
export type StartedVerification<T> =
  | { readonly finished: Introspection }
  | {
      readonly finished?: undefined;
      readonly report: VerificationReport;
      readonly client: HttpClient;
      readonly config: T;
    };

/** The base URL of a client whose config was unusable; it is never asked. */
const UNUSED_BASE = 'http://127.0.0.1';

/**
 * Reads the config and credential, creates the client and stops early where the host cannot be
 * asked: a bad config as `unreachable`, a missing credential field as `invalid`, an unsupported
 * credential type (`verification_unsupported`) as `unreachable`.
 */
export function startVerification<T extends { readonly apiBaseUrl: string }>(
  input: VerifyInput,
  start: VerificationStart<T>,
): StartedVerification<T> {
  const report = start.report ?? createReport();
  const config = start.readConfig(input.config);
  const auth = start.auth(input);
  const client = createHttpClient({
    ...start.http,
    baseUrl: config.ok ? config.value.apiBaseUrl : UNUSED_BASE,
    headers: auth.ok ? auth.headers : {},
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  if (!config.ok) {
    for (const finding of config.findings) report.finding(finding);
    return { finished: finishReport(report, { reach: 'unreachable', client }) };
  }
  if (!auth.ok) {
    report.finding(auth.finding);
    const reach = auth.finding.code === 'verification_unsupported' ? 'unreachable' : 'invalid';
    return { finished: finishReport(report, { reach, client }) };
  }
  return { report, client, config: config.value };
}
