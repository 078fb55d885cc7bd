/**
 * User entries, group entries and group memberships in the index store. An entry lives with its
 * subject: member `m`'s list in `memberEntries` and group `g`'s list in `groupEntries` hold
 * `integration << 3 | value` (value = rank | HAS_EXPIRY), sorted by integration, one item per
 * integration; the integration side (`integrationUsers`, `integrationGroups`) lists the subjects.
 * A decision reads the deciding user's own short list and those of the user's groups, which stay
 * in cache while the user is active, instead of probing a table the size of every entry. Expiries
 * sit in side maps. Internal to the policy index.
 */

import { AT_MASK, groupBit, HAS_EXPIRY, RECORD, SUBJECT_LIMIT } from './index-layout.ts';
import type { ListPool } from './index-lists.ts';
import type { IndexStore } from './index-store.ts';

/** Multiplier making `(integration, subject)` one safe-integer key for the expiry maps. */
export const SUBJECT_SPAN = SUBJECT_LIMIT;
/** Lists up to this long are scanned; longer ones are searched by halves. */
const SCAN = 16;

/**
 * Where integration `i` is, or would go, in the sorted items `[from, to)`: the first position
 * whose integration is `i` or above. Halves while the range is long (that position stays within
 * `[lo, hi]`), then scans.
 */
function firstAtLeast(items: Int32Array, from: number, to: number, i: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > SCAN) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! >> 3 < i) lo = mid + 1;
    else hi = mid;
  }
  while (lo < to && items[lo]! >> 3 < i) lo++;
  return lo;
}

/**
 * The position of integration `i` in the sorted entry list `list` of `pool`, or `-(insertion
 * point) - 1` when absent.
 */
export function entryPosition(pool: ListPool, list: number, i: number): number {
  pool.settled();
  const from = pool.start[list]!;
  const to = pool.end(list);
  const at = firstAtLeast(pool.items, from, to, i);
  return at < to && pool.items[at]! >> 3 === i ? at - from : -(at - from) - 1;
}

/**
 * The stored value (rank | HAS_EXPIRY) of integration `i` in entry list `list` of `pool`, or -1:
 * the decision's hot path, which reads a settled pool (any index outside a bulk load).
 */
export function entryValueIn(pool: ListPool, list: number, i: number): number {
  const items = pool.items;
  const to = pool.end(list);
  const at = firstAtLeast(items, pool.start[list]!, to, i);
  return at < to && items[at]! >> 3 === i ? items[at]! & 7 : -1;
}

/** The stored value (rank | HAS_EXPIRY) of member `m`'s entry on integration `i`, or -1. */
export function userEntryValue(s: IndexStore, i: number, m: number): number {
  if (m < 0) return -1;
  s.memberEntries.settled();
  return entryValueIn(s.memberEntries, m, i);
}

/** The stored value (rank | HAS_EXPIRY) of group `g`'s entry on integration `i`, or -1. */
export function groupEntryValue(s: IndexStore, i: number, g: number): number {
  if (g < 0) return -1;
  s.groupEntries.settled();
  return entryValueIn(s.groupEntries, g, i);
}

/** Keeps an entry's expiry in its side map: set with HAS_EXPIRY, removed without. */
export function putExpiry(expiries: Map<number, number>, key: number, expiresAt: number | undefined): void {
  if (expiresAt === undefined) expiries.delete(key);
  else expiries.set(key, expiresAt);
}

/**
 * Sets `value` for integration `i` in the sorted entry list `list` (or removes it, `value` < 0);
 * returns the previous value or -1.
 */
function putEntry(pool: ListPool, list: number, i: number, value: number): number {
  const k = entryPosition(pool, list, i);
  if (k >= 0) {
    const previous = pool.at(list, k) & 7;
    if (value < 0) pool.removeAt(list, k);
    else pool.setAt(list, k, (i << 3) | value);
    return previous;
  }
  if (value >= 0) pool.insertAt(list, -k - 1, (i << 3) | value);
  return -1;
}

/**
 * Sets (level ≥ 0) or removes (level < 0) the user entry of member `m` on integration `i`;
 * `u`, the member's user, keys the expiry.
 */
export function setUserEntry(
  s: IndexStore,
  i: number,
  m: number,
  level: number,
  expiresAt: number | undefined,
  u = s.memberUser[m]!,
): void {
  const key = i * SUBJECT_SPAN + u;
  if (level < 0) {
    const previous = putEntry(s.memberEntries, m, i, -1);
    if (previous < 0) return;
    if ((previous & HAS_EXPIRY) !== 0) s.userExpiry.delete(key);
    s.integrationUsers.removeSwap(i, m);
    s.userEntryCount--;
    return;
  }
  putExpiry(s.userExpiry, key, expiresAt);
  const previous = putEntry(s.memberEntries, m, i, level | (expiresAt === undefined ? 0 : HAS_EXPIRY));
  if (previous >= 0) return;
  s.integrationUsers.push(i, m);
  s.userEntryCount++;
}

/** Sets (level ≥ 0) or removes (level < 0) the entry of group `g` on integration `i`. */
export function setGroupEntry(
  s: IndexStore,
  i: number,
  g: number,
  level: number,
  expiresAt: number | undefined,
): void {
  const key = i * SUBJECT_SPAN + g;
  if (level < 0) {
    const previous = putEntry(s.groupEntries, g, i, -1);
    if (previous < 0) return;
    if ((previous & HAS_EXPIRY) !== 0) s.groupExpiry.delete(key);
    const groups = s.integrationGroups;
    groups.removeSwap(i, g);
    let mask = 0;
    for (let k = 0; k < groups.size(i); k++) mask |= groupBit(groups.at(i, k));
    s.setMask(i, mask);
    s.groupEntryCount--;
    return;
  }
  putExpiry(s.groupExpiry, key, expiresAt);
  const previous = putEntry(s.groupEntries, g, i, level | (expiresAt === undefined ? 0 : HAS_EXPIRY));
  if (previous >= 0) return;
  s.setMask(i, s.records[i * RECORD + AT_MASK]! | groupBit(g));
  s.integrationGroups.push(i, g);
  s.groupEntryCount++;
}

/** Expiry of member `m`'s entry on integration `i` when its value carries {@link HAS_EXPIRY}. */
export function userEntryExpiry(s: IndexStore, i: number, m: number): number {
  return s.userExpiry.get(i * SUBJECT_SPAN + s.memberUser[m]!) ?? Number.POSITIVE_INFINITY;
}

/** Expiry of a group entry whose value carries {@link HAS_EXPIRY}. */
export function groupEntryExpiry(s: IndexStore, i: number, g: number): number {
  return s.groupExpiry.get(i * SUBJECT_SPAN + g) ?? Number.POSITIVE_INFINITY;
}

/** Whether member `m` is in group `g` (looked up in the member's own, short, list of groups). */
export function inGroup(s: IndexStore, g: number, m: number): boolean {
  return s.memberGroups.includes(m, g);
}

/** Adds or removes member `m` in group `g`. */
export function setGroupMember(s: IndexStore, g: number, m: number, member: boolean): void {
  if (member === inGroup(s, g, m)) return;
  if (member) {
    s.groupMembers.push(g, m);
    s.memberGroups.push(m, g);
  } else {
    s.groupMembers.removeOrdered(g, m);
    s.memberGroups.removeSwap(m, g);
  }
}
