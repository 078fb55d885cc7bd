/**
 * Checks that a schema-valid provider file is also consistent: every scope named exists in the
 * scope set of the credential type that names it, implications form no cycle, every feature is a
 * known feature and states a requirement (or a reason) for every credential type.
 */
import { isFeatureId } from './features.ts';
import { clauseScopes, isUnsupported, type Provider, type ScopeSet } from './schema.ts';

/** A cross-reference issue: a key path inside the provider file and a message. */
export interface CrossReferenceIssue {
  readonly path: string;
  readonly message: string;
}

/** Every cross-reference issue of the provider; an empty list when it is consistent. */
export function crossReferenceIssues(provider: Provider): CrossReferenceIssue[] {
  return [...scopeSetIssues(provider), ...credentialTypeIssues(provider), ...featureIssues(provider)];
}

function scopeSetIssues(provider: Provider): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  for (const [setId, set] of Object.entries(provider.scopeSets)) {
    const users = Object.entries(provider.credentialTypes)
      .filter(([, type]) => type.scopeSet === setId)
      .map(([typeId]) => typeId);
    if (users.length === 0) {
      issues.push({ path: `scopeSets.${setId}`, message: 'No credential type uses this scope set.' });
    }
    for (const [scopeId, scope] of Object.entries(set.scopes)) {
      const at = `scopeSets.${setId}.scopes.${scopeId}`;
      for (const implied of scope.implies ?? []) {
        if (!Object.hasOwn(set.scopes, implied)) {
          issues.push({
            path: `${at}.implies`,
            message: `Implied scope "${implied}" is not in scope set "${setId}".`,
          });
        }
      }
      for (const typeId of scope.availableTo ?? []) {
        if (!users.includes(typeId)) {
          issues.push({
            path: `${at}.availableTo`,
            message: `"${typeId}" is not a credential type of this scope set.`,
          });
        }
      }
    }
    for (const scopeId of set.alwaysGranted ?? []) {
      if (!Object.hasOwn(set.scopes, scopeId)) {
        issues.push({
          path: `scopeSets.${setId}.alwaysGranted`,
          message: `Scope "${scopeId}" is not in this set.`,
        });
      }
    }
    const cycle = findCycle(set);
    if (cycle !== undefined) {
      issues.push({ path: `scopeSets.${setId}.scopes`, message: `Implication cycle: ${cycle.join(' → ')}.` });
    }
  }
  return issues;
}

/** A cycle of implications in the set, as a list of scopes that starts and ends with the same one. */
export function findCycle(set: ScopeSet): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (scopeId: string, trail: string[]): string[] | undefined => {
    if (state.get(scopeId) === 'done') return undefined;
    if (state.get(scopeId) === 'open') return [...trail.slice(trail.indexOf(scopeId)), scopeId];
    state.set(scopeId, 'open');
    for (const implied of set.scopes[scopeId]?.implies ?? []) {
      const cycle = visit(implied, [...trail, scopeId]);
      if (cycle !== undefined) return cycle;
    }
    state.set(scopeId, 'done');
    return undefined;
  };
  for (const scopeId of Object.keys(set.scopes)) {
    const cycle = visit(scopeId, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

function credentialTypeIssues(provider: Provider): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  for (const [typeId, type] of Object.entries(provider.credentialTypes)) {
    if (type.scopeSet !== undefined && !Object.hasOwn(provider.scopeSets, type.scopeSet)) {
      issues.push({
        path: `credentialTypes.${typeId}.scopeSet`,
        message: `Scope set "${type.scopeSet}" is not defined in scopeSets.`,
      });
    }
    if (!type.fields.some((field) => field.secret)) {
      issues.push({
        path: `credentialTypes.${typeId}.fields`,
        message: 'A credential needs at least one secret field.',
      });
    }
  }
  return issues;
}

function featureIssues(provider: Provider): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  for (const [featureId, feature] of Object.entries(provider.features)) {
    const at = `features.${featureId}`;
    if (!isFeatureId(featureId)) issues.push({ path: at, message: `Unknown feature id "${featureId}".` });
    for (const typeId of Object.keys(provider.credentialTypes)) {
      if (!Object.hasOwn(feature.credentials, typeId)) {
        issues.push({
          path: `${at}.credentials`,
          message: `No requirement for credential type "${typeId}".`,
        });
      }
    }
    for (const [typeId, requirement] of Object.entries(feature.credentials)) {
      const type = provider.credentialTypes[typeId];
      const where = `${at}.credentials.${typeId}`;
      if (type === undefined) {
        issues.push({ path: where, message: `"${typeId}" is not a credential type of this provider.` });
        continue;
      }
      if (isUnsupported(requirement)) continue;
      const set = type.scopeSet === undefined ? undefined : provider.scopeSets[type.scopeSet];
      requirement.allOf.forEach((clause, index) => {
        for (const scopeId of clauseScopes(clause)) {
          const scope = set?.scopes[scopeId];
          if (scope === undefined) {
            issues.push({
              path: `${where}.allOf[${index}]`,
              message: `Scope "${scopeId}" is not in the credential type's scope set.`,
            });
          } else if (scope.availableTo !== undefined && !scope.availableTo.includes(typeId)) {
            issues.push({
              path: `${where}.allOf[${index}]`,
              message: `Scope "${scopeId}" is not available to "${typeId}".`,
            });
          }
        }
      });
    }
  }
  return issues;
}
