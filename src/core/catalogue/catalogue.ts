/**
 * The loaded catalogue and the lookups every other catalogue function goes through, so that an
 * unknown provider, credential type or feature is reported the same way everywhere.
 */
import { CatalogueError } from './catalogue-error.ts';
import { type FeatureId, isFeatureId } from './features.ts';
import type { CredentialType, Provider, ScopeSet } from './schema.ts';

/** A validated catalogue: every provider file, keyed by provider id. */
export interface Catalogue {
  readonly providers: Readonly<Record<string, Provider>>;
}

/** The provider with this id, or a `unknown_provider` error. */
export function getProvider(catalogue: Catalogue, providerId: string): Provider {
  const provider = Object.hasOwn(catalogue.providers, providerId)
    ? catalogue.providers[providerId]
    : undefined;
  if (provider === undefined) {
    throw new CatalogueError('unknown_provider', [
      { file: '', path: 'provider', message: `Unknown provider "${providerId}".` },
    ]);
  }
  return provider;
}

/** The credential type of a provider, or a `unknown_credential_type` error. */
export function getCredentialType(provider: Provider, credentialTypeId: string): CredentialType {
  const type = Object.hasOwn(provider.credentialTypes, credentialTypeId)
    ? provider.credentialTypes[credentialTypeId]
    : undefined;
  if (type === undefined) {
    const known = Object.keys(provider.credentialTypes).join(', ');
    throw new CatalogueError('unknown_credential_type', [
      {
        file: '',
        path: 'credentialType',
        message: `Provider "${provider.id}" has no credential type "${credentialTypeId}" (known: ${known}).`,
      },
    ]);
  }
  return type;
}

/** The scope set a credential type draws from; an empty set when access comes from roles alone. */
export function scopeSetOf(provider: Provider, type: CredentialType): ScopeSet {
  const set = type.scopeSet === undefined ? undefined : provider.scopeSets[type.scopeSet];
  return set ?? { name: 'none', source: provider.docs, scopes: {} };
}

/** Checks that every feature id is known and offered by the provider; returns them deduplicated. */
export function checkFeatures(provider: Provider, features: readonly string[]): FeatureId[] {
  const unknown = features.filter((id) => !isFeatureId(id) || !Object.hasOwn(provider.features, id));
  if (unknown.length > 0) {
    const known = Object.keys(provider.features).join(', ');
    throw new CatalogueError(
      'unknown_feature',
      unknown.map((id) => ({
        file: '',
        path: 'features',
        message: `Provider "${provider.id}" has no feature "${id}" (known: ${known}).`,
      })),
    );
  }
  return [...new Set(features)] as FeatureId[];
}
