/**
 * Applying a {@link PolicyChange} to the index store, returning the change that undoes it (used
 * by what-if to apply, compare and revert). Internal to {@link PolicyIndex}.
 */
import type { PolicyChange } from './changes.ts';
import {
  groupEntryExpiry,
  groupEntryValue,
  inGroup,
  setGroupEntry,
  setGroupMember,
  setUserEntry,
  userEntryExpiry,
  userEntryValue,
} from './index-entries.ts';
import { entryOf } from './index-layout.ts';
import {
  clearIntegration,
  findMember,
  liveIntegration,
  loadIntegration,
  loadMember,
  projectOf,
  rankOf,
  setAdmins,
  setAllowed,
  setOthers,
} from './index-load.ts';
import {
  internGroup,
  internPipeline,
  internProject,
  placeIntegration,
  unplaceIntegration,
} from './index-scopes.ts';
import { allowedData, integrationData, memberData, pipelineData } from './index-snapshot.ts';
import type { IndexStore } from './index-store.ts';

const NOTHING: PolicyChange = { type: 'batch', changes: [] };

function memberChange(
  s: IndexStore,
  change: Extract<PolicyChange, { type: `member.${string}` }>,
): PolicyChange {
  const workspaceId = change.type === 'member.upsert' ? change.member.workspaceId : change.workspaceId;
  const userId = change.type === 'member.upsert' ? change.member.userId : change.userId;
  const m = findMember(s, workspaceId, userId);
  const previous = m < 0 ? undefined : memberData(s, m);
  if (change.type === 'member.upsert') loadMember(s, change.member);
  else if (m >= 0) {
    s.memberRole[m] = -1;
    s.memberRoleSource.delete(m);
    s.memberProjects.clear(m);
  }
  return previous !== undefined
    ? { type: 'member.upsert', member: previous }
    : change.type === 'member.upsert'
      ? { type: 'member.remove', workspaceId, userId }
      : NOTHING;
}

function groupChange(
  s: IndexStore,
  change: Extract<PolicyChange, { type: `group.${string}` }>,
): PolicyChange {
  const w = s.workspace(change.workspaceId);
  const g = internGroup(s, w, change.groupId);
  if (change.type === 'group.delete') {
    const undo: PolicyChange[] = [];
    for (const m of s.groupMembers.toArray(g)) {
      undo.push({ ...change, type: 'group.add-member', userId: s.userIds[s.memberUser[m]!]! });
      setGroupMember(s, g, m, false);
    }
    for (const item of s.groupEntries.toArray(g)) {
      const i = item >> 3;
      const entry = entryOf(item & 7, groupEntryExpiry(s, i, g));
      undo.push({
        type: 'entry.set-group',
        integrationId: s.integrationIds[i]!,
        groupId: change.groupId,
        entry,
      });
      setGroupEntry(s, i, g, -1, undefined);
    }
    return { type: 'batch', changes: undo };
  }
  const m = s.member(change.userId, w);
  const was = inGroup(s, g, m);
  const wanted = change.type === 'group.add-member';
  setGroupMember(s, g, m, wanted);
  if (was === wanted) return NOTHING;
  return { ...change, type: wanted ? 'group.remove-member' : 'group.add-member' };
}

type EntryLevelChange = Extract<PolicyChange, { type: `entry.${string}` | `${'admins' | 'others'}.set` }>;

function subjectChange(s: IndexStore, i: number, change: EntryLevelChange): PolicyChange {
  const w = s.workspaceOf(i);
  const { integrationId } = change;
  if (change.type === 'entry.set-user' || change.type === 'entry.remove-user') {
    const m = s.member(change.userId, w);
    const value = userEntryValue(s, i, m);
    const prior = value < 0 ? undefined : entryOf(value, userEntryExpiry(s, i, m));
    const set = change.type === 'entry.set-user' ? change.entry : undefined;
    setUserEntry(s, i, m, set === undefined ? -1 : rankOf(set.level), set?.expiresAt);
    return prior === undefined
      ? { type: 'entry.remove-user', integrationId, userId: change.userId }
      : { type: 'entry.set-user', integrationId, userId: change.userId, entry: prior };
  }
  if (change.type === 'entry.set-group' || change.type === 'entry.remove-group') {
    const g = internGroup(s, w, change.groupId);
    const value = groupEntryValue(s, i, g);
    const prior = value < 0 ? undefined : entryOf(value, groupEntryExpiry(s, i, g));
    const set = change.type === 'entry.set-group' ? change.entry : undefined;
    setGroupEntry(s, i, g, set === undefined ? -1 : rankOf(set.level), set?.expiresAt);
    return prior === undefined
      ? { type: 'entry.remove-group', integrationId, groupId: change.groupId }
      : { type: 'entry.set-group', integrationId, groupId: change.groupId, entry: prior };
  }
  return NOTHING;
}

