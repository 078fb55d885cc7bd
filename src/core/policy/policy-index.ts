/**
 * The in-memory policy index: every decision served from interned ids and typed arrays, kept in
 * step with the database through incremental changes and a revision number.
 */
import { KeyhouseError } from '../errors.ts';
import { isKnownChange, type PolicyChange } from './changes.ts';
import { PAYLOAD } from './id-keys.ts';
import { buildStore } from './index-bulk.ts';
import { roomFor } from './index-capacity.ts';
import { applyToStore } from './index-changes.ts';
import {
  type IndexLimits,
  limitsOf,
  PROJECT_BITS,
  PROJECT_LIMIT,
  SLOT_MASK,
  SLOT_PROJECT_CELLS,
  SLOT_WORKSPACE,
} from './index-layout.ts';
import { findMember, liveIntegration } from './index-load.ts';
import { factsFromStore, fastLevel, levelIn, listFromStore, pipelineRuleFromStore } from './index-read.ts';
import { findProject } from './index-scopes.ts';
import {
  groupContents,
  integrationData,
  integrationIdsIn,
  memberIdsIn,
  pipelineData,
  pipelineIdsIn,
  snapshotOf,
} from './index-snapshot.ts';
import { IndexStore } from './index-store.ts';
import { actionBit, LEVEL_ACTION_MASKS, levelAllows } from './levels.ts';
import { runDecisionOf } from './pipelines.ts';
import { decideAction, resolveFacts } from './resolve.ts';
import type {
  Decision,
  IntegrationAction,
  Level,
  PolicyData,
  PolicyIntegration,
  PolicyPipeline,
  Reason,
  RunDecision,
} from './types.ts';
import { LEVELS } from './types.ts';

/** A serialisable image of the index: its data and the revision it reflects. */
export interface PolicySnapshot {
  readonly revision: number;
  readonly data: PolicyData;
}

/** Options of {@link PolicyIndex.listVisible}. */
export interface ListVisibleOptions {
  /** Only what can serve this project: WORKSPACE integrations and this project's PROJECT ones. */
  readonly projectId?: string;
}

export type { IndexLimits } from './index-layout.ts';

/** Options of an index. */
export interface PolicyIndexOptions {
  /**
   * Lower limits than the layout's (ADR 0003) on the ids of each kind the index holds, for tests
   * and for operators who want a smaller ceiling. Beyond them a change is refused (`roomFor`).
   */
  readonly limits?: Partial<IndexLimits>;
}

/** Size figures of an index. */
export interface PolicyIndexStats {
  readonly userEntries: number;
  readonly groupEntries: number;
  readonly integrations: number;
  readonly members: number;
}

/** The in-memory, incrementally maintained policy index. Create with {@link PolicyIndex.build}. */
export class PolicyIndex {
  private readonly store: IndexStore;
  private currentRevision: number;

  private constructor(store: IndexStore, revision: number) {
    this.store = store;
    this.currentRevision = revision;
  }

  /** An empty index at revision 0. */
  static empty(options: PolicyIndexOptions = {}): PolicyIndex {
    return new PolicyIndex(new IndexStore(limitsOf(options.limits)), 0);
  }

  /**
   * Bulk-loads plain data (members, groups, integrations, pipelines) at the given revision
   * (default 0). Data that name more ids of a kind than the limits allow: a `capacity_exceeded`
   * error.
   */
  static build(data: PolicyData, revision = 0, options: PolicyIndexOptions = {}): PolicyIndex {
    return new PolicyIndex(buildStore(data, limitsOf(options.limits)), revision);
  }

  /** Restores an index from {@link PolicyIndex.snapshot}, revision included. */
  static fromSnapshot(snapshot: PolicySnapshot, options: PolicyIndexOptions = {}): PolicyIndex {
    return PolicyIndex.build(snapshot.data, snapshot.revision, options);
  }

  /** Everything the index holds, as plain data, with its revision. */
  snapshot(): PolicySnapshot {
    return { revision: this.currentRevision, data: snapshotOf(this.store) };
  }

  /** The revision: the number of changes applied since revision 0 (or the loaded revision). */
  get revision(): number {
    return this.currentRevision;
  }

  /**
   * Whether the index reflects at least `revision`. A caller that has just written revision R
   * through any process asks `atLeast(R)` and, while false, waits for the change feed to catch up
   * (or reads through) before deciding; revisions only grow, so true stays true.
   */
  atLeast(revision: number): boolean {
    return this.currentRevision >= revision;
  }

