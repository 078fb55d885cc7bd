/**
 * User entries, group entries and group memberships in the index store: the pair tables, their
 * expiry maps, the group masks and the inverted lists kept in step. Internal to the policy index.
 */
import { AT_MASK, groupBit, HAS_EXPIRY, type IndexStore, RECORD } from './index-store.ts';

/** Multiplier making `(integration, subject)` one safe-integer key for the expiry maps. */
const SUBJECT_SPAN = 2 ** 26;

/**
 * User entries are keyed by `(integration, user)`, not by member slot: an integration belongs to
 * one workspace, so the user decides the member, and a decision can probe the table before (in
 * parallel with) reading the integration's record and the member slot.
 */

/** The stored value (rank | HAS_EXPIRY) of member `m`'s entry on integration `i`, or -1. */
export function userEntryValue(s: IndexStore, i: number, m: number): number {
  return s.userTable.get(i, s.memberUser[m]!);
}

/**
 * Sets the level (≥ 0) and expiry of a user entry in the table and the expiry map, without the
 * inverted lists; true when the entry is new (the caller then lists it).
 */
function putUserValue(
  s: IndexStore,
  i: number,
  u: number,
  level: number,
  expiresAt: number | undefined,
): boolean {
  const key = i * SUBJECT_SPAN + u;
  const flag = expiresAt === undefined ? 0 : HAS_EXPIRY;
  if (flag) s.userExpiry.set(key, expiresAt!);
  const previous = s.userTable.set(i, u, level | flag);
  if (!flag && previous >= 0 && (previous & HAS_EXPIRY) !== 0) s.userExpiry.delete(key);
  return previous < 0;
}

/** As {@link putUserValue} for a group entry; also marks the group in the integration's mask. */
function putGroupValue(
  s: IndexStore,
  i: number,
  g: number,
  level: number,
  expiresAt: number | undefined,
): boolean {
  const key = i * SUBJECT_SPAN + g;
  const flag = expiresAt === undefined ? 0 : HAS_EXPIRY;
  if (flag) s.groupExpiry.set(key, expiresAt!);
  const previous = s.groupTable.set(i, g, level | flag);
  if (!flag && previous >= 0 && (previous & HAS_EXPIRY) !== 0) s.groupExpiry.delete(key);
  s.records[i * RECORD + AT_MASK] = s.records[i * RECORD + AT_MASK]! | groupBit(g);
  return previous < 0;
}

/**
 * Sets (level ≥ 0) or removes (level < 0) the user entry of member `m` on integration `i`; `u`,
 * the member's user, when the caller has it (a bulk load saves one random read per entry).
 */
export function setUserEntry(
  s: IndexStore,
  i: number,
  m: number,
  level: number,
  expiresAt: number | undefined,
  u = s.memberUser[m]!,
): void {
  if (level < 0) {
    const previous = s.userTable.delete(i, u);
    if (previous < 0) return;
    if ((previous & HAS_EXPIRY) !== 0) s.userExpiry.delete(i * SUBJECT_SPAN + u);
    s.integrationUsers.removeSwap(i, m);
    s.memberEntries.removeSwap(m, i);
    return;
  }
  if (!putUserValue(s, i, u, level, expiresAt)) return;
  s.integrationUsers.push(i, m);
  s.memberEntries.push(m, i);
}

/** Sets (level ≥ 0) or removes (level < 0) the entry of group `g` on integration `i`. */
export function setGroupEntry(
  s: IndexStore,
  i: number,
  g: number,
  level: number,
  expiresAt: number | undefined,
): void {
  if (level < 0) {
    const previous = s.groupTable.delete(i, g);
    if (previous < 0) return;
    if ((previous & HAS_EXPIRY) !== 0) s.groupExpiry.delete(i * SUBJECT_SPAN + g);
    const groups = s.integrationGroups;
    groups.removeSwap(i, g);
    s.groupEntries.removeSwap(g, i);
    let mask = 0;
    for (let k = 0; k < groups.size(i); k++) mask |= groupBit(groups.at(i, k));
    s.records[i * RECORD + AT_MASK] = mask;
    return;
  }
  if (!putGroupValue(s, i, g, level, expiresAt)) return;
  s.integrationGroups.push(i, g);
  s.groupEntries.push(g, i);
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
