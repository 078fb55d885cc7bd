/**
 * The benchmark's policy encoded for `@casl/ability`: one ability per user, built from raw rules
 * in precedence order (CASL lets a later rule override an earlier one): `others` by the
 * integration's `others` field, then the user's groups' entries and the user's own entries as
 * allow/forbid pairs per level, then the PROJECT scope as a final forbid. The member cap and the
 * admin floor are applied while writing a user's rules (CASL abilities are per user anyway).
 */
import { createMongoAbility, type MongoAbility, type RawRuleOf, subject } from '@casl/ability';
import { INTEGRATION_ACTION_LEVELS, INTEGRATION_ACTIONS, LEVELS } from '../src/core/policy/index.ts';
import type { StringWorkload } from './keyhouse-engine.ts';
import type { Workspace } from './workspace-generator.ts';

/** How entries become rules: `in` one rule pair per level with `id: { $in: [...] }`, `each` one pair per entry. */
export type CaslEncoding = 'in' | 'each';

type Ability = MongoAbility;
type Rule = RawRuleOf<Ability>;
type Conditions = NonNullable<Rule['conditions']>;

/** What a CASL check sees of an integration. */
interface IntegrationSubject {
  readonly id: string;
  readonly scope: 'WORKSPACE' | 'PROJECT';
  readonly project: string | null;
  readonly others: number;
}

const allowedAt = (rank: number): string[] => [...INTEGRATION_ACTION_LEVELS[LEVELS[rank]!]];
const deniedAt = (rank: number): string[] => {
  const allowed = new Set<string>(INTEGRATION_ACTION_LEVELS[LEVELS[rank]!]);
  return INTEGRATION_ACTIONS.filter((action) => !allowed.has(action));
};

/** The allow/forbid pair making `rank` decide every action on the integrations matching `conditions`. */
function levelRules(rank: number, conditions: Conditions): Rule[] {
  const rules: Rule[] = [];
  const denied = deniedAt(rank);
  const allowed = allowedAt(rank);
  if (denied.length > 0) rules.push({ action: denied, subject: 'Integration', conditions, inverted: true });
  if (allowed.length > 0) rules.push({ action: allowed, subject: 'Integration', conditions });
  return rules;
}

/** Rules for a list `[integration, rank, …]`: lower levels first, so the highest entry wins. */
function entryRules(
  ws: Workspace,
  lists: readonly (readonly number[])[],
  cap: (rank: number) => number,
  encoding: CaslEncoding,
): Rule[] {
  const byLevel: string[][] = [[], [], [], []];
  for (const list of lists)
    for (let k = 0; k < list.length; k += 2) byLevel[list[k + 1]!]!.push(ws.integrationIds[list[k]!]!);
  const rules: Rule[] = [];
  byLevel.forEach((ids, rank) => {
    if (ids.length === 0) return;
    if (encoding === 'in') rules.push(...levelRules(cap(rank), { id: { $in: ids } }));
    else for (const id of ids) rules.push(...levelRules(cap(rank), { id }));
  });
  return rules;
}

/** The raw rules of user `u`, in precedence order (last wins). */
export function caslRules(ws: Workspace, u: number, encoding: CaslEncoding): Rule[] {
  const role = ws.userRole[u]!;
  // A workspace admin: admin floor MANAGE (admins is MANAGE throughout), never capped, sees every project.
  if (role === 2) return [{ action: 'manage', subject: 'all' }];
  const cap = (rank: number): number => (role === 0 && rank === 3 ? 2 : rank);
  const rules: Rule[] = [];
  for (let rank = 1; rank <= 3; rank++) {
    const allowed = allowedAt(cap(rank));
    if (allowed.length > 0)
      rules.push({ action: allowed, subject: 'Integration', conditions: { others: rank } });
  }
  rules.push(
    ...entryRules(
      ws,
      ws.userGroups[u]!.map((g) => ws.groupEntries[g]!),
      cap,
      encoding,
    ),
  );
  rules.push(...entryRules(ws, [ws.userEntries[u]!], cap, encoding));
  const projects = ws.userProjects[u]!.map((p) => ws.projectIds[p]!);
  rules.push({
    action: 'manage',
    subject: 'Integration',
    conditions: { scope: 'PROJECT', project: { $nin: projects } },
    inverted: true,
  });
  return rules;
}

/** The CASL side: abilities of the workload's users and the integrations as CASL subjects. */
export interface CaslEngine {
  readonly abilities: ReadonlyMap<string, Ability>;
  readonly subjects: ReadonlyMap<string, IntegrationSubject>;
  readonly rules: number;
}

/** Builds the abilities of the users `0 … users - 1` and a subject per integration. */
export function buildCasl(ws: Workspace, users: number, encoding: CaslEncoding): CaslEngine {
  const abilities = new Map<string, Ability>();
  let rules = 0;
  for (let u = 0; u < Math.min(users, ws.userIds.length); u++) {
    const raw = caslRules(ws, u, encoding);
    rules += raw.length;
    abilities.set(ws.userIds[u]!, createMongoAbility(raw));
  }
  const subjects = new Map<string, IntegrationSubject>();
  ws.integrationIds.forEach((id, i) => {
    const p = ws.integrationProject[i]!;
    const value: IntegrationSubject = {
      id,
      scope: p < 0 ? 'WORKSPACE' : 'PROJECT',
      project: p < 0 ? null : ws.projectIds[p]!,
      others: ws.integrationOthers[i]!,
    };
    subjects.set(id, subject('Integration', value));
  });
  return { abilities, subjects, rules };
}

/** Whether CASL allows check `k` of the workload. */
export function caslAllows(engine: CaslEngine, w: StringWorkload, k: number): boolean {
  return engine.abilities.get(w.users[k]!)!.can(w.actions[k]!, engine.subjects.get(w.integrations[k]!)!);
}

/** Runner: the user's ability by id, the integration's subject by id, then `can(action, subject)`. */
export function caslRunner(engine: CaslEngine, w: StringWorkload) {
  const n = w.users.length;
  return (start: number, end: number): number => {
    let allowed = 0;
    for (let k = start; k < end; k++) if (caslAllows(engine, w, k % n)) allowed++;
    return allowed;
  };
}
