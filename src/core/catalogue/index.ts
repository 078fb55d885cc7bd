/**
 * The provider catalogue: what each platform feature needs from each provider and credential type,
 * and the pure functions that answer least-privilege and comparison questions from it.
 */
export { type Catalogue, checkFeatures, getCredentialType, getProvider, scopeSetOf } from './catalogue.ts';
export {
  CatalogueError,
  type CatalogueErrorCode,
  type CatalogueIssue,
  formatIssues,
} from './catalogue-error.ts';
export { type CompareRequest, type CompareResult, compare, type FeatureVerdict } from './compare.ts';
export { type CrossReferenceIssue, crossReferenceIssues, findCycle } from './cross-references.ts';
export { expandScopes, redundantScopes, scopeSatisfies } from './expand-scopes.ts';
export { FEATURE_IDS, FEATURES, type FeatureId, isFeatureId } from './features.ts';
export {
  type LeastPrivilegeRequest,
  type LeastPrivilegeResult,
  leastPrivilege,
  requirementClauses,
  type ScopeReason,
  type ScopeUse,
  supportedRequirements,
} from './least-privilege.ts';
export { type CatalogueFile, loadCatalogue, parseProviderFile, pointerToKeyPath } from './load-catalogue.ts';
export { renderScopesMarkdown } from './render-scopes-markdown.ts';
export * from './schema.ts';
export { clauseHeld, type ScopeClause, solveClauses } from './solve.ts';
export { type TokenLinkOptions, tokenCreationUrl } from './token-link.ts';