function entryChange(s: IndexStore, change: EntryLevelChange): PolicyChange {
  const i = liveIntegration(s, change.integrationId);
  if (i < 0) return NOTHING;
  if (change.type === 'admins.set') {
    const prior = entryOf(s.adminsValue(i), s.adminsExpiry(i));
    setAdmins(s, i, change.entry);
    return { ...change, entry: prior };
  }
  if (change.type === 'others.set') {
    const prior = entryOf(s.othersValue(i), s.othersExpiry(i));
    setOthers(s, i, change.entry);
    return { ...change, entry: prior };
  }
  return subjectChange(s, i, change);
}

function integrationChange(
  s: IndexStore,
  change: Extract<PolicyChange, { type: `integration.${string}` }>,
): PolicyChange {
  const id = change.type === 'integration.upsert' ? change.integration.id : change.integrationId;
  const i = liveIntegration(s, id);
  const before = i < 0 ? undefined : integrationData(s, i);
  if (change.type === 'integration.upsert') loadIntegration(s, change.integration);
  else if (i < 0) return NOTHING;
  else if (change.type === 'integration.delete') clearIntegration(s, i);
  else {
    const w = s.workspaceOf(i);
    unplaceIntegration(s, i);
    placeIntegration(s, i, w, projectOf(s, w, change.scope));
    return { ...change, scope: before!.scope };
  }
  return before === undefined
    ? { type: 'integration.delete', integrationId: id }
    : { type: 'integration.upsert', integration: before };
}

function pipelinesChange(
  s: IndexStore,
  change: Extract<PolicyChange, { type: `pipelines.${string}` }>,
): PolicyChange {
  const i = liveIntegration(s, change.integrationId);
  if (i < 0) return NOTHING;
  const before = allowedData(s, i);
  const allowed = s.allowed[i];
  if (change.type === 'pipelines.set') setAllowed(s, i, change.allowedPipelines);
  else if (allowed === null || allowed === undefined) return NOTHING;
  else if (change.type === 'pipelines.allow') {
    allowed.set(internPipeline(s, change.pipeline.id), change.pipeline.expiresAt ?? Number.POSITIVE_INFINITY);
  } else allowed.delete(internPipeline(s, change.pipelineId));
  return { type: 'pipelines.set', integrationId: change.integrationId, allowedPipelines: before };
}

function pipelineChange(
  s: IndexStore,
  change: Extract<PolicyChange, { type: `pipeline.${string}` }>,
): PolicyChange {
  const q = internPipeline(s, change.type === 'pipeline.upsert' ? change.pipeline.id : change.pipelineId);
  const before = pipelineData(s, q);
  if (change.type === 'pipeline.upsert') {
    const w = s.workspace(change.pipeline.workspaceId);
    s.pipelineWorkspace[q] = w;
    s.pipelineProject[q] = internProject(s, w, change.pipeline.projectId);
    s.pipelineNames[q] = change.pipeline.name;
  } else s.pipelineWorkspace[q] = -1;
  if (before !== undefined) return { type: 'pipeline.upsert', pipeline: before };
  return change.type === 'pipeline.upsert'
    ? { type: 'pipeline.remove', pipelineId: change.pipeline.id }
    : NOTHING;
}

/** Applies one change to the store and returns the change that undoes it. */
export function applyToStore(s: IndexStore, change: PolicyChange): PolicyChange {
  switch (change.type) {
    case 'member.upsert':
    case 'member.remove':
      return memberChange(s, change);
    case 'group.add-member':
    case 'group.remove-member':
    case 'group.delete':
      return groupChange(s, change);
    case 'entry.set-user':
    case 'entry.remove-user':
    case 'entry.set-group':
    case 'entry.remove-group':
    case 'admins.set':
    case 'others.set':
      return entryChange(s, change);
    case 'integration.upsert':
    case 'integration.move':
    case 'integration.delete':
      return integrationChange(s, change);
    case 'pipelines.set':
    case 'pipelines.allow':
    case 'pipelines.disallow':
      return pipelinesChange(s, change);
    case 'pipeline.upsert':
    case 'pipeline.remove':
      return pipelineChange(s, change);
    case 'batch':
      return { type: 'batch', changes: change.changes.map((item) => applyToStore(s, item)).reverse() };
  }
}
