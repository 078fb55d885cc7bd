/**
 * The entries of a bulk load: resolved in one tight pass, then logged in their subjects' lists
 * while the integrations load, the integrations' own lists adopted whole at the end. Internal to
 * {@link PolicyIndex.build} (`index-bulk.ts`).
 */

import { putExpiry, SUBJECT_SPAN } from './index-entries.ts';
import { AT_MASK, groupBit, grow, HAS_EXPIRY, RECORD } from './index-layout.ts';
import type { ListPool } from './index-lists.ts';
import { cellValue } from './index-load.ts';
import { internGroup } from './index-scopes.ts';
import type { IndexStore } from './index-store.ts';
import type { UserSeqs } from './index-user-seqs.ts';
import type { PolicyIntegration, SubjectEntry } from './types.ts';

/** What a bulk load expects to hold: it sizes the arrays once instead of doubling them. */
export interface BulkSize {
  readonly userEntries: number;
  readonly groupEntries: number;
  readonly members: number;
  readonly integrations: number;
}

/**
 * Per subject (member or group): the number of the last integration load that named it and
 * where its logged item went, so a subject named twice in one integration keeps its last entry.
 */
export class Seen {
  private load: Int32Array = new Int32Array(16).fill(-1);
  private at: Int32Array = new Int32Array(16);

  /** Where subject `x`'s item of load `load` was logged, or -1 when this load has not named it. */
  loggedAt(x: number, load: number): number {
    return x < this.load.length && this.load[x] === load ? this.at[x]! : -1;
  }

  /** Remembers that load `load` logged subject `x`'s item at `at`. */
  mark(x: number, load: number, at: number): void {
    this.load = grow(this.load, x + 1, -1);
    this.at = grow(this.at, x + 1, 0);
    this.load[x] = load;
    this.at[x] = at;
  }
}

/** Thrown by an adopting bulk load that meets an integration a second time; the load starts over without adopting. */
export class RepeatedIntegration extends Error {}

/**
 * The bulk-load form of {@link setUserEntry} for a fresh integration `i`: the lists only log the
 * entry (they are placed, in integration order, when the load settles). A subject named twice in
 * one integration keeps its last entry.
 *
 * Adopting (the usual case: every integration of the input once), the integrations' own lists of
 * users and groups are the resolved entries themselves, in load order: no append per entry, and
 * {@link adoptLists} hands them to the pools at the end, without the entries a later one of the
 * same subject replaced. An integration loaded twice ends an adopting load
 * ({@link RepeatedIntegration}), since replacing it reads its lists.
 */
export class BulkEntries {
  private readonly users = new Seen();
  private readonly groups = new Seen();
  private load = 0;
  private readonly adopting: boolean;
  /** Integrations loaded so far: while adopting, integration `i` must be the `i`-th. */
  private loaded = 0;
  /** Per integration of the input: where its user (group) entries end in the resolved arrays. */
  private userEnds: Int32Array<ArrayBuffer> = new Int32Array(1);
  private groupEnds: Int32Array<ArrayBuffer> = new Int32Array(1);
  /** Whether an entry replaced an earlier one of the same subject (and is marked -1). */
  private userRepeats = false;
  private groupRepeats = false;
  /**
   * Per user entry of the load, in load order: its member slot and its value (rank |
   * HAS_EXPIRY), and the next one to use; likewise per group entry, its group.
   */
  private members: Int32Array<ArrayBuffer> = new Int32Array(0);
  private values: Int8Array<ArrayBuffer> = new Int8Array(0);
  private cursor = 0;
  private groupNumbers: Int32Array<ArrayBuffer> = new Int32Array(0);
  private groupValues: Int8Array<ArrayBuffer> = new Int8Array(0);
  private groupCursor = 0;

  constructor(adopting: boolean) {
    this.adopting = adopting;
  }

  /**
   * Resolves every user entry of `integrations` to its member slot and value, and every group
   * entry to its group and value, in one tight pass before the load: a million id lookups in a
   * loop that does nothing else overlap their memory reads (about four times faster than one
   * lookup per entry amid the rest of the load), and the load itself then reads no entry object
   * again (unless it carries an expiry). A user entry whose number `seqs` knows for the same id
   * is found by the number.
   */
  resolve(
    s: IndexStore,
    integrations: readonly PolicyIntegration[],
    expected: BulkSize,
    seqs: UserSeqs | undefined,
  ): void {
    const total = expected.userEntries;
    const groupTotal = expected.groupEntries;
    const members = new Int32Array(total);
    const values = new Int8Array(total);
    const groups = new Int32Array(groupTotal);
    const groupValues = new Int8Array(groupTotal);
    const userEnds = new Int32Array(integrations.length + 1);
    const groupEnds = new Int32Array(integrations.length + 1);
    let at = 0;
    let groupAt = 0;
    for (let k = 0; k < integrations.length; k++) {
      const data = integrations[k]!;
      const w = s.workspace(data.workspaceId);
      const users = data.permissions.users;
      for (let j = 0; j < users.length; j++) {
        const entry = users[j]!;
        const m = seqs === undefined ? -1 : seqs.member(s, entry.userSeq, entry.id, w);
        members[at] = m >= 0 ? m : s.member(entry.id, w);
        values[at++] = cellValue(entry);
      }
      const groupEntries = data.permissions.groups;
      for (let j = 0; j < groupEntries.length; j++) {
        const entry = groupEntries[j]!;
        groups[groupAt] = internGroup(s, w, entry.id);
        groupValues[groupAt++] = cellValue(entry);
      }
      userEnds[k + 1] = at;
      groupEnds[k + 1] = groupAt;
    }
    this.userEnds = userEnds;
    this.groupEnds = groupEnds;
    this.members = members;
    this.values = values;
    this.cursor = 0;
    this.groupNumbers = groups;
    this.groupValues = groupValues;
    this.groupCursor = 0;
  }