  /**
   * Whether `change` fits within the index's limits: false when it names more new users, groups,
   * projects or integrations than the index may still hold (an id it names counts as new unless
   * the index holds it). A change that fits can be applied; the service asks before committing.
   */
  roomFor(change: PolicyChange): boolean {
    return roomFor(this.store, change);
  }

  /**
   * Applies one change (a `batch` counts as one) and returns the new revision; a change that does
   * not fit ({@link roomFor}) is refused with a `capacity_exceeded` error, and one of a type this
   * version does not know (read from a newer version's change log) with `validation_failed`, each
   * changing nothing.
   */
  apply(change: PolicyChange): number {
    this.requireApplicable(change);
    applyToStore(this.store, change);
    this.currentRevision++;
    return this.currentRevision;
  }

  /**
   * Runs `read` with `change` applied, then undoes it and restores the revision: nothing outside
   * `read` observes the change (the index is single-threaded). Used by what-if.
   */
  withChange<T>(change: PolicyChange, read: (index: PolicyIndex) => T): T {
    this.requireApplicable(change);
    const revision = this.currentRevision;
    const undo = applyToStore(this.store, change);
    try {
      return read(this);
    } finally {
      applyToStore(this.store, undo);
      this.currentRevision = revision;
    }
  }

  private requireApplicable(change: PolicyChange): void {
    if (!isKnownChange(change))
      throw new KeyhouseError('validation_failed', 'The policy change is of an unknown type.');
    if (!roomFor(this.store, change)) throw new KeyhouseError('capacity_exceeded');
  }

  /** A numeric handle of a user id for {@link PolicyIndex.levelRankOf} (-1 when unknown); stable for the index's life. */
  userRef(userId: string): number {
    return this.store.userKeys.get(userId);
  }

  /** A numeric handle of an integration id for {@link PolicyIndex.levelRankOf} (-1 when unknown); stable for the index's life. */
  integrationRef(integrationId: string): number {
    return this.store.integrationKeys.get(integrationId);
  }

  /** The level rank from numeric handles: the fastest path, for callers that resolve ids once. */
  levelRankOf(userRef: number, integrationRef: number, now: number): number {
    return userRef < 0 || integrationRef < 0 ? 0 : fastLevel(this.store, userRef, integrationRef, now);
  }

  /**
   * The effective level rank (0 DENY … 3 MANAGE): the allocation-free fast path. Two plain `Map`
   * lookups: a remembered last id was dropped, since comparing a different id with it costs more
   * than the lookup of a hot key saves (measured at 1M entries).
   */
  levelRank(userId: string, integrationId: string, now: number): number {
    const s = this.store;
    const u = s.userKeys.get(userId);
    const keys = s.integrationKeys;
    const i = keys.get(integrationId);
    if (u < 0 || i < 0) return 0;
    const at = keys.lastAt;
    if (at < 0) return fastLevel(s, u, i, now);
    // Found in the packed id table: the integration's record is in its slot, read in the same line.
    const table = keys.table;
    const projectCells = table[at + PAYLOAD + SLOT_PROJECT_CELLS]!;
    const p = (projectCells & PROJECT_LIMIT) - 1;
    const cells = projectCells >>> PROJECT_BITS;
    return levelIn(
      s,
      u,
      i,
      table[at + PAYLOAD + SLOT_WORKSPACE]!,
      p,
      table[at + PAYLOAD + SLOT_MASK]!,
      cells,
      now,
    );
  }

  /** The effective level of a user on an integration (DENY for unknown ids). */
  level(userId: string, integrationId: string, now: number): Level {
    return LEVELS[this.levelRank(userId, integrationId, now)]!;
  }

  /** Whether the user may perform the action: the fast path, no reasons. */
  allows(userId: string, integrationId: string, action: IntegrationAction, now: number): boolean {
    return ((LEVEL_ACTION_MASKS[this.levelRank(userId, integrationId, now)] ?? 0) & actionBit(action)) !== 0;
  }

  /** The level with the hops that decided it (the explain path). */
  resolve(userId: string, integrationId: string, now: number): Decision {
    const i = liveIntegration(this.store, integrationId);
    if (i < 0) return { allowed: false, level: 'DENY', reasons: [] };
    const u = this.store.userKeys.get(userId);
    return resolveFacts(factsFromStore(this.store, u, i), now);
  }

