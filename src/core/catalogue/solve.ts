/**
 * The least-privilege solver: given AND-of-OR clauses over a scope set, the smallest set of scopes
 * that satisfies every clause, preferring (among sets of equal size) the one that implies the
 * fewest scopes, then the alphabetically first. Candidates are only the scopes the clauses name,
 * so the answer never reaches for a broader scope than the catalogue offers.
 */
import { expandScopes } from './expand-scopes.ts';
import type { ScopeSet } from './schema.ts';

/** One clause: any one of these scopes (after implication) satisfies it. */
export type ScopeClause = readonly string[];

/** True when the held scopes (expanded through implications) satisfy the clause. */
export function clauseHeld(expandedHeld: ReadonlySet<string>, clause: ScopeClause): boolean {
  return clause.some((scope) => expandedHeld.has(scope));
}

/** The minimal scope set satisfying every clause, sorted. An empty clause can never be satisfied. */
export function solveClauses(set: ScopeSet, clauses: readonly ScopeClause[]): string[] {
  if (clauses.some((clause) => clause.length === 0))
    throw new Error('A clause with no alternatives cannot be satisfied.');
  const candidates = [...new Set(clauses.flat())].sort();
  const reach = new Map(candidates.map((scope) => [scope, new Set(expandScopes(set, [scope]))]));
  let best: { scopes: string[]; cost: number } | undefined;

  const search = (chosen: string[], held: ReadonlySet<string>): void => {
    const open = clauses.find((clause) => !clauseHeld(held, clause));
    if (open === undefined) {
      const cost = held.size;
      if (best === undefined || isBetter(chosen, cost, best)) best = { scopes: [...chosen].sort(), cost };
      return;
    }
    if (best !== undefined && chosen.length + 1 > best.scopes.length) return;
    for (const scope of candidates) {
      const scopeReach = reach.get(scope) ?? new Set<string>();
      if (!open.some((alternative) => scopeReach.has(alternative))) continue;
      search([...chosen, scope], new Set([...held, ...scopeReach]));
    }
  };
  search([], new Set());
  return best?.scopes ?? [];
}

function isBetter(
  chosen: readonly string[],
  cost: number,
  best: { scopes: string[]; cost: number },
): boolean {
  if (chosen.length !== best.scopes.length) return chosen.length < best.scopes.length;
  if (cost !== best.cost) return cost < best.cost;
  return [...chosen].sort().join('\u0000') < best.scopes.join('\u0000');
}
