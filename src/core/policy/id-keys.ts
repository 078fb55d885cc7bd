/**
 * Ids interned to dense numbers (0, 1, 2, … in the order first seen), never removed.
 *
 * {@link IdKeys} keeps them in V8's own `Map`. {@link UuidKeys}, for user and integration ids,
 * keeps an id in Keyhouse's canonical UUID form (`8-4-4-4-12` lowercase hex digits), once there
 * are more than {@link PACK_ABOVE} ids, as its 16 bytes in an open-addressing table of 32-byte
 * slots: a lookup decodes the id and reads one slot (one cache line), where `Map` reads a bucket,
 * one or more entries and the stored string, whose characters it compares with the id's (ids
 * come from the database and from requests as strings of their own, never the stored one): three
 * to five cache misses on a table of 100,000 ids, after hashing the id (about 60 ns for a string
 * V8 has not hashed before). Decoding costs about 85 ns, so fewer ids keep the `Map`, whose lines
 * then stay in cache (`docs/performance.md`). Any other id (a slug, an upper-case UUID, a test's
 * `u1`) stays in the `Map`: while the table exists every canonical UUID is in it and no other id,
 * so an id is always looked up where it was put. Internal to the policy index.
 */

/**
 * Ints per slot (32 bytes, half a cache line): the id's four words, its number + 1 (0 = empty),
 * and {@link PAYLOAD} ints its owner keeps beside the id, read in the same cache line.
 */
const SLOT = 8;
const SLOT_SHIFT = 3;
/** Where a slot holds its id's number + 1 (0: the slot is empty). */
export const NUMBER = 4;
/** Where the owner's three ints start in a slot. */
export const PAYLOAD = 5;
/** Largest share of slots in use before the table doubles. */
const MAX_LOAD = 0.8;
const MIN_SLOTS = 16;
/**
 * Ids a {@link UuidKeys} keeps in its `Map` before it starts its table: up to here the `Map`'s
 * lines stay in cache and its lookup (a hash cached in the string) beats decoding an id; at 5,000
 * integrations the table was 20 % slower, at 100,000 it was 19–40 % faster (`docs/performance.md`).
 */
export const PACK_ABOVE = 16_384;

/**
 * Per UTF-16 code unit: the value of a lowercase hex digit (0-9, a-f), 16 for any other (64 KB,
 * of which decoding reads two cache lines; a table of 256 needs a check of the high byte).
 */
const HEX_VALUE = new Uint8Array(65_536).fill(16);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_VALUE[97 + c] = 10 + c;

/** The four words of the last id decoded by {@link decodeUuid}. */
const words = new Int32Array(4);

/**
 * Decodes a canonical UUID (36 characters, lowercase hex, dashes at 8, 13, 18 and 23) into
 * {@link words}; false for any other string. Each UUID has exactly one canonical form, so two ids
 * decode to the same words only when they are the same string. One loop per group of digits,
 * with the words and the check in locals (about 15 % faster than a helper per group), and one
 * table read per character (a code unit's value, whatever its high byte).
 */
