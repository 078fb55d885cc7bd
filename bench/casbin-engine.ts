/**
 * The benchmark's policy encoded for casbin: RBAC with domains (domain = workspace) on the graph
 * role manager. Users link to their groups, projects and role tag; users and groups link to
 * per-integration level roles (`integration-7#user:USE`, `integration-7#group:MANAGE`); actions
 * link to action sets (`acts:USE`). A short table of template policies, checked in order under the
 * `priority` effect (first match decides), states the precedence: admin, PROJECT scope, the user's
 * own entry, the highest group entry, `others` — with the member cap as its own rows.
 */
import { type Adapter, type Enforcer, type Model, newEnforcer, newModelFromString } from 'casbin';
import { INTEGRATION_ACTION_LEVELS, LEVELS } from '../src/core/policy/index.ts';
import type { StringWorkload } from './keyhouse-engine.ts';
import type { Workspace } from './workspace-generator.ts';

const MODEL = `
[request_definition]
r = sub, dom, obj, proj, others, act

[policy_definition]
p = kind, role, acts, eft

[role_definition]
g = _, _, _
g2 = _, _

[policy_effect]
e = priority(p.eft) || deny

[matchers]
m = (p.acts == '*' || g2(r.act, p.acts)) && ((p.kind == 'entry' && g(r.sub, r.obj + p.role, r.dom)) || (p.kind == 'others' && r.others == p.role) || (p.kind == 'tag' && g(r.sub, p.role, r.dom)) || (p.kind == 'scope' && r.proj != '' && !g(r.sub, r.proj, r.dom)) || (p.kind == 'entry-capped' && g(r.sub, r.obj + p.role, r.dom) && g(r.sub, 'tag:member', r.dom)) || (p.kind == 'others-capped' && r.others == p.role && g(r.sub, 'tag:member', r.dom)))
`;

const HIGH_FIRST = [...LEVELS].reverse();

/** The template policies in precedence order: the first row that matches a request decides it. */
export function casbinPolicies(): string[][] {
  const rows: string[][] = [
    ['tag', 'tag:admin', '*', 'allow'],
    ['scope', '-', '*', 'deny'],
  ];
  for (const [kind, prefix] of [
    ['entry', '#user:'],
    ['entry', '#group:'],
    ['others', ''],
  ] as const) {
    for (const level of HIGH_FIRST) {
      const role = prefix + level;
      if (level === 'MANAGE')
        rows.push([`${kind}-capped`, role, 'acts:USE', 'allow'], [`${kind}-capped`, role, '*', 'deny']);
      if (INTEGRATION_ACTION_LEVELS[level].length > 0) rows.push([kind, role, `acts:${level}`, 'allow']);
      rows.push([kind, role, '*', 'deny']);
    }
  }
  return rows;
}

/** The grouping links: memberships, role tags, projects, entries (`g`) and action sets (`g2`). */
export function casbinLinks(ws: Workspace): { g: string[][]; g2: string[][] } {
  const dom = ws.workspaceId;
  const g: string[][] = [];
  ws.userIds.forEach((user, u) => {
    const role = ws.userRole[u]!;
    if (role !== 1) g.push([user, role === 2 ? 'tag:admin' : 'tag:member', dom]);
    for (const p of ws.userProjects[u]!) g.push([user, `proj:${ws.projectIds[p]!}`, dom]);
    for (const group of ws.userGroups[u]!) g.push([user, ws.groupIds[group]!, dom]);
    const own = ws.userEntries[u]!;
    for (let k = 0; k < own.length; k += 2)
      g.push([user, `${ws.integrationIds[own[k]!]!}#user:${LEVELS[own[k + 1]!]!}`, dom]);
  });
  ws.groupEntries.forEach((list, group) => {
    for (let k = 0; k < list.length; k += 2)
      g.push([ws.groupIds[group]!, `${ws.integrationIds[list[k]!]!}#group:${LEVELS[list[k + 1]!]!}`, dom]);
  });
  const g2 = LEVELS.flatMap((level) =>
    INTEGRATION_ACTION_LEVELS[level].map((action) => [action, `acts:${level}`]),
  );
  return { g, g2 };
}

/** An adapter handing casbin prepared rows (what a CSV adapter does after parsing, without the parsing). */
class RowsAdapter implements Adapter {
  private readonly rows: ReadonlyMap<string, string[][]>;
  constructor(rows: ReadonlyMap<string, string[][]>) {
    this.rows = rows;
  }
  async loadPolicy(model: Model): Promise<void> {
    for (const [ptype, list] of this.rows) {
      const assertion = model.model.get(ptype.charAt(0))?.get(ptype);
      if (assertion !== undefined) for (const row of list) assertion.policy.push(row);
    }
  }
  async savePolicy(): Promise<boolean> {
    return false;
  }
  async addPolicy(): Promise<void> {}
  async removePolicy(): Promise<void> {}
  async removeFilteredPolicy(): Promise<void> {}
}

/** The casbin side: the enforcer and each integration's request attributes. */
export interface CasbinEngine {
  readonly enforcer: Enforcer;
  /** Per integration id: `[project role or '', others level]`. */
  readonly attributes: ReadonlyMap<string, readonly [string, string]>;
  readonly links: number;
}

/** Builds the enforcer (model, template policies, every link) for the whole workspace. */
export async function buildCasbin(ws: Workspace): Promise<CasbinEngine> {
  const { g, g2 } = casbinLinks(ws);
  const rows = new Map([
    ['p', casbinPolicies()],
    ['g', g],
    ['g2', g2],
  ]);
  const enforcer = await newEnforcer(newModelFromString(MODEL), new RowsAdapter(rows));
  const attributes = new Map<string, readonly [string, string]>();
  ws.integrationIds.forEach((id, i) => {
    const p = ws.integrationProject[i]!;
    attributes.set(id, [p < 0 ? '' : `proj:${ws.projectIds[p]!}`, LEVELS[ws.integrationOthers[i]!]!]);
  });
  return { enforcer, attributes, links: g.length + g2.length };
}

/** Whether casbin allows check `k` of the workload. */
export function casbinAllows(
  engine: CasbinEngine,
  w: StringWorkload,
  k: number,
  workspaceId: string,
): boolean {
  const integration = w.integrations[k]!;
  const [project, others] = engine.attributes.get(integration)!;
  return engine.enforcer.enforceSync(w.users[k]!, workspaceId, integration, project, others, w.actions[k]!);
}

/** Runner: the integration's attributes by id, then `enforceSync`. */
export function casbinRunner(engine: CasbinEngine, w: StringWorkload, workspaceId: string) {
  const n = w.users.length;
  return (start: number, end: number): number => {
    let allowed = 0;
    for (let k = start; k < end; k++) if (casbinAllows(engine, w, k % n, workspaceId)) allowed++;
    return allowed;
  };
}
