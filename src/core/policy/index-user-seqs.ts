/**
 * Users named by sequence number in a bulk load. The store gives every user a small integer
 * (`users.seq`) and writes it beside the user's id in every entry and group membership, and the
 * snapshot hands each of those rows the member's own id string with its number. A bulk load then
 * finds the user's member slot by one read of this table and a pointer comparison of the ids,
 * instead of decoding the id and probing the id table (about 50 against 150–300 ns an entry on
 * this project's machine; 1.1 million of them at 1M entries). The number is only a hint: it is
 * used when it names a member whose user id equals the row's (by pointer when the input shares
 * the string, else by its characters), and the id decides otherwise. Internal to
 * {@link PolicyIndex.build}.
 */
import type { IndexStore } from './index-store.ts';
import type { PolicyMember } from './types.ts';

/** Numbers at or above this multiple of the members' count (plus a margin) are not indexed. */
const DENSITY = 4;
const MARGIN = 1_024;
/** Ints per number: the member slot + 1 (0: none), its workspace, its user. */
const STRIDE = 3;

/** Whether `seq` is a number this table can index: a non-negative int32. */
const isSeq = (seq: number | undefined): seq is number =>
  seq !== undefined && seq >>> 0 === seq && seq < 2 ** 31;

export class UserSeqs {
  private readonly slots: Int32Array;

  private constructor(size: number) {
    this.slots = new Int32Array(size * STRIDE);
  }

  /**
   * The table for `members`' numbers, or undefined when none carries one or they are too sparse to
   * index by an array (the ids then decide alone).
   */
  static of(members: readonly PolicyMember[]): UserSeqs | undefined {
    let max = -1;
    for (let k = 0; k < members.length; k++) {
      const seq = members[k]!.userSeq;
      if (isSeq(seq) && seq > max) max = seq;
    }
    if (max < 0 || max >= DENSITY * members.length + MARGIN) return undefined;
    return new UserSeqs(max + 1);
  }

  /** Notes that `seq` names the user of member slot `m` (the last member noted for a number wins). */
  note(s: IndexStore, seq: number | undefined, m: number): void {
    if (!isSeq(seq) || seq * STRIDE >= this.slots.length) return;
    const at = seq * STRIDE;
    this.slots[at] = m + 1;
    this.slots[at + 1] = s.memberWorkspace[m]!;
    this.slots[at + 2] = s.memberUser[m]!;
  }

  /**
   * The member slot in workspace `w` of the user `seq` names, when that user's id is `id`; -1 when
   * the number names no noted user, a user with another id, or one without a slot in `w`.
   */
  member(s: IndexStore, seq: number | undefined, id: string, w: number): number {
    if (!isSeq(seq)) return -1;
    const at = seq * STRIDE;
    const slots = this.slots;
    // Beyond the table reads undefined, which is no member either.
    const m = (slots[at] ?? 0) - 1;
    if (m < 0) return -1;
    const u = slots[at + 2]!;
    if (s.userIds[u] !== id) return -1;
    return slots[at + 1] === w ? m : s.memberOf(u, w);
  }
}
