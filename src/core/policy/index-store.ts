/**
 * The storage of the policy index: ids interned to small integers, levels in typed arrays and
 * pair tables, inverted lists for listing. Internal; {@link PolicyIndex} is the public face.
 */
import { PairTable } from './pair-table.ts';
import type { Entry, Level, RoleSource } from './types.ts';
import { LEVELS } from './types.ts';

/** Value flag in an entry table: the entry has an expiry, kept in a side map. */
export const HAS_EXPIRY = 4;
/** The entry of a stored cell value (rank | HAS_EXPIRY) and its expiry. */
export function entryOf(value: number, expiresAt: number): Entry {
  const level = LEVELS[value & 3] as Level;
  return (value & HAS_EXPIRY) === 0 ? { level } : { level, expiresAt };
}

/** Multiplier making `(integration, subject)` one safe-integer key for the expiry maps. */
const SUBJECT_SPAN = 2 ** 26;

function grow<T extends Int32Array | Int8Array | Float64Array>(array: T, needed: number, fill: number): T {
  if (needed <= array.length) return array;
  let length = Math.max(16, array.length);
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.fill(fill);
  next.set(array);
  return next;
}

function removeValue(list: number[] | undefined, value: number): void {
  if (list === undefined) return;
  const at = list.indexOf(value);
  if (at < 0) return;
  list[at] = list[list.length - 1]!;
  list.pop();
}

/** Bit of group `g` in an integration's group mask: a quick "may have an entry of this group" test. */
export function groupBit(g: number): number {
  return 1 << (g & 31);
}

/** Replaces every list by an exact-size copy (lists grown by `push` keep spare capacity). */
export function trimLists(lists: (number[] | undefined)[]): void {
  for (let k = 0; k < lists.length; k++) {
    const list = lists[k];
    if (list !== undefined) lists[k] = list.slice();
  }
}

function listAt(lists: (number[] | undefined)[], index: number): number[] {
  let list = lists[index];
  if (list === undefined) {
    list = [];
    lists[index] = list;
  }
  return list;
}

/** Interned, array-backed policy state. Fields are public to the index modules, not to callers. */
export class IndexStore {
  readonly workspaceKeys = new Map<string, number>();
  readonly workspaceIds: string[] = [];
  /** Per workspace: WORKSPACE-scope integrations, and projects. */
  readonly workspaceBucket: number[][] = [];
  readonly workspaceProjects: number[][] = [];
  /** Per workspace: group id → group, project id → project. */
  readonly workspaceGroupKeys: Map<string, number>[] = [];
  readonly workspaceProjectKeys: Map<string, number>[] = [];

  readonly userKeys = new Map<string, number>();
  readonly userIds: string[] = [];
  /** Per user: its first member slot (-1 when none); further slots chain through `memberNextOfUser`. */
  userFirstMember = new Int32Array(16).fill(-1);

  memberCount = 0;
  memberUser = new Int32Array(16);
  memberWorkspace = new Int32Array(16);
  /** Role rank (0 member, 1 collaborator, 2 admin), -1 when not (or no longer) a member. */
  memberRole = new Int8Array(16).fill(-1);
  /** The next member slot of the same user (another workspace), -1 at the end. */
  memberNextOfUser = new Int32Array(16).fill(-1);
  readonly memberRoleSource: (RoleSource | undefined)[] = [];
  /** Per member: `[project, role rank, project, role rank, …]`, undefined when none. */
  readonly memberProjects: (number[] | undefined)[] = [];
  readonly memberGroups: (number[] | undefined)[] = [];
  /** Per member: integrations where the member has a user entry. */
  readonly memberEntries: (number[] | undefined)[] = [];

  readonly groupIds: string[] = [];
  groupWorkspace = new Int32Array(16);
  readonly groupMembers: (Set<number> | undefined)[] = [];
  /** Per group: integrations where the group has an entry. */
  readonly groupEntries: (number[] | undefined)[] = [];

  readonly projectIds: string[] = [];
  /** Per project: its PROJECT-scope integrations. */
  readonly projectBucket: number[][] = [];

