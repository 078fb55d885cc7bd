/**
 * Reading the index back as plain data: one member, one integration, one pipeline, a workspace's
 * members, integrations and pipelines, a group's contents, or the whole snapshot. Internal to
 * {@link PolicyIndex}.
 */

import { groupEntryExpiry, groupEntryValue, userEntryExpiry, userEntryValue } from './index-entries.ts';
import { entryOf, HAS_EXPIRY } from './index-layout.ts';
import { scopeOf } from './index-read.ts';
import { findGroup } from './index-scopes.ts';
import type { IndexStore } from './index-store.ts';
import type {
  AllowedPipelines,
  Level,
  PolicyData,
  PolicyGroup,
  PolicyIntegration,
  PolicyMember,
  PolicyPipeline,
  Role,
  SubjectEntry,
} from './types.ts';
import { LEVELS, ROLES } from './types.ts';

function subject(id: string, value: number, expiresAt: number): SubjectEntry {
  const level = LEVELS[value & 3] as Level;
  return (value & HAS_EXPIRY) === 0 ? { id, level } : { id, level, expiresAt };
}

/** The member at slot `m`, or undefined when it is not a member. */
export function memberData(s: IndexStore, m: number): PolicyMember | undefined {
  const role = m < 0 ? -1 : s.memberRole[m]!;
  if (role < 0) return undefined;
  const projects = s.memberProjects.toArray(m);
  const source = s.memberRoleSource.get(m);
  const projectRoles: Record<string, Role> = {};
  for (const packed of projects) projectRoles[s.projectIds[packed >> 2]!] = ROLES[packed & 3]!;
  return {
    userId: s.userIds[s.memberUser[m]!]!,
    workspaceId: s.workspaceIds[s.memberWorkspace[m]!]!,
    role: ROLES[role]!,
    ...(source === undefined ? {} : { roleSource: source }),
    ...(projects.length === 0 ? {} : { projectRoles }),
  };
}

/** The allowed pipelines of integration `i`. */
export function allowedData(s: IndexStore, i: number): AllowedPipelines {
  const allowed = s.allowed[i];
  if (allowed === null || allowed === undefined) return 'ALL';
  return [...allowed].map(([q, expiresAt]) =>
    expiresAt === Number.POSITIVE_INFINITY ? { id: s.pipelineIds[q]! } : { id: s.pipelineIds[q]!, expiresAt },
  );
}

/** The integration at slot `i`, or undefined when deleted. */
export function integrationData(s: IndexStore, i: number): PolicyIntegration | undefined {
  const w = i < 0 ? -1 : s.workspaceOf(i);
  if (w < 0) return undefined;
  const users = s.integrationUsers
    .toArray(i)
    .map((m) => subject(s.userIds[s.memberUser[m]!]!, userEntryValue(s, i, m), userEntryExpiry(s, i, m)));
  const groups = s.integrationGroups
    .toArray(i)
    .map((g) => subject(s.groupIds[g]!, groupEntryValue(s, i, g), groupEntryExpiry(s, i, g)));
  const creator = s.integrationCreators[i];
  return {
    id: s.integrationIds[i]!,
    workspaceId: s.workspaceIds[w]!,
    name: s.integrationNames[i]!,
    scope: scopeOf(s, i),
    ...(creator === undefined ? {} : { createdBy: creator }),
    permissions: {
      admins: entryOf(s.adminsValue(i), s.adminsExpiry(i)),
      others: entryOf(s.othersValue(i), s.othersExpiry(i)),
      users,
      groups,
    },
    allowedPipelines: allowedData(s, i),
  };
}

/** The pipeline at slot `q`, or undefined when removed. */
export function pipelineData(s: IndexStore, q: number): PolicyPipeline | undefined {
  const w = q < 0 ? -1 : s.pipelineWorkspace[q]!;
  if (w < 0) return undefined;
  const name = s.pipelineNames[q];
  return {
    id: s.pipelineIds[q]!,
    workspaceId: s.workspaceIds[w]!,
    projectId: s.projectIds[s.pipelineProject[q]!]!,
    ...(name === undefined ? {} : { name }),
  };
}

/** The group at slot `g` with its members (also members no longer in the workspace). */
export function groupData(s: IndexStore, g: number): PolicyGroup {
  const members = s.groupMembers.toArray(g);
  return {
    id: s.groupIds[g]!,
    workspaceId: s.workspaceIds[s.groupWorkspace[g]!]!,
    userIds: members.map((m) => s.userIds[s.memberUser[m]!]!),
  };
}

/** Everything in the store as plain data. */
export function snapshotOf(s: IndexStore): PolicyData {
  const members: PolicyMember[] = [];
  for (let m = 0; m < s.memberCount; m++) {
    const member = memberData(s, m);
    if (member !== undefined) members.push(member);
  }
  const groups = s.groupIds.map((_, g) => groupData(s, g)).filter((group) => group.userIds.length > 0);
  const integrations = s.integrationIds.flatMap((_, i) => integrationData(s, i) ?? []);
  const pipelines = s.pipelineIds.flatMap((_, q) => pipelineData(s, q) ?? []);
  return { members, groups, integrations, pipelines };
}

/** User ids of the current members of a workspace. */
export function memberIdsIn(s: IndexStore, workspaceId: string): string[] {
  const w = s.workspaceKeys.get(workspaceId);
  const out: string[] = [];
  for (let m = 0; m < s.memberCount; m++) {
    if (s.memberWorkspace[m] === w && s.memberRole[m]! >= 0) out.push(s.userIds[s.memberUser[m]!]!);
  }
  return out;
}

/** Ids of the live integrations of a workspace (every scope). */
export function integrationIdsIn(s: IndexStore, workspaceId: string): string[] {
  const w = s.workspaceKeys.get(workspaceId);
  if (w === undefined) return [];
  const ids = s.workspaceBucket[w]!.map((i) => s.integrationIds[i]!);
  for (const p of s.workspaceProjects[w]!)
    for (const i of s.projectBucket[p]!) ids.push(s.integrationIds[i]!);
  return ids;
}

/** Ids of the pipelines of a workspace. */
export function pipelineIdsIn(s: IndexStore, workspaceId: string): string[] {
  const w = s.workspaceKeys.get(workspaceId);
  return s.pipelineIds.filter((_, q) => w !== undefined && s.pipelineWorkspace[q] === w);
}

/** User ids in a group and the integrations naming it in an entry (none when there is no such group). */
export function groupContents(
  s: IndexStore,
  workspaceId: string,
  groupId: string,
): { readonly userIds: readonly string[]; readonly integrationIds: readonly string[] } {
  const w = s.workspaceKeys.get(workspaceId);
  const g = w === undefined ? -1 : findGroup(s, w, groupId);
  if (g < 0) return { userIds: [], integrationIds: [] };
  return {
    userIds: groupData(s, g).userIds,
    integrationIds: s.groupEntries.toArray(g).map((item) => s.integrationIds[item >> 3]!),
  };
}