  /** The decision for an action, with its reasons (the explain path). */
  decide(userId: string, integrationId: string, action: IntegrationAction, now: number): Decision {
    return decideAction(this.resolve(userId, integrationId, now), action);
  }

  /**
   * Checks a run of a pipeline that uses the integrations: scope and allowed pipelines alone
   * decide. An unknown pipeline or integration counts as another workspace's. With `asUserId`,
   * says whether that user may add the pipeline to every missing integration and retry.
   */
  checkRun(
    pipelineId: string,
    integrationIds: readonly string[],
    now: number,
    asUserId?: string,
  ): RunDecision {
    const s = this.store;
    const q = s.pipelineKeys.get(pipelineId) ?? -1;
    const checks = integrationIds.map((id) => {
      const i = liveIntegration(s, id);
      return { id, name: i < 0 ? id : s.integrationNames[i]!, rule: pipelineRuleFromStore(s, q, i, now) };
    });
    const grantable =
      asUserId === undefined
        ? undefined
        : (index: number): Reason => {
            const level = this.level(asUserId, integrationIds[index]!, now);
            const allowed = levelAllows(level, 'integration.grant-pipeline');
            return { hop: 'action', action: 'integration.grant-pipeline', required: 'USE', level, allowed };
          };
    return runDecisionOf(pipelineId, checks, grantable);
  }

  /** Whether the pipeline may use the integration (scope and allowed pipelines). */
  pipelineAdmits(pipelineId: string, integrationId: string, now: number): boolean {
    const rule = pipelineRuleFromStore(
      this.store,
      this.store.pipelineKeys.get(pipelineId) ?? -1,
      liveIntegration(this.store, integrationId),
      now,
    );
    return rule === 'all' || rule === 'listed';
  }

  /**
   * The ids of the integrations a user sees (level above DENY) in a workspace, or only those that
   * can serve one project, computed from the scope buckets and the user's and groups' entries.
   */
  listVisible(userId: string, workspaceId: string, now: number, options: ListVisibleOptions = {}): string[] {
    const s = this.store;
    const w = s.workspaceKeys.get(workspaceId);
    const m = findMember(s, workspaceId, userId);
    if (w === undefined || m < 0) return [];
    const found = options.projectId === undefined ? -1 : findProject(s, w, options.projectId);
    const p = options.projectId === undefined ? -1 : found < 0 ? -2 : found;
    return listFromStore(s, m, w, now, p);
  }

  /** The integration as plain data, or undefined when absent. */
  integration(id: string): PolicyIntegration | undefined {
    return integrationData(this.store, liveIntegration(this.store, id));
  }

  /** The pipeline as plain data, or undefined when absent. */
  pipeline(id: string): PolicyPipeline | undefined {
    return pipelineData(this.store, this.store.pipelineKeys.get(id) ?? -1);
  }

  /** User ids of the current members of a workspace. */
  membersOf(workspaceId: string): string[] {
    return memberIdsIn(this.store, workspaceId);
  }

  /** Ids of the live integrations of a workspace (every scope). */
  integrationsOf(workspaceId: string): string[] {
    return integrationIdsIn(this.store, workspaceId);
  }

  /** Ids of the pipelines of a workspace. */
  pipelinesOf(workspaceId: string): string[] {
    return pipelineIdsIn(this.store, workspaceId);
  }

  /** User ids in a group and the integrations naming it in an entry. */
  groupOf(
    workspaceId: string,
    groupId: string,
  ): { readonly userIds: readonly string[]; readonly integrationIds: readonly string[] } {
    return groupContents(this.store, workspaceId, groupId);
  }

  /**
   * The ids the index holds of each kind (interned: an id stays for the index's life, live or
   * not) and its limits: how close it is to refusing changes.
   */
  capacity(): { readonly held: IndexLimits; readonly limits: IndexLimits } {
    const s = this.store;
    const held = {
      users: s.userKeys.size,
      groups: s.groupIds.length,
      projects: s.projectIds.length,
      integrations: s.integrationKeys.size,
    };
    return { held, limits: s.limits };
  }

  /** Entry counts and sizes. */
  stats(): PolicyIndexStats {
    const s = this.store;
    let integrations = 0;
    for (let i = 0; i < s.integrationIds.length; i++) if (s.workspaceOf(i) >= 0) integrations++;
    return {
      userEntries: s.userEntryCount,
      groupEntries: s.groupEntryCount,
      integrations,
      members: s.memberCount,
    };
  }
}
