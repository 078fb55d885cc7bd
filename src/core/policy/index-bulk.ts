/**
 * The bulk load of the policy index: arrays sized once from the input's counts, group
 * memberships and entries resolved in tight passes, the subjects' lists logged and placed in one
 * counting pass, the integrations' lists taken whole from the resolved entries
 * (`index-bulk-entries.ts`), then every array trimmed. Internal to {@link PolicyIndex.build}.
 */

import { BulkEntries, type BulkSize, RepeatedIntegration, Seen } from './index-bulk-entries.ts';
import { applyToStore } from './index-changes.ts';
import { setGroupMember } from './index-entries.ts';
import { type IndexLimits, RECORD } from './index-layout.ts';
import { loadIntegration, loadMember } from './index-load.ts';
import { internGroup } from './index-scopes.ts';
import { IndexStore } from './index-store.ts';
import { UserSeqs } from './index-user-seqs.ts';
import type { PolicyData, PolicyGroup } from './types.ts';

/** `array` with room for exactly `size` items (grown, never shrunk). */
function sized<T extends Int32Array | Int8Array>(array: T, size: number, fill: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.fill(fill, array.length);
  next.set(array);
  return next;
}

/** The first `size` items of `array`, without a copy when that is all of it. */
function fit<T extends Int32Array | Int8Array>(array: T, size: number): T {
  return array.length === size ? array : (array.slice(0, size) as T);
}

/**
 * Starts a bulk load: sizes the arrays once, and the entry lists log appends until
 * {@link compactStore}. With `adopting`, the integrations' lists are not filled as their entries
 * load but taken whole at the end ({@link BulkEntries.adoptLists}).
 */
export function beginBulkLoad(s: IndexStore, expected: BulkSize, adopting: boolean): void {
  s.memberEntries.beginBulk(expected.userEntries);
  s.groupEntries.beginBulk(expected.groupEntries);
  const { members, integrations } = expected;
  for (const pool of [s.memberProjects, s.memberGroups, s.memberEntries]) pool.reserveLists(members);
  // Members are loaded one after another, each new one the next slot: their project roles fill
  // their lists in order, each list growing in place instead of moving twice.
  s.memberProjects.beginInOrder(0);
  if (!adopting) {
    // Integrations are loaded one after another: their lists fill in order.
    s.integrationUsers.beginInOrder(expected.userEntries);
    s.integrationGroups.beginInOrder(expected.groupEntries);
    for (const pool of [s.integrationUsers, s.integrationGroups]) pool.reserveLists(integrations);
  }
  s.reserveIntegrations(integrations);
  // Members name at most this many users (fewer when a user is a member of several workspaces):
  // above the threshold the packed table starts at its final size instead of growing.
  s.reserveUsers(members);
  s.userFirstMember = sized(s.userFirstMember, members, -1);
  s.memberUser = sized(s.memberUser, members, 0);
  s.memberWorkspace = sized(s.memberWorkspace, members, 0);
  s.memberRole = sized(s.memberRole, members, -1);
  s.memberNextOfUser = sized(s.memberNextOfUser, members, -1);
  s.records = sized(s.records, integrations * RECORD, 0);
  s.scratch = sized(s.scratch, integrations, -1);
}

/**
 * Packs every pooled list without spare room and trims every array to its length (arrays grown
 * by doubling keep spare capacity): called once after a bulk load, so the index holds no slack.
 */
export function compactStore(s: IndexStore): void {
  for (const pool of [
    s.memberProjects,
    s.memberGroups,
    s.memberEntries,
    s.groupMembers,
    s.groupEntries,
    s.integrationUsers,
    s.integrationGroups,
  ])
    pool.compact();
  for (const lists of [s.workspaceBucket, s.workspaceProjects, s.projectBucket])
    for (let k = 0; k < lists.length; k++) lists[k] = lists[k]!.slice();
  const users = s.userIds.length;
  const members = s.memberCount;
  const integrations = s.integrationIds.length;
  s.userFirstMember = fit(s.userFirstMember, users);
  s.memberUser = fit(s.memberUser, members);
  s.memberWorkspace = fit(s.memberWorkspace, members);
  s.memberRole = fit(s.memberRole, members);
  s.memberNextOfUser = fit(s.memberNextOfUser, members);
  s.groupWorkspace = fit(s.groupWorkspace, s.groupIds.length);
  s.records = fit(s.records, integrations * RECORD);
  s.scratch = fit(s.scratch, integrations);
  s.userKeys.trim();
  s.groupIds = s.groupIds.slice();
  s.integrationKeys.trim();
  s.integrationNames = s.integrationNames.slice();
  s.integrationCreators = s.integrationCreators.slice();
  s.allowed = s.allowed.slice();
}