export function decodeUuid(id: string): boolean {
  if (id.length !== 36) return false;
  if (
    id.charCodeAt(8) !== 45 ||
    id.charCodeAt(13) !== 45 ||
    id.charCodeAt(18) !== 45 ||
    id.charCodeAt(23) !== 45
  )
    return false;
  // Or-ed with every digit's value: 16 (a non-digit) sets a bit above the low four. Such a
  // value also spoils the word it is shifted into, which is then never read.
  let bad = 0;
  let w = 0;
  for (let k = 0; k < 8; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  words[0] = w;
  w = 0;
  // Each group split at its dash: a loop that skips it runs 5 % slower.
  for (let k = 9; k < 13; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  for (let k = 14; k < 18; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  words[1] = w;
  w = 0;
  for (let k = 19; k < 23; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  for (let k = 24; k < 28; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  words[2] = w;
  w = 0;
  for (let k = 28; k < 36; k++) {
    const value = HEX_VALUE[id.charCodeAt(k)]!;
    bad |= value;
    w = (w << 4) | value;
  }
  words[3] = w;
  return bad < 16;
}

/** The slot a key of four words starts probing at (a 32-bit mix of all four words). */
function home(w0: number, w1: number, w2: number, w3: number, mask: number): number {
  let h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ w2 ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ w3 ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) & mask;
}

/** Ids in a `Map`. */
export class IdKeys {
  /** The ids, by number. */
  ids: string[] = [];
  protected readonly numbers = new Map<string, number>();

  /** The number of ids. */
  get size(): number {
    return this.ids.length;
  }

  /** The number of `key`, or -1 when it was never added. */
  get(key: string): number {
    return this.numbers.get(key) ?? -1;
  }

  /** The number of `key`, added (as the next number) when new. */
  intern(key: string): number {
    const n = this.get(key);
    return n >= 0 ? n : this.add(key);
  }

  /**
   * Adds `key`, which the last call on these keys, a {@link get} of the same key, did not find;
   * returns its number. (What that lookup learnt of the key is reused, not learnt again.)
   */
  add(key: string): number {
    const n = this.ids.push(key) - 1;
    this.numbers.set(key, n);
    return n;
  }

  /** Trims the id array to its length (after a bulk load). */
  trim(): void {
    this.ids = this.ids.slice();
  }
}

/**
 * Ids in canonical UUID form in a table of their 16 bytes once there are more than
 * {@link PACK_ABOVE} ids, any other id (and every id until then) in the `Map`.
 */
export class UuidKeys extends IdKeys {
  /**
   * {@link SLOT} ints per slot, linear probing; empty until the ids outgrow the `Map`. Replaced
   * when it grows: read it afresh after an intern.
   */
  table = new Int32Array(0);
  /** Where in {@link table} the slot of the last id {@link get} found there starts; -1 when it was not there. */
  lastAt = -1;
  /** Whether the last {@link get} decoded its id into {@link words} (the table exists, the id is a UUID). */
  private decoded = false;
  private mask = -1;
  private inTable = 0;
  /** Per id number: where its slot starts in {@link table}, -1 for an id in the `Map`. */
  private slots = new Int32Array(0);
  private readonly packAbove: number;

  /** `packAbove`: ids kept in the `Map` before the table starts ({@link PACK_ABOVE}; tests use less). */
  constructor(packAbove = PACK_ABOVE) {
    super();
    this.packAbove = packAbove;
  }

  override get(key: string): number {
    this.lastAt = -1;
    this.decoded = this.mask >= 0 && decodeUuid(key);
    if (!this.decoded) return this.numbers.get(key) ?? -1;
    const table = this.table;
    const mask = this.mask;
    const w0 = words[0]!;
    const w1 = words[1]!;
    const w2 = words[2]!;
    const w3 = words[3]!;
    for (let slot = home(w0, w1, w2, w3, mask); ; slot = (slot + 1) & mask) {
      const at = slot << SLOT_SHIFT;
      const n = table[at + 4]!;
      if (n === 0) return -1;
      if (table[at] === w0 && table[at + 1] === w1 && table[at + 2] === w2 && table[at + 3] === w3) {
        this.lastAt = at;
        return n - 1;
      }
    }
  }

  override add(key: string): number {
    // With the table started, the missed lookup decoded `key` into `words` when it is a UUID
    // (`decoded`), and growing the table keeps them; before, it decoded nothing.
    if (this.mask < 0 && this.ids.length >= this.packAbove) this.reserve(this.ids.length + 1);
    const n = this.ids.push(key) - 1;
    if (this.mask >= 0 && (this.decoded || decodeUuid(key))) {
      this.reserve(this.inTable + 1);
      this.place(words[0]!, words[1]!, words[2]!, words[3]!, n);
      this.inTable++;
    } else this.numbers.set(key, n);
    return n;
  }

  /** Whether the table has started (UUIDs then live in it, with their payload). */
  get packed(): boolean {
    return this.mask >= 0;
  }

  /** Where the slot of id number `n` starts in {@link table}, or -1 when the id is in the `Map`. */
  slotOf(n: number): number {
    return n < this.slots.length ? this.slots[n]! : -1;
  }

  /**
   * Makes room for `count` ids in all (a bulk load's expected count): above `packAbove` the table
   * starts (taking over the UUIDs of the `Map`) and grows once, not while they are added.
   */
  reserve(count: number): void {
    if (this.mask < 0 && count <= this.packAbove) return;
    let slots = this.mask + 1;
    if (count <= slots * MAX_LOAD) return;
    slots = Math.max(slots, MIN_SLOTS);
    while (count > slots * MAX_LOAD) slots *= 2;
    if (this.slots.length < count) {
      const numbers = new Int32Array(count).fill(-1);
      numbers.set(this.slots);
      this.slots = numbers;
    }
    const old = this.table;
    const first = this.mask < 0;
    this.table = new Int32Array(slots * SLOT);
    this.mask = slots - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 4] === 0) continue;
      const at = this.place(old[from]!, old[from + 1]!, old[from + 2]!, old[from + 3]!, old[from + 4]! - 1);
      for (let k = PAYLOAD; k < SLOT; k++) this.table[at + k] = old[from + k]!;
    }
    if (first) this.takeUuids();
  }

  /** Moves the UUIDs interned so far from the `Map` into the table. */
  private takeUuids(): void {
    for (let n = 0; n < this.ids.length; n++) {
      const id = this.ids[n]!;
      if (!decodeUuid(id)) continue;
      this.place(words[0]!, words[1]!, words[2]!, words[3]!, n);
      this.numbers.delete(id);
      this.inTable++;
    }
  }

  /** Puts id number `n` (its words `w0`–`w3`) in a free slot, payload zero; returns where the slot starts. */
  private place(w0: number, w1: number, w2: number, w3: number, n: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = home(w0, w1, w2, w3, mask);
    while (table[(slot << SLOT_SHIFT) + 4] !== 0) slot = (slot + 1) & mask;
    const at = slot << SLOT_SHIFT;
    table[at] = w0;
    table[at + 1] = w1;
    table[at + 2] = w2;
    table[at + 3] = w3;
    table[at + 4] = n + 1;
    if (n >= this.slots.length) {
      const slots = new Int32Array(Math.max(16, 2 * (n + 1))).fill(-1);
      slots.set(this.slots);
      this.slots = slots;
    }
    this.slots[n] = at;
    return at;
  }
}