  readonly integrationKeys = new Map<string, number>();
  readonly integrationIds: string[] = [];
  readonly integrationNames: string[] = [];
  readonly integrationCreators: (string | undefined)[] = [];
  /** Workspace of each integration, -1 when deleted. */
  integrationWorkspace = new Int32Array(16).fill(-1);
  /** Project of a PROJECT integration, -1 for WORKSPACE scope. */
  integrationProject = new Int32Array(16).fill(-1);
  /** Admins and others levels (rank | HAS_EXPIRY) and their expiries (Infinity when none). */
  admins = new Int8Array(16);
  others = new Int8Array(16);
  adminsExpiry = new Float64Array(16);
  othersExpiry = new Float64Array(16);
  /** Per integration: the OR of {@link groupBit} of every group with an entry on it. */
  groupMask = new Int32Array(16);
  readonly integrationUsers: number[][] = [];
  readonly integrationGroups: number[][] = [];
  /** Allowed pipelines: null for ALL, else pipeline index → expiry (Infinity when none). */
  readonly allowed: (Map<number, number> | null)[] = [];

  readonly pipelineKeys = new Map<string, number>();
  readonly pipelineIds: string[] = [];
  readonly pipelineNames: (string | undefined)[] = [];
  /** Workspace of each pipeline, -1 when removed. */
  pipelineWorkspace = new Int32Array(16).fill(-1);
  pipelineProject = new Int32Array(16).fill(-1);

  /** User entries `(integration, member)` and group entries `(integration, group)`. */
  readonly userTable: PairTable;
  readonly groupTable: PairTable;
  readonly userExpiry = new Map<number, number>();
  readonly groupExpiry = new Map<number, number>();

  /** Scratch per-integration marks for listing (kept at -1 between calls). */
  scratch = new Int8Array(16).fill(-1);

  /** Creates an empty store sized for about `userEntries` user entries and `groupEntries` group entries. */
  constructor(userEntries = 16, groupEntries = Math.max(16, userEntries >>> 2)) {
    this.userTable = new PairTable(userEntries);
    this.groupTable = new PairTable(groupEntries);
  }

  /** Interns a workspace id. */
  workspace(id: string): number {
    let w = this.workspaceKeys.get(id);
    if (w === undefined) {
      w = this.workspaceIds.push(id) - 1;
      this.workspaceKeys.set(id, w);
      this.workspaceBucket.push([]);
      this.workspaceProjects.push([]);
      this.workspaceGroupKeys.push(new Map());
      this.workspaceProjectKeys.push(new Map());
    }
    return w;
  }

  /** Interns a user id (global). */
  user(id: string): number {
    let u = this.userKeys.get(id);
    if (u === undefined) {
      u = this.userIds.push(id) - 1;
      this.userKeys.set(id, u);
      this.userFirstMember = grow(this.userFirstMember, u + 1, -1);
    }
    return u;
  }

  /** The member slot of user `u` in workspace `w`, or -1. Allocation-free. */
  memberOf(u: number, w: number): number {
    let m = this.userFirstMember[u]!;
    while (m >= 0 && this.memberWorkspace[m] !== w) m = this.memberNextOfUser[m]!;
    return m;
  }

  /** The role rank of member `m` in project `p`, or -1 when it has none. */
  projectRoleOf(m: number, p: number): number {
    const roles = this.memberProjects[m];
    if (roles === undefined) return -1;
    for (let k = 0; k < roles.length; k += 2) if (roles[k] === p) return roles[k + 1]!;
    return -1;
  }

  /** Interns the member slot of (user id, workspace), whether or not the user is a member. */
  member(userId: string, w: number): number {
    const u = this.user(userId);
    const found = this.memberOf(u, w);
    if (found >= 0) return found;
    const m = this.memberCount++;
    this.memberUser = grow(this.memberUser, m + 1, 0);
    this.memberWorkspace = grow(this.memberWorkspace, m + 1, 0);
    this.memberRole = grow(this.memberRole, m + 1, -1);
    this.memberNextOfUser = grow(this.memberNextOfUser, m + 1, -1);
    this.memberUser[m] = u;
    this.memberWorkspace[m] = w;
    this.memberNextOfUser[m] = this.userFirstMember[u]!;
    this.userFirstMember[u] = m;
    this.memberRoleSource.push(undefined);
    this.memberProjects.push(undefined);
    this.memberGroups.push(undefined);
    this.memberEntries.push(undefined);
    return m;
  }

