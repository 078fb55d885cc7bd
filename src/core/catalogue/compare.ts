/**
 * Comparison of a credential's granted scopes with what its enabled features need: per feature
 * satisfied or missing (with what would satisfy it), the scopes to add, the granted scopes no
 * feature needs (excess), those broader than needed, and those the catalogue does not know.
 */
import { type Catalogue, checkFeatures, getCredentialType, getProvider, scopeSetOf } from './catalogue.ts';
import { expandScopes, redundantScopes } from './expand-scopes.ts';
import type { FeatureId } from './features.ts';
import { requirementClauses, supportedRequirements } from './least-privilege.ts';
import { isUnsupported, type RoleRequirement, type ScopeSet } from './schema.ts';
import { clauseHeld, type ScopeClause, solveClauses } from './solve.ts';

/** The question: does a credential with these scopes serve these features? */
export interface CompareRequest {
  readonly provider: string;
  readonly credentialType: string;
  readonly features: readonly string[];
  /** The scopes read from the live credential, spelled as the provider spells them. */
  readonly grantedScopes: readonly string[];
}

/** The verdict for one feature. */
export type FeatureVerdict =
  | {
      readonly feature: FeatureId;
      readonly status: 'satisfied';
      readonly role?: RoleRequirement;
    }
  | {
      readonly feature: FeatureId;
      readonly status: 'missing';
      /** The clauses not held: any one scope of each would do. */
      readonly missing: readonly { readonly anyOf: readonly string[] }[];
      readonly why: string;
      readonly role?: RoleRequirement;
    }
  | { readonly feature: FeatureId; readonly status: 'unsupported'; readonly reason: string };

/** The comparison. */
export interface CompareResult {
  readonly provider: string;
  readonly credentialType: string;
  /** Every supported feature is satisfied (unsupported features count as not satisfied). */
  readonly ok: boolean;
  readonly features: readonly FeatureVerdict[];
  /** The granted scopes expanded through implications and always-granted scopes, sorted. */
  readonly effectiveScopes: readonly string[];
  /** The fewest scopes to add so that every supported feature is satisfied. */
  readonly toAdd: readonly string[];
  /** Granted scopes that no enabled feature needs. */
  readonly excess: readonly string[];
  /** Granted scopes that are needed but broader than needed, with what would be enough instead. */
  readonly broader: readonly { readonly scope: string; readonly enough: readonly string[] }[];
  /** Granted scopes that another granted scope already implies. */
  readonly redundant: readonly string[];
  /** Granted scopes the catalogue does not know for this credential type. */
  readonly unknown: readonly string[];
}

/** Compares granted scopes with the features' needs; throws a {@link CatalogueError} for unknown ids. */
export function compare(catalogue: Catalogue, request: CompareRequest): CompareResult {
  const provider = getProvider(catalogue, request.provider);
  const type = getCredentialType(provider, request.credentialType);
  const features = checkFeatures(provider, request.features);
  const set = scopeSetOf(provider, type);
  const granted = [
    ...new Set(request.grantedScopes.map((scope) => scope.trim()).filter((s) => s !== '')),
  ].sort();
  const known = granted.filter((scope) => Object.hasOwn(set.scopes, scope));
  const effective = expandScopes(set, [...known, ...(set.alwaysGranted ?? [])]);
  const held = new Set(effective);
  const supported = supportedRequirements(provider, request.credentialType, features);
  const verdicts = features.map((feature): FeatureVerdict => {
    const requirement = provider.features[feature]?.credentials[request.credentialType];
    if (requirement === undefined) throw new Error(`No requirement for ${feature}.`); // excluded by the loader
    if (isUnsupported(requirement))
      return { feature, status: 'unsupported', reason: requirement.unsupported };
    const role = requirement.role === undefined ? {} : { role: requirement.role };
    const open = requirementClauses(requirement).filter((clause) => !clauseHeld(held, clause));
    if (open.length === 0) return { feature, status: 'satisfied', ...role };
    return {
      feature,
      status: 'missing',
      missing: open.map((anyOf) => ({ anyOf })),
      why: requirement.why,
      ...role,
    };
  });
  const clauses = supported.flatMap(({ requirement }) => requirementClauses(requirement));
  const openClauses = clauses.filter((clause) => !clauseHeld(held, clause));
  return {
    provider: provider.id,
    credentialType: request.credentialType,
    ok: verdicts.every((verdict) => verdict.status === 'satisfied'),
    features: verdicts,
    effectiveScopes: effective,
    toAdd: solveClauses(set, openClauses),
    excess: known.filter((scope) => hitClauses(set, scope, clauses).length === 0),
    broader: broaderScopes(set, known, clauses),
    redundant: redundantScopes(set, known),
    unknown: granted.filter((scope) => !Object.hasOwn(set.scopes, scope)),
  };
}

function hitClauses(set: ScopeSet, scope: string, clauses: readonly ScopeClause[]): ScopeClause[] {
  const reach = new Set(expandScopes(set, [scope]));
  return clauses.filter((clause) => clauseHeld(reach, clause));
}

/** Needed scopes for which a narrower choice (fewer implied scopes) would serve the same clauses. */
function broaderScopes(set: ScopeSet, granted: readonly string[], clauses: readonly ScopeClause[]) {
  return granted.flatMap((scope) => {
    const hit = hitClauses(set, scope, clauses);
    if (hit.length === 0) return [];
    const enough = solveClauses(set, hit);
    const narrower = expandScopes(set, enough).length < expandScopes(set, [scope]).length;
    return narrower && !enough.includes(scope) ? [{ scope, enough }] : [];
  });
}