/**
 * Loads the groups' memberships: a group's members fill its list in order, and each member's list
 * of groups only logs its appends (placed when the load settles), so no membership is looked up in
 * a list while the lists fill; a member named twice in one group is skipped by a mark per member. A
 * group that comes twice takes its second list of members through {@link setGroupMember} (a union).
 */
export function loadGroups(s: IndexStore, groups: readonly PolicyGroup[], seqs?: UserSeqs): void {
  let total = 0;
  for (let k = 0; k < groups.length; k++) total += groups[k]!.userIds.length;
  s.groupMembers.beginInOrder(total);
  s.memberGroups.beginBulk(total);
  const marked = new Seen();
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k]!;
    // A group without members gives nothing (its entries intern it when they load), and the index
    // holds it only once it has a member or an entry, as changes do: so a rebuild never holds more
    // groups than the index it replaces, whose changes were each checked against the limits.
    if (group.userIds.length === 0) continue;
    const w = s.workspace(group.workspaceId);
    const fresh = s.groupIds.length;
    const g = internGroup(s, w, group.id);
    const userIds = group.userIds;
    const userSeqs = seqs === undefined ? undefined : group.userSeqs;
    for (let j = 0; j < userIds.length; j++) {
      const id = userIds[j]!;
      let m = userSeqs === undefined ? -1 : seqs!.member(s, userSeqs[j], id, w);
      if (m < 0) m = s.member(id, w);
      if (g !== fresh) setGroupMember(s, g, m, true);
      else if (marked.loggedAt(m, k) < 0) {
        marked.mark(m, k, 0);
        s.groupMembers.push(g, m);
        s.memberGroups.push(m, g);
      }
    }
  }
}

/**
 * A store holding plain data (members, groups, integrations, pipelines), in one bulk load. Data
 * that name more ids of a kind than `limits` allow: a `capacity_exceeded` error.
 */
export function buildStore(data: PolicyData, limits: IndexLimits): IndexStore {
  try {
    return loadStore(data, limits, true);
  } catch (error) {
    if (!(error instanceof RepeatedIntegration)) throw error;
    return loadStore(data, limits, false);
  }
}

function loadStore(data: PolicyData, limits: IndexLimits, adopting: boolean): IndexStore {
  // Indexed loops throughout: an iterator per list is an allocation, and a bulk load that
  // allocates little finishes before the collector has to trace the (large) input.
  const { members, groups, integrations, pipelines } = data;
  const store = new IndexStore(limits);
  let userEntries = 0;
  let groupEntries = 0;
  for (let k = 0; k < integrations.length; k++) {
    userEntries += integrations[k]!.permissions.users.length;
    groupEntries += integrations[k]!.permissions.groups.length;
  }
  const expected = {
    userEntries,
    groupEntries,
    members: members.length,
    integrations: integrations.length,
  };
  beginBulkLoad(store, expected, adopting);
  // Users named by number where the input numbers them (`index-user-seqs.ts`).
  const seqs = UserSeqs.of(members);
  for (let k = 0; k < members.length; k++) {
    const m = loadMember(store, members[k]!);
    seqs?.note(store, members[k]!.userSeq, m);
  }
  loadGroups(store, groups, seqs);
  const bulk = new BulkEntries(adopting);
  bulk.resolve(store, integrations, expected, seqs);
  for (let k = 0; k < integrations.length; k++) loadIntegration(store, integrations[k]!, bulk);
  bulk.adoptLists(store);
  for (const pipeline of pipelines) applyToStore(store, { type: 'pipeline.upsert', pipeline });
  compactStore(store);
  return store;
}
