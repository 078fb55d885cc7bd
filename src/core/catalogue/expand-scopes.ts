/**
 * Scope implication: a granted scope also grants every scope it implies, transitively
 * (GitHub `repo` ⊃ `repo:status`; `admin:org` ⊃ `write:org` ⊃ `read:org`).
 */
import type { ScopeSet } from './schema.ts';

/**
 * The scopes plus everything they imply, sorted. Scopes unknown to the set are kept as they are
 * (they imply nothing). Idempotent and monotonic: expanding twice changes nothing, and a larger
 * input never yields a smaller output.
 */
export function expandScopes(set: ScopeSet, scopes: Iterable<string>): string[] {
  const result = new Set<string>();
  const pending = [...scopes];
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (result.has(scope)) continue;
    result.add(scope);
    const implied = Object.hasOwn(set.scopes, scope) ? set.scopes[scope]?.implies : undefined;
    pending.push(...(implied ?? []));
  }
  return [...result].sort();
}

/** True when holding `scope` grants at least one of `alternatives`. */
export function scopeSatisfies(set: ScopeSet, scope: string, alternatives: readonly string[]): boolean {
  const expanded = expandScopes(set, [scope]);
  return alternatives.some((alternative) => expanded.includes(alternative));
}

/** The scopes of `scopes` that another scope of `scopes` already implies (GitHub drops these). */
export function redundantScopes(set: ScopeSet, scopes: readonly string[]): string[] {
  return scopes.filter((scope) =>
    scopes.some((other) => other !== scope && expandScopes(set, [other]).includes(scope)),
  );
}
