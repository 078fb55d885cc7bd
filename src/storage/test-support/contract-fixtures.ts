/**
 * Test support for the store contract suite: a seeded workspace, permission sets, and the
 * tampering an attacker with database access would do to the audit log.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { IntegrationPermissions } from '../../core/policy/types.ts';
import type { PermissionSet } from '../integration-permissions.ts';
import type { Store } from '../store.ts';
import type { Group, Integration, Pipeline, Project, User, Workspace } from '../types.ts';

/** Default-shaped permissions with optional overrides. */
export function permissions(overrides: Partial<IntegrationPermissions> = {}): IntegrationPermissions {
  return { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users: [], groups: [], ...overrides };
}

/** A complete permission set with allowed pipelines ALL unless given. */
export function permissionSet(
  overrides: Partial<IntegrationPermissions> = {},
  allowedPipelines: PermissionSet['allowedPipelines'] = 'ALL',
): PermissionSet {
  return { permissions: permissions(overrides), allowedPipelines };
}

/** What `seedWorkspace` creates. */
export interface Seeded {
  readonly workspace: Workspace;
  readonly admin: User;
  readonly member: User;
  readonly project: Project;
  readonly pipeline: Pipeline;
  readonly group: Group;
  readonly integration: Integration;
}

/** A workspace with an admin, a member, a project, a pipeline, a group and one integration. */
export async function seedWorkspace(store: Store, label: string): Promise<Seeded> {
  const tag = randomBytes(4).toString('hex');
  const workspace = await store.createWorkspace({ name: `${label}-${tag}` });
  const admin = await store.createUser({ login: `${label}-admin-${tag}`, displayName: 'Admin', email: null });
  const member = await store.createUser({ login: `${label}-member-${tag}` });
  await store.setMembership({
    workspaceId: workspace.id,
    userId: admin.id,
    role: 'admin',
    roleSource: { kind: 'manual' },
  });
  await store.setMembership({
    workspaceId: workspace.id,
    userId: member.id,
    role: 'member',
    roleSource: { kind: 'scm', host: 'github.com', scmRole: 'member', syncedAt: 1_700_000_000_000 },
  });
  const project = await store.createProject({
    workspaceId: workspace.id,
    name: 'api',
    repository: { host: 'github.com', fullName: `acme/${tag}` },
  });
  const pipeline = await store.createPipeline({
    workspaceId: workspace.id,
    projectId: project.id,
    name: 'build',
  });
  const group = await store.createGroup({ workspaceId: workspace.id, name: 'devs' });
  await store.addGroupMember(workspace.id, group.id, member.id);
  const integration = await store.createIntegration({
    workspaceId: workspace.id,
    scope: { type: 'WORKSPACE' },
    provider: 'github',
    credentialType: 'classic-pat',
    name: 'GitHub',
    config: { host: 'github.com' },
    createdBy: admin.id,
    ...permissionSet({ users: [{ id: admin.id, level: 'MANAGE' }] }),
  });
  return { workspace, admin, member, project, pipeline, group, integration };
}

/**
 * Runs `fn` with the database's append-only guard on audit_events lifted, as an attacker with
 * owner access could; the guard is restored afterwards.
 */
export async function withoutAuditGuard(store: Store, fn: () => Promise<void>): Promise<void> {
  if (store.kind === 'postgres') {
    await sql`alter table audit_events disable trigger user`.execute(store.db);
    try {
      await fn();
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(store.db);
    }
    return;
  }
  const triggers = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_events'`.execute(store.db);
  await sql`drop trigger audit_events_no_update`.execute(store.db);
  await sql`drop trigger audit_events_no_delete`.execute(store.db);
  try {
    await fn();
  } finally {
    for (const t of triggers.rows) await sql.raw(t.sql).execute(store.db);
  }
}
