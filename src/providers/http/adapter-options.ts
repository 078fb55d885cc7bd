/**
 * Options every HTTP-based adapter factory takes: where the catalogue comes from (for minimal
 * scopes and roles), HTTP client settings (timeouts, retries, a test clock or sleep) and the
 * expiry warning window.
 */
import type { Catalogue } from '../../core/catalogue/index.ts';
import { readCatalogue } from '../../services/catalogue-loader.ts';
import type { HttpClientOptions } from './http-client.ts';

/** A catalogue, or a function that loads one. */
export type CatalogueSource = Catalogue | (() => Promise<Catalogue>);

/** Options of the `create…Adapter` factories. */
export interface HttpAdapterOptions {
  /** Default: the repository's catalogue folder, read once. */
  readonly catalogue?: CatalogueSource;
  /** Client settings; base URL, headers and signal come from the verification itself. */
  readonly http?: Omit<HttpClientOptions, 'baseUrl' | 'headers' | 'signal'>;
  /** Days before expiry reported as `credential_expiring` (default 14). */
  readonly expiryWarningDays?: number;
}

let defaultCatalogue: Promise<Catalogue> | undefined;

/** The catalogue from the source, or the repository's catalogue read once per process. */
export function resolveCatalogue(source: CatalogueSource | undefined): Promise<Catalogue> {
  if (source === undefined) {
    defaultCatalogue ??= readCatalogue();
    return defaultCatalogue;
  }
  return typeof source === 'function' ? source() : Promise.resolve(source);
}
