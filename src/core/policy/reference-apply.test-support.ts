/**
 * The reference side of the model-based tests: applies a change to plain data, naively and
 * immutably, following the change vocabulary's documented meaning. Shares only types with the
 * engine.
 */
import type { PolicyChange } from './changes.ts';
import type { PolicyData, PolicyIntegration, SubjectEntry } from './types.ts';

type Permissions = PolicyIntegration['permissions'];

function withIntegration(
  data: PolicyData,
  id: string,
  edit: (integration: PolicyIntegration) => PolicyIntegration,
): PolicyData {
  return {
    ...data,
    integrations: data.integrations.map((integration) =>
      integration.id === id ? edit(integration) : integration,
    ),
  };
}

function withPermissions(
  data: PolicyData,
  id: string,
  edit: (permissions: Permissions) => Permissions,
): PolicyData {
  return withIntegration(data, id, (integration) => ({
    ...integration,
    permissions: edit(integration.permissions),
  }));
}

function replaceEntry(
  list: readonly SubjectEntry[],
  id: string,
  entry: SubjectEntry | undefined,
): SubjectEntry[] {
  const rest = list.filter((candidate) => candidate.id !== id);
  return entry === undefined ? rest : [...rest, entry];
}

function setGroupMember(
  data: PolicyData,
  workspaceId: string,
  groupId: string,
  userId: string,
  add: boolean,
): PolicyData {
  const exists = data.groups.some((group) => group.workspaceId === workspaceId && group.id === groupId);
  const groups = exists ? data.groups : [...data.groups, { id: groupId, workspaceId, userIds: [] }];
  return {
    ...data,
    groups: groups.map((group) => {
      if (group.workspaceId !== workspaceId || group.id !== groupId) return group;
      const others = group.userIds.filter((id) => id !== userId);
      return { ...group, userIds: add ? [...others, userId] : others };
    }),
  };
}

function membersAndGroups(data: PolicyData, change: PolicyChange): PolicyData | undefined {
  switch (change.type) {
    case 'member.upsert': {
      const { userId, workspaceId } = change.member;
      const rest = data.members.filter((m) => !(m.userId === userId && m.workspaceId === workspaceId));
      return { ...data, members: [...rest, change.member] };
    }
    case 'member.remove':
      return {
        ...data,
        members: data.members.filter(
          (m) => !(m.userId === change.userId && m.workspaceId === change.workspaceId),
        ),
      };
    case 'group.add-member':
    case 'group.remove-member':
      return setGroupMember(
        data,
        change.workspaceId,
        change.groupId,
        change.userId,
        change.type === 'group.add-member',
      );
    case 'group.delete':
      return {
        ...data,
        groups: data.groups.filter(
          (group) => !(group.workspaceId === change.workspaceId && group.id === change.groupId),
        ),
        integrations: data.integrations.map((integration) =>
          integration.workspaceId !== change.workspaceId
            ? integration
            : {
                ...integration,
                permissions: {
                  ...integration.permissions,
                  groups: integration.permissions.groups.filter((entry) => entry.id !== change.groupId),
                },
              },
        ),
      };
    default:
      return undefined;
  }
}

function entries(data: PolicyData, change: PolicyChange): PolicyData | undefined {
  switch (change.type) {
    case 'entry.set-user':
      return withPermissions(data, change.integrationId, (p) => ({
        ...p,
        users: replaceEntry(p.users, change.userId, { id: change.userId, ...change.entry }),
      }));
    case 'entry.remove-user':
      return withPermissions(data, change.integrationId, (p) => ({
        ...p,
        users: replaceEntry(p.users, change.userId, undefined),
      }));
    case 'entry.set-group':
      return withPermissions(data, change.integrationId, (p) => ({
        ...p,
        groups: replaceEntry(p.groups, change.groupId, { id: change.groupId, ...change.entry }),
      }));
    case 'entry.remove-group':
      return withPermissions(data, change.integrationId, (p) => ({
        ...p,
        groups: replaceEntry(p.groups, change.groupId, undefined),
      }));
    case 'admins.set':
      return withPermissions(data, change.integrationId, (p) => ({ ...p, admins: change.entry }));
    case 'others.set':
      return withPermissions(data, change.integrationId, (p) => ({ ...p, others: change.entry }));
    default:
      return undefined;
  }
}

function integrationsAndPipelines(data: PolicyData, change: PolicyChange): PolicyData {
  switch (change.type) {
    case 'integration.upsert': {
      const rest = data.integrations.filter((integration) => integration.id !== change.integration.id);
      return { ...data, integrations: [...rest, change.integration] };
    }
    case 'integration.move':
      return withIntegration(data, change.integrationId, (integration) => ({
        ...integration,
        scope: change.scope,
      }));
    case 'integration.delete':
      return {
        ...data,
        integrations: data.integrations.filter((integration) => integration.id !== change.integrationId),
      };
    case 'pipelines.set':
      return withIntegration(data, change.integrationId, (integration) => ({
        ...integration,
        allowedPipelines: change.allowedPipelines,
      }));
    case 'pipelines.allow':
    case 'pipelines.disallow':
      return withIntegration(data, change.integrationId, (integration) => {
        if (integration.allowedPipelines === 'ALL') return integration;
        const id = change.type === 'pipelines.allow' ? change.pipeline.id : change.pipelineId;
        const rest = integration.allowedPipelines.filter((entry) => entry.id !== id);
        return {
          ...integration,
          allowedPipelines: change.type === 'pipelines.allow' ? [...rest, change.pipeline] : rest,
        };
      });
    case 'pipeline.upsert':
      return {
        ...data,
        pipelines: [...data.pipelines.filter((p) => p.id !== change.pipeline.id), change.pipeline],
      };
    case 'pipeline.remove':
      return { ...data, pipelines: data.pipelines.filter((p) => p.id !== change.pipelineId) };
    case 'batch':
      return change.changes.reduce(applyToData, data);
    default:
      return data;
  }
}

/** Applies a change to plain data, returning new data (the input is not modified). */
export function applyToData(data: PolicyData, change: PolicyChange): PolicyData {
  return membersAndGroups(data, change) ?? entries(data, change) ?? integrationsAndPipelines(data, change);
}
