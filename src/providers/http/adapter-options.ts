/**
 * Options every HTTP-based adapter factory takes: HTTP client settings (timeouts, retries, a test
 * clock or sleep) and the expiry warning window. The catalogue comes with each verification
 * (`VerifyInput.catalogue`).
 */
import type { HttpClientOptions } from './http-client.ts';

/** Options of the `create…Adapter` factories. */
export interface HttpAdapterOptions {
  /** Client settings; base URL, headers and signal come from the verification itself. */
  readonly http?: Omit<HttpClientOptions, 'baseUrl' | 'headers' | 'signal'>;
  /** Days before expiry reported as `credential_expiring` (default 14). */
  readonly expiryWarningDays?: number;
}
