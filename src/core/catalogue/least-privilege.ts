/**
 * Least privilege: for a provider, a credential type and a choice of features, the smallest set of
 * scopes that serves them all, why each scope is there, the roles needed on top, the features the
 * credential type cannot serve, and a prefilled token-creation link where the host has one.
 */
import { type Catalogue, checkFeatures, getCredentialType, getProvider, scopeSetOf } from './catalogue.ts';
import { expandScopes } from './expand-scopes.ts';
import type { FeatureId } from './features.ts';
import {
  clauseScopes,
  isUnsupported,
  type Provider,
  type RoleRequirement,
  type SupportedRequirement,
} from './schema.ts';
import { type ScopeClause, solveClauses } from './solve.ts';
import { tokenCreationUrl } from './token-link.ts';

/** The question: which scopes does this credential type need for these features? */
export interface LeastPrivilegeRequest {
  readonly provider: string;
  readonly credentialType: string;
  readonly features: readonly string[];
  /** Host for the token-creation link; the provider's default host when absent (else `{host}` stays). */
  readonly host?: string;
  /** Token name to prefill in the link; `Keyhouse` when absent. */
  readonly tokenName?: string;
}

/** One feature's use of a scope: the feature and the catalogue's sentence saying why. */
export interface ScopeUse {
  readonly feature: FeatureId;
  readonly why: string;
}

/** A scope of the answer with the features that need it. */
export interface ScopeReason {
  readonly scope: string;
  readonly description: string;
  readonly source: string;
  readonly neededBy: readonly ScopeUse[];
}

/** The answer. */
export interface LeastPrivilegeResult {
  readonly provider: string;
  readonly credentialType: string;
  readonly features: readonly FeatureId[];
  /** The minimal scopes, sorted, each with its reasons. */
  readonly scopes: readonly ScopeReason[];
  /** Roles (access levels) the credential's user or bot needs, per feature. */
  readonly roles: readonly { readonly feature: FeatureId; readonly role: RoleRequirement }[];
  /** Requested features this credential type cannot serve, with the reason. */
  readonly unsupported: readonly { readonly feature: FeatureId; readonly reason: string }[];
  /** The prefilled creation link, when the credential type has one. */
  readonly tokenCreationUrl?: string;
}

/** The clauses of one supported requirement, as scope lists. */
export function requirementClauses(requirement: SupportedRequirement): ScopeClause[] {
  return requirement.allOf.map((clause) => clauseScopes(clause));
}

/** Solves the least-privilege question; throws a {@link CatalogueError} for unknown ids. */
export function leastPrivilege(catalogue: Catalogue, request: LeastPrivilegeRequest): LeastPrivilegeResult {
  const provider = getProvider(catalogue, request.provider);
  const type = getCredentialType(provider, request.credentialType);
  const features = checkFeatures(provider, request.features);
  const set = scopeSetOf(provider, type);
  const supported = supportedRequirements(provider, request.credentialType, features);
  const chosen = solveClauses(
    set,
    supported.flatMap(({ requirement }) => requirementClauses(requirement)),
  );
  const scopes = chosen.map((scope): ScopeReason => {
    const reach = expandScopes(set, [scope]);
    const neededBy = supported
      .filter(({ requirement }) =>
        requirementClauses(requirement).some((clause) =>
          clause.some((alternative) => reach.includes(alternative)),
        ),
      )
      .map(({ feature, requirement }) => ({ feature, why: requirement.why }));
    const entry = set.scopes[scope];
    return { scope, description: entry?.description ?? '', source: entry?.source ?? provider.docs, neededBy };
  });
  const roles = supported.flatMap(({ feature, requirement }) =>
    requirement.role === undefined ? [] : [{ feature, role: requirement.role }],
  );
  const unsupported = features.flatMap((feature) => {
    const requirement = provider.features[feature]?.credentials[request.credentialType];
    return requirement !== undefined && isUnsupported(requirement)
      ? [{ feature, reason: requirement.unsupported }]
      : [];
  });
  const base = {
    provider: provider.id,
    credentialType: request.credentialType,
    features,
    scopes,
    roles,
    unsupported,
  };
  if (type.tokenCreation === undefined || supported.length === 0) return base;
  const link = tokenCreationUrl(type.tokenCreation, withAlwaysGranted(chosen, set.alwaysGranted), {
    host: request.host ?? provider.defaultHost ?? '{host}',
    name: request.tokenName ?? 'Keyhouse',
  });
  return { ...base, tokenCreationUrl: link };
}

/** The supported requirements of a credential type for the features, in feature order. */
export function supportedRequirements(
  provider: Provider,
  credentialType: string,
  features: readonly FeatureId[],
): { feature: FeatureId; requirement: SupportedRequirement }[] {
  return features.flatMap((feature) => {
    const requirement = provider.features[feature]?.credentials[credentialType];
    return requirement === undefined || isUnsupported(requirement) ? [] : [{ feature, requirement }];
  });
}

function withAlwaysGranted(scopes: readonly string[], always: readonly string[] | undefined): string[] {
  return [...new Set([...scopes, ...(always ?? [])])].sort();
}