  /** Interns a group of a workspace. */
  group(w: number, id: string): number {
    const keys = this.workspaceGroupKeys[w]!;
    let g = keys.get(id);
    if (g === undefined) {
      g = this.groupIds.push(id) - 1;
      keys.set(id, g);
      this.groupWorkspace = grow(this.groupWorkspace, g + 1, 0);
      this.groupWorkspace[g] = w;
      this.groupMembers.push(undefined);
      this.groupEntries.push(undefined);
    }
    return g;
  }

  /** Interns a project of a workspace. */
  project(w: number, id: string): number {
    const keys = this.workspaceProjectKeys[w]!;
    let p = keys.get(id);
    if (p === undefined) {
      p = this.projectIds.push(id) - 1;
      keys.set(id, p);
      this.projectBucket.push([]);
      this.workspaceProjects[w]!.push(p);
    }
    return p;
  }

  /** Interns an integration id (global). */
  integration(id: string): number {
    let i = this.integrationKeys.get(id);
    if (i === undefined) {
      i = this.integrationIds.push(id) - 1;
      this.integrationKeys.set(id, i);
      const n = i + 1;
      this.integrationWorkspace = grow(this.integrationWorkspace, n, -1);
      this.integrationProject = grow(this.integrationProject, n, -1);
      this.admins = grow(this.admins, n, 0);
      this.others = grow(this.others, n, 0);
      this.adminsExpiry = grow(this.adminsExpiry, n, Number.POSITIVE_INFINITY);
      this.othersExpiry = grow(this.othersExpiry, n, Number.POSITIVE_INFINITY);
      this.groupMask = grow(this.groupMask, n, 0);
      this.scratch = grow(this.scratch, n, -1);
      this.integrationNames.push(id);
      this.integrationCreators.push(undefined);
      this.integrationUsers.push([]);
      this.integrationGroups.push([]);
      this.allowed.push(null);
    }
    return i;
  }

  /** Interns a pipeline id (global). */
  pipeline(id: string): number {
    let q = this.pipelineKeys.get(id);
    if (q === undefined) {
      q = this.pipelineIds.push(id) - 1;
      this.pipelineKeys.set(id, q);
      this.pipelineNames.push(undefined);
      this.pipelineWorkspace = grow(this.pipelineWorkspace, q + 1, -1);
      this.pipelineProject = grow(this.pipelineProject, q + 1, -1);
    }
    return q;
  }

  /** Puts a live integration into its scope bucket (WORKSPACE bucket or its project's). */
  place(i: number, w: number, p: number): void {
    this.integrationWorkspace[i] = w;
    this.integrationProject[i] = p;
    (p < 0 ? this.workspaceBucket[w]! : this.projectBucket[p]!).push(i);
  }

  /** Takes an integration out of its scope bucket. */
  unplace(i: number): void {
    const w = this.integrationWorkspace[i]!;
    if (w < 0) return;
    const p = this.integrationProject[i]!;
    removeValue(p < 0 ? this.workspaceBucket[w] : this.projectBucket[p], i);
    this.integrationWorkspace[i] = -1;
    this.integrationProject[i] = -1;
  }

  /**
   * Sets the level (≥ 0) and expiry of a user entry in the table and the expiry map, without the
   * inverted lists; true when the entry is new (the caller then lists it).
   */
  putUserValue(i: number, m: number, level: number, expiresAt: number | undefined): boolean {
    const key = i * SUBJECT_SPAN + m;
    const flag = expiresAt === undefined ? 0 : HAS_EXPIRY;
    if (flag) this.userExpiry.set(key, expiresAt!);
    const previous = this.userTable.set(i, m, level | flag);
    if (!flag && previous >= 0 && (previous & HAS_EXPIRY) !== 0) this.userExpiry.delete(key);
    return previous < 0;
  }

