/**
 * The storage of the policy index: ids interned to small integers, one packed record per
 * integration, and the entry and inverted lists pooled in typed arrays. Internal;
 * {@link PolicyIndex} is the public face. The layout's constants and limits live in
 * `index-layout.ts`, groups, projects, pipelines and the scope buckets in `index-scopes.ts`, entry
 * changes in `index-entries.ts`, the bulk load in `index-bulk.ts`.
 */

import { NUMBER, PAYLOAD, UuidKeys } from './id-keys.ts';
import {
  AT_CELLS,
  AT_MASK,
  AT_PROJECT,
  AT_WORKSPACE,
  capacityError,
  grow,
  INDEX_LIMITS,
  type IndexLimits,
  PROJECT_BITS,
  RECORD,
  SLOT_HEAD,
  SLOT_HEAD_WORKSPACE,
  SLOT_MASK,
  SLOT_PROJECT_CELLS,
  SLOT_WORKSPACE,
} from './index-layout.ts';
import { ListPool } from './index-lists.ts';
import type { RoleSource } from './types.ts';

/** Interned, array-backed policy state. Fields are public to the index modules, not to callers. */
export class IndexStore {
  /** At most this many ids of each kind; beyond, interning throws (callers ask `roomFor` first). */
  readonly limits: IndexLimits;

  constructor(limits: IndexLimits = INDEX_LIMITS) {
    this.limits = limits;
  }

  readonly workspaceKeys = new Map<string, number>();
  readonly workspaceIds: string[] = [];
  /** Per workspace: WORKSPACE-scope integrations, and projects. */
  readonly workspaceBucket: number[][] = [];
  readonly workspaceProjects: number[][] = [];
  /** Per workspace: every live integration id as an admin lists them, kept until a bucket changes. */
  readonly workspaceListing: (readonly string[] | undefined)[] = [];
  /** Per workspace: group id → group, project id → project. */
  readonly workspaceGroupKeys: Map<string, number>[] = [];
  readonly workspaceProjectKeys: Map<string, number>[] = [];

  /** User ids interned to user numbers (canonical UUIDs packed, as integration ids). */
  readonly userKeys = new UuidKeys();
  /** Per user: its first member slot (-1 when none); further slots chain through `memberNextOfUser`. */
  userFirstMember = new Int32Array(16).fill(-1);

  memberCount = 0;
  memberUser = new Int32Array(16);
  memberWorkspace = new Int32Array(16);
  /** Role rank (0 member, 1 collaborator, 2 admin), -1 when not (or no longer) a member. */
  memberRole = new Int8Array(16).fill(-1);
  /** The next member slot of the same user (another workspace), -1 at the end. */
  memberNextOfUser = new Int32Array(16).fill(-1);
  /** Role sources of the members that have one (most have none). */
  readonly memberRoleSource = new Map<number, RoleSource>();
  /** Per member: its project roles, each `project << 2 | role rank`. */
  readonly memberProjects = new ListPool();
  /** Per member: its groups (in the order joined). */
  readonly memberGroups = new ListPool();
  /** Per member: its user entries, `integration << 3 | value`, sorted (see `index-entries.ts`). */
  readonly memberEntries = new ListPool(true);

  groupIds: string[] = [];
  groupWorkspace = new Int32Array(16);
  /** Per group: its members, in the order they joined. */
  readonly groupMembers = new ListPool();
  /** Per group: its entries, `integration << 3 | value`, sorted (see `index-entries.ts`). */
  readonly groupEntries = new ListPool(true);

  readonly projectIds: string[] = [];
  /** Per project: its PROJECT-scope integrations. */
  readonly projectBucket: number[][] = [];

  /** Integration ids interned to integration numbers. */
  readonly integrationKeys = new UuidKeys();
  integrationNames: string[] = [];
  integrationCreators: (string | undefined)[] = [];
  /** Per integration a record of {@link RECORD} int32 (workspace, project, group mask, cells). */
  records = new Int32Array(16 * RECORD);
  /** Expiries of the admins (`2i`) and others (`2i + 1`) cells that carry HAS_EXPIRY. */
  readonly cellExpiry = new Map<number, number>();
  /** Per integration: members with a user entry, groups with a group entry. */
  readonly integrationUsers = new ListPool();
  readonly integrationGroups = new ListPool();
  /** Allowed pipelines: null for ALL, else pipeline index → expiry (Infinity when none). */
  allowed: (Map<number, number> | null)[] = [];

  readonly pipelineKeys = new Map<string, number>();
  readonly pipelineIds: string[] = [];
  readonly pipelineNames: (string | undefined)[] = [];
  /** Workspace of each pipeline, -1 when removed. */
  pipelineWorkspace = new Int32Array(16).fill(-1);
  pipelineProject = new Int32Array(16).fill(-1);

  /** Numbers of user entries and group entries. */
  userEntryCount = 0;
  groupEntryCount = 0;
  /** Expiries of entries that carry HAS_EXPIRY, by `integration * 2^26 + subject`. */
  readonly userExpiry = new Map<number, number>();
  readonly groupExpiry = new Map<number, number>();

