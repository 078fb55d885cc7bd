/**
 * The `scopes` check for credentials whose grants GitHub tells (classic PAT and OAuth token through
 * `X-OAuth-Scopes`, GitHub App through the installation token's `permissions`): the granted list is
 * compared with what the catalogue says each enabled feature needs.
 */
import {
  type Catalogue,
  compare,
  getCredentialType,
  getProvider,
  scopeSetOf,
} from '../../core/catalogue/index.ts';
import { type Report, record } from './github-findings.ts';

/** `{ contents: 'write', metadata: 'read' }` → `['contents:write', 'metadata:read']`, sorted. */
export function permissionsToScopes(permissions: unknown): string[] {
  if (permissions === null || typeof permissions !== 'object') return [];
  return Object.entries(permissions as Record<string, unknown>)
    .filter(([, level]) => typeof level === 'string')
    .map(([name, level]) => `${name}:${String(level)}`)
    .sort();
}

/** Records the `scopes` check and a `scope_missing` finding per feature that lacks a scope. */
export function checkGrantedScopes(
  report: Report,
  catalogue: Catalogue,
  request: {
    provider: string;
    credentialType: string;
    features: readonly string[];
    granted: readonly string[];
  },
): void {
  if (request.features.length === 0) {
    record(report, 'scopes', 'skipped', 'No feature is enabled.');
    return;
  }
  const result = compare(catalogue, {
    provider: request.provider,
    credentialType: request.credentialType,
    features: request.features,
    grantedScopes: request.granted,
  });
  for (const verdict of result.features) {
    if (verdict.status === 'missing') {
      const needs = verdict.missing.map((c) => c.anyOf.join(' or ')).join(', ');
      report.finding(
        'scope_missing',
        'error',
        `Feature ${verdict.feature} needs ${needs}, which the credential does not carry.`,
        `Grant ${needs}. ${verdict.why}`,
        'scopes',
      );
    } else if (verdict.status === 'unsupported') {
      report.finding(
        'feature_unsupported',
        'error',
        `Feature ${verdict.feature}: ${verdict.reason}`,
        undefined,
        'scopes',
      );
    }
  }
  const provider = getProvider(catalogue, request.provider);
  const always = new Set(
    scopeSetOf(provider, getCredentialType(provider, request.credentialType)).alwaysGranted ?? [],
  );
  const excess = result.excess.filter((scope) => !always.has(scope));
  if (excess.length > 0) {
    report.finding(
      'scope_excess',
      'warning',
      `Granted but needed by no enabled feature: ${excess.join(', ')}.`,
      'Create a credential with the least scopes the enabled features need.',
      'scopes',
    );
  }
  if (result.ok) record(report, 'scopes', 'pass', `Granted: ${request.granted.join(', ') || '(none)'}.`);
  else
    record(
      report,
      'scopes',
      'fail',
      `Granted: ${request.granted.join(', ') || '(none)'}.`,
      result.toAdd.length > 0 ? `Add ${result.toAdd.join(', ')}.` : undefined,
    );
}
