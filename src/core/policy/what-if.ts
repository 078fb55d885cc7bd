/**
 * What-if: the exact difference in effective access a proposed change would make, computed on
 * the (user, integration) and (pipeline, integration) pairs the change can touch, without
 * applying it.
 */
import type { PolicyChange } from './changes.ts';
import { actionsOf } from './levels.ts';
import { PolicyIndex } from './policy-index.ts';
import type { IntegrationAction, Level, PolicyData } from './types.ts';
import { LEVELS } from './types.ts';

/** One user whose access to one integration would change. */
export interface UserAccessChange {
  readonly userId: string;
  readonly integrationId: string;
  readonly from: Level;
  readonly to: Level;
  readonly gained: readonly IntegrationAction[];
  readonly lost: readonly IntegrationAction[];
}

/** One pipeline that would gain or lose integrations. */
export interface PipelineAccessChange {
  readonly pipelineId: string;
  readonly gained: readonly string[];
  readonly lost: readonly string[];
}

/** The predicted effect of a change, sorted by user then integration, and by pipeline. */
export interface WhatIfResult {
  readonly users: readonly UserAccessChange[];
  readonly pipelines: readonly PipelineAccessChange[];
}

/** The pairs a change can affect: `workspace → users × integrations` and `pipelines × integrations`. */
interface Affected {
  readonly userPairs: Map<string, Set<string>>;
  readonly pipelinePairs: Map<string, Set<string>>;
}

function add(map: Map<string, Set<string>>, keys: Iterable<string>, values: Iterable<string>): void {
  const list = [...values];
  if (list.length === 0) return;
  for (const key of keys) {
    let set = map.get(key);
    if (set === undefined) {
      set = new Set();
      map.set(key, set);
    }
    for (const value of list) set.add(value);
  }
}

function integrationWorkspaces(index: PolicyIndex, change: PolicyChange): string[] {
  const id =
    change.type === 'integration.upsert'
      ? change.integration.id
      : 'integrationId' in change
        ? change.integrationId
        : undefined;
  const workspaces = new Set<string>();
  if (id !== undefined) {
    const current = index.integration(id)?.workspaceId;
    if (current !== undefined) workspaces.add(current);
  }
  if (change.type === 'integration.upsert') workspaces.add(change.integration.workspaceId);
  return [...workspaces];
}

function collect(index: PolicyIndex, change: PolicyChange, into: Affected): void {
  switch (change.type) {
    case 'batch':
      collectSequence(index, change.changes, 0, into);
      return;
    case 'member.upsert':
    case 'member.remove': {
      const workspaceId = change.type === 'member.upsert' ? change.member.workspaceId : change.workspaceId;
      const userId = change.type === 'member.upsert' ? change.member.userId : change.userId;
      add(into.userPairs, [userId], index.integrationsOf(workspaceId));
      return;
    }
    case 'group.add-member':
    case 'group.remove-member':
    case 'group.delete': {
      const group = index.groupOf(change.workspaceId, change.groupId);
      const users = change.type === 'group.delete' ? group.userIds : [change.userId];
      add(into.userPairs, users, group.integrationIds);
      return;
    }
    case 'pipeline.upsert':
    case 'pipeline.remove': {
      const id = change.type === 'pipeline.upsert' ? change.pipeline.id : change.pipelineId;
      const workspaces = new Set([
        index.pipeline(id)?.workspaceId,
        change.type === 'pipeline.upsert' ? change.pipeline.workspaceId : undefined,
      ]);
      for (const workspaceId of workspaces) {
        if (workspaceId !== undefined) add(into.pipelinePairs, [id], index.integrationsOf(workspaceId));
      }
      return;
    }
    default: {
      const id = change.type === 'integration.upsert' ? change.integration.id : change.integrationId;
      for (const workspaceId of integrationWorkspaces(index, change)) {
        if (!change.type.startsWith('pipelines.')) add(into.userPairs, index.membersOf(workspaceId), [id]);
        if (change.type.startsWith('integration.') || change.type.startsWith('pipelines.')) {
          add(into.pipelinePairs, index.pipelinesOf(workspaceId), [id]);
        }
      }
    }
  }
}

/** Each change of a batch is read against the state the earlier ones leave (applied, then undone). */
function collectSequence(
  index: PolicyIndex,
  changes: readonly PolicyChange[],
  from: number,
  into: Affected,
): void {
  const first = changes[from];
  if (first === undefined) return;
  collect(index, first, into);
  if (from + 1 < changes.length)
    index.withChange(first, () => collectSequence(index, changes, from + 1, into));
}

function flatten(pairs: Map<string, Set<string>>): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, values] of pairs) for (const value of values) out.push([key, value]);
  return out;
}

function userChange(userId: string, integrationId: string, before: number, after: number): UserAccessChange {
  const from = LEVELS[before]!;
  const to = LEVELS[after]!;
  const had = new Set(actionsOf(from));
  const has = new Set(actionsOf(to));
  return {
    userId,
    integrationId,
    from,
    to,
    gained: actionsOf(to).filter((action) => !had.has(action)),
    lost: actionsOf(from).filter((action) => !has.has(action)),
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Predicts what `change` would grant or take away at `now`: which users gain or lose which
 * actions on which integrations, and which pipelines gain or lose which integrations. The index
 * (or a snapshot's data, loaded into a fresh index) is left exactly as it was.
 */
export function whatIf(source: PolicyIndex | PolicyData, change: PolicyChange, now: number): WhatIfResult {
  const index = source instanceof PolicyIndex ? source : PolicyIndex.build(source);
  const affected: Affected = { userPairs: new Map(), pipelinePairs: new Map() };
  collect(index, change, affected);
  const userPairs = flatten(affected.userPairs);
  const pipelinePairs = flatten(affected.pipelinePairs);
  const levels = (target: PolicyIndex): Int8Array =>
    Int8Array.from(userPairs, ([userId, integrationId]) => target.levelRank(userId, integrationId, now));
  const admits = (target: PolicyIndex): boolean[] =>
    pipelinePairs.map(([pipelineId, integrationId]) => target.pipelineAdmits(pipelineId, integrationId, now));
  const before = { levels: levels(index), admits: admits(index) };
  const after = index.withChange(change, (changed) => ({ levels: levels(changed), admits: admits(changed) }));
  const users: UserAccessChange[] = [];
  userPairs.forEach(([userId, integrationId], k) => {
    if (before.levels[k] !== after.levels[k])
      users.push(userChange(userId, integrationId, before.levels[k]!, after.levels[k]!));
  });
  users.sort((a, b) => byText(a.userId, b.userId) || byText(a.integrationId, b.integrationId));
  const perPipeline = new Map<string, { gained: string[]; lost: string[] }>();
  pipelinePairs.forEach(([pipelineId, integrationId], k) => {
    if (before.admits[k] === after.admits[k]) return;
    const entry = perPipeline.get(pipelineId) ?? { gained: [], lost: [] };
    (after.admits[k] ? entry.gained : entry.lost).push(integrationId);
    perPipeline.set(pipelineId, entry);
  });
  const pipelines = [...perPipeline]
    .map(([pipelineId, entry]) => ({
      pipelineId,
      gained: entry.gained.sort(byText),
      lost: entry.lost.sort(byText),
    }))
    .sort((a, b) => byText(a.pipelineId, b.pipelineId));
  return { users, pipelines };
}
