/**
 * Checks an integration's non-secret config against an adapter's compiled schema and names the
 * key at fault, so a bad config is reported as a finding rather than a crash.
 */
import type { Finding } from '../types.ts';

/** A validated config, or the findings naming the key at fault. */
export type ConfigRead<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

/** The part of a compiled TypeBox validator this needs. */
export interface ConfigValidator<T> {
  Check(value: unknown): value is T;
  Errors(value: unknown): Iterable<{ readonly instancePath: string; readonly message: string }>;
}

/** The typed config, or the `config_invalid` findings naming each key at fault. */
export function checkConfig<T>(
  validator: ConfigValidator<T>,
  config: unknown,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly findings: Finding[] } {
  if (validator.Check(config)) return { ok: true, value: config };
  const messages = new Set<string>();
  for (const error of validator.Errors(config)) {
    const key = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(config)';
    messages.add(`${key}: ${error.message}`);
  }
  return {
    ok: false,
    findings: [...messages].map((message) => ({
      code: 'config_invalid',
      severity: 'error' as const,
      message: `The integration's configuration is not usable: ${message}.`,
      fix: 'Correct this configuration key of the integration.',
    })),
  };
}

/** The `credential_invalid` finding for a credential field that is absent or empty. */
export function missingCredentialField(field: string): Finding {
  return {
    code: 'credential_invalid',
    severity: 'error',
    message: `The stored credential has no "${field}" field.`,
    fix: `Store the credential again with its "${field}".`,
    check: 'token-valid',
  };
}

/** The part of a config that names its host. */
export interface HostConfig {
  readonly apiBaseUrl?: string | undefined;
  readonly hostUrl?: string | undefined;
}

/**
 * {@link checkConfig} for a host with no default: the config with its API base, `apiBaseUrl`, else
 * `hostUrl` with `apiPath` appended, without a trailing slash; a `config_invalid` finding naming
 * `hostUrl` when neither is set.
 */
export function checkHostConfig<T extends HostConfig>(
  validator: ConfigValidator<T>,
  config: unknown,
  apiPath: string,
  hostName: string,
): ConfigRead<T & { readonly apiBaseUrl: string }> {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const value = checked.value;
  const { apiBaseUrl, hostUrl } = value;
  const base = apiBaseUrl ?? (hostUrl === undefined ? undefined : `${hostUrl.replace(/\/+$/, '')}${apiPath}`);
  if (base === undefined) {
    const message = `The integration's configuration is not usable: hostUrl: ${hostName} has no default host.`;
    return {
      ok: false,
      findings: [{ code: 'config_invalid', severity: 'error', message, fix: 'Set hostUrl (or apiBaseUrl).' }],
    };
  }
  return { ok: true, value: { ...value, apiBaseUrl: base.replace(/\/+$/, '') } };
}