  /** Logs the next user entry of the load (resolved by {@link resolve}), on integration `i`. */
  nextUser(s: IndexStore, i: number, entries: readonly SubjectEntry[], k: number): void {
    const at = this.cursor++;
    const m = this.members[at]!;
    const value = this.values[at]!;
    const expiresAt = (value & HAS_EXPIRY) === 0 ? undefined : entries[k]!.expiresAt;
    const item = (i << 3) | value;
    const key = i * SUBJECT_SPAN + s.memberUser[m]!;
    if (this.log(this.users, s.memberEntries, s.userExpiry, key, m, item, expiresAt)) {
      if (!this.adopting) s.integrationUsers.push(i, m);
      s.userEntryCount++;
    } else {
      // The integration's list keeps the subject where it first came.
      this.members[at] = -1;
      this.userRepeats = true;
    }
  }

  /**
   * Starts the entries of integration `i`, before anything of it loads. A fresh store numbers
   * integrations in the order first seen, so one named again is numbered below the count loaded.
   */
  next(i: number): void {
    if (this.adopting && i !== this.loaded) throw new RepeatedIntegration();
    this.loaded++;
    this.load++;
  }

  /** Hands the integrations their lists of users and groups (adopting, once every integration has loaded). */
  adoptLists(s: IndexStore): void {
    if (!this.adopting) return;
    s.integrationUsers.adopt(...keptLists(this.members, this.userEnds, this.userRepeats));
    s.integrationGroups.adopt(...keptLists(this.groupNumbers, this.groupEnds, this.groupRepeats));
  }

  /**
   * Logs `item` (`integration << 3 | value`) in subject `x`'s list of `pool` and its expiry under
   * `key` in `expiries`, or, when this load already logged one for `x`, replaces that one (the
   * last entry wins); true when the entry is new.
   */
  private log(
    seen: Seen,
    pool: ListPool,
    expiries: Map<number, number>,
    key: number,
    x: number,
    item: number,
    expiresAt: number | undefined,
  ): boolean {
    const logged = seen.loggedAt(x, this.load);
    if (expiresAt !== undefined || logged >= 0) putExpiry(expiries, key, expiresAt);
    if (logged >= 0) {
      pool.setLogged(logged, item);
      return false;
    }
    seen.mark(x, this.load, pool.push(x, item));
    return true;
  }

  /** Logs the next group entry of the load (resolved by {@link resolve}), on integration `i`. */
  nextGroup(s: IndexStore, i: number, entries: readonly SubjectEntry[], k: number): void {
    const at = this.groupCursor++;
    const value = this.groupValues[at]!;
    const expiresAt = (value & HAS_EXPIRY) === 0 ? undefined : entries[k]!.expiresAt;
    const g = this.groupNumbers[at]!;
    const key = i * SUBJECT_SPAN + g;
    if (this.log(this.groups, s.groupEntries, s.groupExpiry, key, g, (i << 3) | value, expiresAt)) {
      // A new group entry also marks the group in the integration's mask.
      s.setMask(i, s.records[i * RECORD + AT_MASK]! | groupBit(g));
      if (!this.adopting) s.integrationGroups.push(i, g);
      s.groupEntryCount++;
    } else {
      this.groupNumbers[at] = -1;
      this.groupRepeats = true;
    }
  }
}

/**
 * The lists (`items`, list `k` ending at `ends[k + 1]`) as a pool adopts them: as they are, or,
 * with `repeats`, without the items marked -1.
 */
function keptLists(items: Int32Array, ends: Int32Array, repeats: boolean): [Int32Array, Int32Array] {
  if (!repeats) return [items, ends];
  let kept = 0;
  for (let k = 0; k < items.length; k++) if (items[k]! >= 0) kept++;
  const out = new Int32Array(kept);
  const start = new Int32Array(ends.length);
  let to = 0;
  for (let list = 0; list + 1 < ends.length; list++) {
    start[list] = to;
    for (let k = ends[list]!; k < ends[list + 1]!; k++) if (items[k]! >= 0) out[to++] = items[k]!;
  }
  start[ends.length - 1] = to;
  return [out, start];
}
