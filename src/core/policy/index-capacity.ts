/**
 * Whether a change fits in the index: every user, group, project and integration id it names that
 * the index does not hold yet is counted as one it may add, and the counts must stay within the
 * store's limits. An upper bound (an id named only to be removed counts too), so a change that
 * passes can always be applied, and the service asks before it commits a write instead of
 * failing after. Internal to {@link PolicyIndex}.
 */
import type { PolicyChange } from './changes.ts';
import { liveIntegration } from './index-load.ts';
import { findGroup, findProject } from './index-scopes.ts';
import type { IndexStore } from './index-store.ts';

/** The ids a change may add, per kind (groups and projects keyed by workspace). */
class NewIds {
  readonly users = new Set<string>();
  readonly groups = new Set<string>();
  readonly projects = new Set<string>();
  readonly integrations = new Set<string>();
  private readonly s: IndexStore;

  constructor(s: IndexStore) {
    this.s = s;
  }

  user(id: string): void {
    if (this.s.userKeys.get(id) < 0) this.users.add(id);
  }

  integration(id: string): void {
    if (this.s.integrationKeys.get(id) < 0) this.integrations.add(id);
  }

  /** Group `id` of workspace `workspaceId` (undefined: a workspace not known yet, so new). */
  group(workspaceId: string | undefined, id: string): void {
    const w = workspaceId === undefined ? undefined : this.s.workspaceKeys.get(workspaceId);
    if (w === undefined || findGroup(this.s, w, id) < 0) this.groups.add(`${workspaceId}\u0000${id}`);
  }

  project(workspaceId: string | undefined, id: string): void {
    const w = workspaceId === undefined ? undefined : this.s.workspaceKeys.get(workspaceId);
    if (w === undefined || findProject(this.s, w, id) < 0) this.projects.add(`${workspaceId}\u0000${id}`);
  }

  /**
   * The workspace of integration `id` when the index holds it live; undefined when it does not
   * (a batch may create it before naming it again: its groups and projects then count as new).
   */
  workspaceOf(id: string): string | undefined {
    const i = liveIntegration(this.s, id);
    return i < 0 ? undefined : this.s.workspaceIds[this.s.workspaceOf(i)];
  }

  add(change: PolicyChange): void {
    switch (change.type) {
      case 'member.upsert':
        this.user(change.member.userId);
        for (const projectId of Object.keys(change.member.projectRoles ?? {}))
          this.project(change.member.workspaceId, projectId);
        return;
      case 'group.add-member':
      case 'group.remove-member':
        this.user(change.userId);
        this.group(change.workspaceId, change.groupId);
        return;
      case 'group.delete':
        this.group(change.workspaceId, change.groupId);
        return;
      case 'entry.set-user':
      case 'entry.remove-user':
        this.user(change.userId);
        return;
      case 'entry.set-group':
      case 'entry.remove-group':
        this.group(this.workspaceOf(change.integrationId), change.groupId);
        return;
      case 'integration.upsert': {
        const { id, workspaceId, scope, permissions } = change.integration;
        this.integration(id);
        if (scope.type === 'PROJECT') this.project(workspaceId, scope.projectId);
        for (const entry of permissions.users) this.user(entry.id);
        for (const entry of permissions.groups) this.group(workspaceId, entry.id);
        return;
      }
      case 'integration.move':
        if (change.scope.type === 'PROJECT')
          this.project(this.workspaceOf(change.integrationId), change.scope.projectId);
        return;
      case 'pipeline.upsert':
        this.project(change.pipeline.workspaceId, change.pipeline.projectId);
        return;
      case 'batch':
        for (const item of change.changes) this.add(item);
        return;
      case 'member.remove':
      case 'admins.set':
      case 'others.set':
      case 'integration.delete':
      case 'pipelines.set':
      case 'pipelines.allow':
      case 'pipelines.disallow':
      case 'pipeline.remove':
        return;
    }
  }
}

/** Whether applying `change` keeps every kind of id within the store's limits. */
export function roomFor(s: IndexStore, change: PolicyChange): boolean {
  const added = new NewIds(s);
  added.add(change);
  const { limits } = s;
  return (
    s.userKeys.size + added.users.size <= limits.users &&
    s.groupIds.length + added.groups.size <= limits.groups &&
    s.projectIds.length + added.projects.size <= limits.projects &&
    s.integrationKeys.size + added.integrations.size <= limits.integrations
  );
}