  /** As {@link putUserValue} for a group entry; also marks the group in the integration's mask. */
  putGroupValue(i: number, g: number, level: number, expiresAt: number | undefined): boolean {
    const key = i * SUBJECT_SPAN + g;
    const flag = expiresAt === undefined ? 0 : HAS_EXPIRY;
    if (flag) this.groupExpiry.set(key, expiresAt!);
    const previous = this.groupTable.set(i, g, level | flag);
    if (!flag && previous >= 0 && (previous & HAS_EXPIRY) !== 0) this.groupExpiry.delete(key);
    this.groupMask[i] = this.groupMask[i]! | groupBit(g);
    return previous < 0;
  }

  /** Sets (level ≥ 0) or removes (level < 0) a user entry. */
  setUserEntry(i: number, m: number, level: number, expiresAt: number | undefined): void {
    const key = i * SUBJECT_SPAN + m;
    if (level < 0) {
      const previous = this.userTable.delete(i, m);
      if (previous < 0) return;
      if ((previous & HAS_EXPIRY) !== 0) this.userExpiry.delete(key);
      removeValue(this.integrationUsers[i], m);
      removeValue(this.memberEntries[m], i);
      return;
    }
    if (!this.putUserValue(i, m, level, expiresAt)) return;
    this.integrationUsers[i]!.push(m);
    listAt(this.memberEntries, m).push(i);
  }

  /** Sets (level ≥ 0) or removes (level < 0) a group entry. */
  setGroupEntry(i: number, g: number, level: number, expiresAt: number | undefined): void {
    const key = i * SUBJECT_SPAN + g;
    if (level < 0) {
      const previous = this.groupTable.delete(i, g);
      if (previous < 0) return;
      if ((previous & HAS_EXPIRY) !== 0) this.groupExpiry.delete(key);
      const groups = this.integrationGroups[i]!;
      removeValue(groups, g);
      removeValue(this.groupEntries[g], i);
      let mask = 0;
      for (let k = 0; k < groups.length; k++) mask |= groupBit(groups[k]!);
      this.groupMask[i] = mask;
      return;
    }
    if (!this.putGroupValue(i, g, level, expiresAt)) return;
    this.integrationGroups[i]!.push(g);
    listAt(this.groupEntries, g).push(i);
  }

  /** Expiry of a user entry whose value carries {@link HAS_EXPIRY}. */
  userEntryExpiry(i: number, m: number): number {
    return this.userExpiry.get(i * SUBJECT_SPAN + m) ?? Number.POSITIVE_INFINITY;
  }

  /** Expiry of a group entry whose value carries {@link HAS_EXPIRY}. */
  groupEntryExpiry(i: number, g: number): number {
    return this.groupExpiry.get(i * SUBJECT_SPAN + g) ?? Number.POSITIVE_INFINITY;
  }

  /** The group of a workspace by id, or -1 (without interning). */
  findGroup(w: number, id: string): number {
    return this.workspaceGroupKeys[w]?.get(id) ?? -1;
  }

  /** The project of a workspace by id, or -1 (without interning). */
  findProject(w: number, id: string): number {
    return this.workspaceProjectKeys[w]?.get(id) ?? -1;
  }

  /**
   * Trims every inverted list to its length (lists grown by `push` keep spare capacity): called
   * once after a bulk load, so the index holds no slack.
   */
  compact(): void {
    for (const lists of [
      this.workspaceBucket,
      this.workspaceProjects,
      this.memberGroups,
      this.memberEntries,
      this.memberProjects,
      this.groupEntries,
      this.projectBucket,
      this.integrationUsers,
      this.integrationGroups,
    ])
      trimLists(lists);
  }

  /** Adds or removes member `m` in group `g`. */
  setGroupMember(g: number, m: number, member: boolean): void {
    let set = this.groupMembers[g];
    if (set === undefined) {
      set = new Set();
      this.groupMembers[g] = set;
    }
    if (member === set.has(m)) return;
    if (member) {
      set.add(m);
      listAt(this.memberGroups, m).push(g);
    } else {
      set.delete(m);
      removeValue(this.memberGroups[m], g);
    }
  }
}