  /** Scratch per-integration marks for listing (kept at -1 between calls). */
  scratch = new Int8Array(16).fill(-1);

  /** The workspace of integration `i`, -1 when deleted. */
  workspaceOf(i: number): number {
    return this.records[i * RECORD + AT_WORKSPACE]!;
  }

  /** The project of integration `i`, -1 for WORKSPACE scope. */
  projectOf(i: number): number {
    return this.records[i * RECORD + AT_PROJECT]!;
  }

  /** The admins cell value of integration `i` (rank | HAS_EXPIRY). */
  adminsValue(i: number): number {
    return this.records[i * RECORD + AT_CELLS]! & 7;
  }

  /** The others cell value of integration `i` (rank | HAS_EXPIRY). */
  othersValue(i: number): number {
    return (this.records[i * RECORD + AT_CELLS]! >> 3) & 7;
  }

  /** The expiry of integration `i`'s admins cell (Infinity when none). */
  adminsExpiry(i: number): number {
    return this.cellExpiry.get(2 * i) ?? Number.POSITIVE_INFINITY;
  }

  /** The expiry of integration `i`'s others cell (Infinity when none). */
  othersExpiry(i: number): number {
    return this.cellExpiry.get(2 * i + 1) ?? Number.POSITIVE_INFINITY;
  }

  /** Sets the group mask of integration `i` (bit `groupBit(g)` for each group with an entry). */
  setMask(i: number, mask: number): void {
    this.records[i * RECORD + AT_MASK] = mask;
    this.mirror(i);
  }

  /**
   * Copies integration `i`'s record (workspace, project with cells, group mask) into the payload
   * of its id's slot in the packed id table (when its id is there), so a decision by id reads no
   * record but the line it found the id in. Every write of the record goes through here.
   */
  mirror(i: number): void {
    const keys = this.integrationKeys;
    const at = keys.slotOf(i);
    if (at < 0) return;
    const table = keys.table;
    const from = i * RECORD;
    const records = this.records;
    table[at + PAYLOAD + SLOT_WORKSPACE] = records[from + AT_WORKSPACE]!;
    table[at + PAYLOAD + SLOT_PROJECT_CELLS] =
      (records[from + AT_PROJECT]! + 1) | (records[from + AT_CELLS]! << PROJECT_BITS);
    table[at + PAYLOAD + SLOT_MASK] = records[from + AT_MASK]!;
  }

  /** Copies every integration's record into its id's slot: when the packed id table starts. */
  private mirrorAll(): void {
    for (let i = 0; i < this.integrationKeys.size; i++) this.mirror(i);
  }

  /** Makes room for `count` integrations in all (a bulk load). */
  reserveIntegrations(count: number): void {
    const keys = this.integrationKeys;
    const packed = keys.packed;
    keys.reserve(count);
    if (!packed && keys.packed) this.mirrorAll();
  }

  /** Sets the admins (`which` 0) or others (`which` 3) cell of integration `i`. */
  setCell(i: number, which: 0 | 3, value: number, expiresAt: number | undefined): void {
    const at = i * RECORD + AT_CELLS;
    this.records[at] = (this.records[at]! & ~(7 << which)) | (value << which);
    this.mirror(i);
    const key = 2 * i + (which === 0 ? 0 : 1);
    if (expiresAt === undefined) this.cellExpiry.delete(key);
    else this.cellExpiry.set(key, expiresAt);
  }

  /** The last workspace id interned and its number: a bulk load names one workspace again and again. */
  private lastWorkspaceId: string | undefined;
  private lastWorkspace = -1;

  /** Interns a workspace id. */
  workspace(id: string): number {
    if (id === this.lastWorkspaceId) return this.lastWorkspace;
    let w = this.workspaceKeys.get(id);
    if (w === undefined) {
      w = this.workspaceIds.push(id) - 1;
      this.workspaceKeys.set(id, w);
      this.workspaceBucket.push([]);
      this.workspaceProjects.push([]);
      this.workspaceGroupKeys.push(new Map());
      this.workspaceProjectKeys.push(new Map());
    }
    this.lastWorkspaceId = id;
    this.lastWorkspace = w;
    return w;
  }

  /** User ids by user number. */
  get userIds(): readonly string[] {
    return this.userKeys.ids;
  }

  /** Integration ids by integration number. */
  get integrationIds(): readonly string[] {
    return this.integrationKeys.ids;
  }

  /** Interns a user id (global). */
  user(id: string): number {
    const u = this.userKeys.get(id);
    return u >= 0 ? u : this.newUser(id);
  }

  /** Adds user `id`, which the last lookup of the user keys did not find. */
  private newUser(id: string): number {
    const keys = this.userKeys;
    if (keys.size >= this.limits.users) throw capacityError('users');
    const packed = keys.packed;
    const u = keys.add(id);
    this.userFirstMember = grow(this.userFirstMember, u + 1, -1);
    this.userFirstMember[u] = -1;
    // The table may have started with this id: then every user's newest member is copied in.
    if (!packed && keys.packed) this.mirrorUsers();
    return u;
  }

