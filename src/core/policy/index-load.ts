/**
 * Loading members and integrations into the index store (whole, replacing what was there), and
 * the small conversions both the load and the changes use. Internal to the policy index.
 */
import type { BulkEntries } from './index-bulk-entries.ts';
import { setGroupEntry, setUserEntry } from './index-entries.ts';
import { HAS_EXPIRY } from './index-layout.ts';
import {
  internGroup,
  internPipeline,
  internProject,
  placeIntegration,
  unplaceIntegration,
} from './index-scopes.ts';
import type { IndexStore } from './index-store.ts';
import type { AllowedPipelines, Entry, IntegrationScope, PolicyIntegration, PolicyMember } from './types.ts';

/**
 * The rank of a level (DENY 0 … MANAGE 3) or role (member 0, collaborator 1, admin 2): by the
 * name's length, then one comparison with the one name of that length that ranks above 0 (a
 * switch on the names compares a fresh string with each case in turn; a keyed read of an object
 * whose key varies is a megamorphic lookup each time, for each of a million entries in a bulk
 * load). Anything else, DENY and member included, ranks 0: an index fed a name validation would
 * refuse fails closed rather than refusing to load.
 */
export function rankOf(name: string): number {
  switch (name.length) {
    case 3:
      return name === 'USE' ? 2 : 0;
    case 5:
      return name === 'admin' ? 2 : 0;
    case 6:
      return name === 'MANAGE' ? 3 : 0;
    case 11:
      return name === 'DELETE_ONLY' ? 1 : 0;
    case 12:
      return name === 'collaborator' ? 1 : 0;
    default:
      return 0;
  }
}

/** The live slot of an integration id, or -1. */
export function liveIntegration(s: IndexStore, id: string): number {
  const i = s.integrationKeys.get(id);
  return i < 0 || s.workspaceOf(i) < 0 ? -1 : i;
}

/** The member slot of a user in a workspace, or -1 (without interning). */
export function findMember(s: IndexStore, workspaceId: string, userId: string): number {
  const w = s.workspaceKeys.get(workspaceId);
  const u = s.userKeys.get(userId);
  return w === undefined || u < 0 ? -1 : s.memberOf(u, w);
}

export function cellValue(entry: Entry): number {
  return rankOf(entry.level) | (entry.expiresAt === undefined ? 0 : HAS_EXPIRY);
}

export function setAdmins(s: IndexStore, i: number, entry: Entry): void {
  s.setCell(i, 0, cellValue(entry), entry.expiresAt);
}

export function setOthers(s: IndexStore, i: number, entry: Entry): void {
  s.setCell(i, 3, cellValue(entry), entry.expiresAt);
}

export function setAllowed(s: IndexStore, i: number, allowed: AllowedPipelines): void {
  if (allowed === 'ALL') {
    s.allowed[i] = null;
    return;
  }
  const map = new Map<number, number>();
  for (const entry of allowed)
    map.set(internPipeline(s, entry.id), entry.expiresAt ?? Number.POSITIVE_INFINITY);
  s.allowed[i] = map;
}

export function projectOf(s: IndexStore, w: number, scope: IntegrationScope): number {
  return scope.type === 'PROJECT' ? internProject(s, w, scope.projectId) : -1;
}

/** Removes every entry of integration `i` and takes it out of its bucket. */
export function clearIntegration(s: IndexStore, i: number): void {
  for (const m of s.integrationUsers.toArray(i)) setUserEntry(s, i, m, -1, undefined);
  for (const g of s.integrationGroups.toArray(i)) setGroupEntry(s, i, g, -1, undefined);
  unplaceIntegration(s, i);
  s.allowed[i] = null;
}

/**
 * Loads an integration into the store, replacing what was there; `bulk` during a bulk load (the
 * entry lists then only log the entries).
 */
export function loadIntegration(s: IndexStore, data: PolicyIntegration, bulk?: BulkEntries): void {
  const i = s.integration(data.id);
  bulk?.next(i);
  if (s.workspaceOf(i) >= 0) clearIntegration(s, i);
  const w = s.workspace(data.workspaceId);
  placeIntegration(s, i, w, projectOf(s, w, data.scope));
  s.integrationNames[i] = data.name;
  s.integrationCreators[i] = data.createdBy;
  setAdmins(s, i, data.permissions.admins);
  setOthers(s, i, data.permissions.others);
  // Indexed loops: a bulk load runs these a million times, and an iterator is an allocation.
  const { users, groups } = data.permissions;
  if (bulk !== undefined) {
    for (let k = 0; k < users.length; k++) bulk.nextUser(s, i, users, k);
    for (let k = 0; k < groups.length; k++) bulk.nextGroup(s, i, groups, k);
  } else {
    for (let k = 0; k < users.length; k++) {
      const entry = users[k]!;
      const u = s.user(entry.id);
      setUserEntry(s, i, s.memberSlot(u, w), rankOf(entry.level), entry.expiresAt, u);
    }
    for (let k = 0; k < groups.length; k++) {
      const entry = groups[k]!;
      setGroupEntry(s, i, internGroup(s, w, entry.id), rankOf(entry.level), entry.expiresAt);
    }
  }
  setAllowed(s, i, data.allowedPipelines);
}

/** Loads a member (role, role source, project roles) into the store; its member slot. */
export function loadMember(s: IndexStore, data: PolicyMember): number {
  const w = s.workspace(data.workspaceId);
  const m = s.member(data.userId, w);
  s.memberRole[m] = rankOf(data.role);
  if (data.roleSource === undefined) s.memberRoleSource.delete(m);
  else s.memberRoleSource.set(m, data.roleSource);
  setProjectRoles(s, w, m, data.projectRoles);
  return m;
}

function setProjectRoles(
  s: IndexStore,
  w: number,
  m: number,
  projectRoles: PolicyMember['projectRoles'],
): void {
  s.memberProjects.clear(m);
  if (projectRoles === undefined) return;
  // The keys, then a keyed read each: the records come without prototype (as the snapshot gathers
  // them), held by V8 as dictionaries, whose keys cost a third of their entries (a pair array
  // each). Such a record keeps no enum cache; one built from literals leaves one on its map.
  const projects = Object.keys(projectRoles);
  for (let k = 0; k < projects.length; k++) {
    const project = projects[k]!;
    s.memberProjects.push(m, (internProject(s, w, project) << 2) | rankOf(projectRoles[project]!));
  }
}
