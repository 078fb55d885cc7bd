/**
 * Everything the policy engine needs to build its in-memory index, read in one consistent
 * transaction together with the change-log revision it reflects.
 */
import type { Kysely, Transaction } from 'kysely';
import type { PolicyIntegration, PolicyMember, PolicyPipeline, Role } from '../core/policy/types.ts';
import type { RepoContext } from './context.ts';
import { readIntegrations } from './integrations.ts';
import type { Database } from './schema.ts';
import { toMembership } from './users.ts';

/** A group as the policy engine sees it. */
export interface PolicyGroup {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly memberIds: readonly string[];
}

/** A project as the policy engine sees it. */
export interface PolicyProject {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
}

/** The policy data of every workspace (or one), at `revision`. */
export interface PolicySnapshot {
  /** The change-log revision this snapshot includes; catch up with `changesSince(revision)`. */
  readonly revision: number;
  readonly workspaceIds: readonly string[];
  readonly members: readonly PolicyMember[];
  readonly groups: readonly PolicyGroup[];
  readonly projects: readonly PolicyProject[];
  readonly pipelines: readonly PolicyPipeline[];
  readonly integrations: readonly PolicyIntegration[];
}

async function readMembers(db: Kysely<Database>, workspaceId: string | undefined): Promise<PolicyMember[]> {
  let memberships = db.selectFrom('memberships').selectAll();
  let projectRoles = db.selectFrom('project_roles').selectAll();
  if (workspaceId !== undefined) {
    memberships = memberships.where('workspace_id', '=', workspaceId);
    projectRoles = projectRoles.where('workspace_id', '=', workspaceId);
  }
  const roles = new Map<string, Record<string, Role>>();
  for (const r of await projectRoles.execute()) {
    const key = `${r.workspace_id}\u0000${r.user_id}`;
    const map = roles.get(key) ?? roles.set(key, {}).get(key)!;
    map[r.project_id] = r.role as Role;
  }
  return (await memberships.orderBy('workspace_id').orderBy('user_id').execute()).map((row) => {
    const m = toMembership(row);
    const projectRolesOf = roles.get(`${m.workspaceId}\u0000${m.userId}`);
    return {
      userId: m.userId,
      workspaceId: m.workspaceId,
      role: m.role,
      roleSource: m.roleSource,
      ...(projectRolesOf === undefined ? {} : { projectRoles: projectRolesOf }),
    };
  });
}

async function readGroups(db: Kysely<Database>, workspaceId: string | undefined): Promise<PolicyGroup[]> {
  let groups = db.selectFrom('groups').select(['id', 'workspace_id', 'name']);
  let members = db.selectFrom('group_members').select(['group_id', 'user_id']);
  if (workspaceId !== undefined) {
    groups = groups.where('workspace_id', '=', workspaceId);
    members = members.where('workspace_id', '=', workspaceId);
  }
  const byGroup = new Map<string, string[]>();
  for (const m of await members.orderBy('user_id').execute()) {
    (byGroup.get(m.group_id) ?? byGroup.set(m.group_id, []).get(m.group_id)!).push(m.user_id);
  }
  return (await groups.orderBy('id').execute()).map((g) => ({
    id: g.id,
    workspaceId: g.workspace_id,
    name: g.name,
    memberIds: byGroup.get(g.id) ?? [],
  }));
}

async function readSnapshot(
  trx: Transaction<Database>,
  workspaceId: string | undefined,
): Promise<PolicySnapshot> {
  const revision = await trx
    .selectFrom('changes')
    .select((eb) => eb.fn.max('revision').as('revision'))
    .executeTakeFirst();
  let workspaces = trx.selectFrom('workspaces').select('id');
  let projects = trx.selectFrom('projects').select(['id', 'workspace_id', 'name']);
  let pipelines = trx.selectFrom('pipelines').select(['id', 'workspace_id', 'project_id', 'name']);
  if (workspaceId !== undefined) {
    workspaces = workspaces.where('id', '=', workspaceId);
    projects = projects.where('workspace_id', '=', workspaceId);
    pipelines = pipelines.where('workspace_id', '=', workspaceId);
  }
  const integrations = await readIntegrations(trx, workspaceId === undefined ? {} : { workspaceId });
  return {
    revision: Number(revision?.revision ?? 0),
    workspaceIds: (await workspaces.orderBy('id').execute()).map((w) => w.id),
    members: await readMembers(trx, workspaceId),
    groups: await readGroups(trx, workspaceId),
    projects: (await projects.orderBy('id').execute()).map((p) => ({
      id: p.id,
      workspaceId: p.workspace_id,
      name: p.name,
    })),
    pipelines: (await pipelines.orderBy('id').execute()).map((p) => ({
      id: p.id,
      workspaceId: p.workspace_id,
      projectId: p.project_id,
      name: p.name,
    })),
    integrations: integrations.map((i) => ({
      id: i.id,
      workspaceId: i.workspaceId,
      name: i.name,
      scope: i.scope,
      ...(i.createdBy === null ? {} : { createdBy: i.createdBy }),
      permissions: i.permissions,
      allowedPipelines: i.allowedPipelines,
    })),
  };
}

/** Snapshot functions bound to a context. */
export function snapshotRepo(ctx: RepoContext) {
  return {
    /**
     * Loads the policy data of every workspace (or only `workspaceId`) in one consistent read
     * (a repeatable-read transaction on PostgreSQL), with the revision it reflects.
     */
    async loadPolicySnapshot(options: { readonly workspaceId?: string } = {}): Promise<PolicySnapshot> {
      if (ctx.trx !== undefined) return readSnapshot(ctx.trx, options.workspaceId);
      const tx =
        ctx.backend.kind === 'postgres'
          ? ctx.db.transaction().setIsolationLevel('repeatable read')
          : ctx.db.transaction();
      return tx.execute((trx) => readSnapshot(trx, options.workspaceId));
    },
  };
}