  /** Makes room for `count` users in all (a bulk load). */
  reserveUsers(count: number): void {
    const keys = this.userKeys;
    const packed = keys.packed;
    keys.reserve(count);
    if (!packed && keys.packed) this.mirrorUsers();
  }

  /**
   * Copies user `u`'s newest member slot and its workspace into the payload of the user id's slot
   * in the packed id table (when the id is there); every change of the newest member goes through
   * here (a member slot, once made, is never removed or moved).
   */
  private mirrorUser(u: number): void {
    const keys = this.userKeys;
    const at = keys.slotOf(u);
    if (at < 0) return;
    const m = this.userFirstMember[u]!;
    keys.table[at + PAYLOAD + SLOT_HEAD] = m + 1;
    keys.table[at + PAYLOAD + SLOT_HEAD_WORKSPACE] = m < 0 ? -1 : this.memberWorkspace[m]!;
  }

  /** Copies every user's newest member into its id's slot: when the packed id table starts. */
  private mirrorUsers(): void {
    for (let u = 0; u < this.userKeys.size; u++) this.mirrorUser(u);
  }

  /**
   * The member slot of user `u` in workspace `w`, read from the user id's slot when the last lookup
   * of the user keys found `u` in the packed table and its newest member is in `w`, else
   * {@link memberOf}.
   */
  memberFound(u: number, w: number): number {
    const keys = this.userKeys;
    const at = keys.lastAt;
    if (at >= 0) {
      const table = keys.table;
      if (table[at + NUMBER]! === u + 1 && table[at + PAYLOAD + SLOT_HEAD_WORKSPACE] === w) {
        const m = table[at + PAYLOAD + SLOT_HEAD]! - 1;
        if (m >= 0) return m;
      }
    }
    return this.memberOf(u, w);
  }

  /** The member slot of user `u` in workspace `w`, or -1. Allocation-free. */
  memberOf(u: number, w: number): number {
    let m = this.userFirstMember[u]!;
    while (m >= 0 && this.memberWorkspace[m] !== w) m = this.memberNextOfUser[m]!;
    return m;
  }

  /** The role rank of member `m` in project `p`, or -1 when it has none. */
  projectRoleOf(m: number, p: number): number {
    const roles = this.memberProjects;
    const items = roles.items;
    const to = roles.end(m);
    for (let k = roles.start[m]!; k < to; k++) if (items[k]! >> 2 === p) return items[k]! & 3;
    return -1;
  }

  /**
   * Interns the member slot of (user id, workspace), whether or not the user is a member. A slot
   * that exists is found by one lookup and no interning (a bulk load asks this a million times:
   * build CPU -13 % at 1M entries, same process).
   */
  member(userId: string, w: number): number {
    const u = this.userKeys.get(userId);
    if (u < 0) return this.memberSlot(this.newUser(userId), w);
    const m = this.memberFound(u, w);
    return m >= 0 ? m : this.memberSlot(u, w);
  }

  /** Interns the member slot of (interned user `u`, workspace `w`). */
  memberSlot(u: number, w: number): number {
    const found = this.memberOf(u, w);
    if (found >= 0) return found;
    const m = this.memberCount++;
    this.memberUser = grow(this.memberUser, m + 1, 0);
    this.memberWorkspace = grow(this.memberWorkspace, m + 1, 0);
    this.memberRole = grow(this.memberRole, m + 1, -1);
    this.memberNextOfUser = grow(this.memberNextOfUser, m + 1, -1);
    this.memberUser[m] = u;
    this.memberWorkspace[m] = w;
    this.memberRole[m] = -1;
    this.memberNextOfUser[m] = this.userFirstMember[u]!;
    this.userFirstMember[u] = m;
    this.mirrorUser(u);
    this.memberProjects.ensureList(m);
    this.memberGroups.ensureList(m);
    this.memberEntries.ensureList(m);
    return m;
  }

  /** Interns an integration id (global); a new one is deleted (workspace -1) until placed. */
  integration(id: string): number {
    const keys = this.integrationKeys;
    const found = keys.get(id);
    if (found >= 0) return found;
    if (keys.size >= this.limits.integrations) throw capacityError('integrations');
    const packed = keys.packed;
    const i = keys.add(id);
    const n = i + 1;
    this.records = grow(this.records, n * RECORD, 0);
    this.records[i * RECORD + AT_WORKSPACE] = -1;
    this.records[i * RECORD + AT_PROJECT] = -1;
    // The table may have started with this id: then every record is copied in.
    if (!packed && keys.packed) this.mirrorAll();
    else this.mirror(i);
    this.scratch = grow(this.scratch, n, -1);
    this.integrationNames.push(id);
    this.integrationCreators.push(undefined);
    this.integrationUsers.ensureList(i);
    this.integrationGroups.ensureList(i);
    this.allowed.push(null);
    return i;
  }
}
