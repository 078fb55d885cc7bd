/**
 * An open-addressing hash table from a pair of small non-negative integers to a small value
 * (0–255), stored in typed arrays: about 9 bytes per slot, no object per entry, no allocation on
 * lookup. Internal to the policy index.
 */

const EMPTY = -1;
const TOMBSTONE = -2;

/** A typed-array hash map `(a, b) → byte`. */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Uint8Array;
  private mask: number;
  private used = 0;
  /** Number of live pairs. */
  size = 0;

  /** Creates a table sized for about `expected` pairs. */
  constructor(expected = 16) {
    let capacity = 16;
    while (capacity * 0.6 < expected) capacity *= 2;
    this.keysA = new Int32Array(capacity).fill(EMPTY);
    this.keysB = new Int32Array(capacity);
    this.values = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  /** The value of `(a, b)`, or -1 when absent. */
  get(a: number, b: number): number {
    const keysA = this.keysA;
    const mask = this.mask;
    let slot = PairTable.hash(a, b) & mask;
    for (;;) {
      const key = keysA[slot]!;
      if (key === a && this.keysB[slot] === b) return this.values[slot]!;
      if (key === EMPTY) return -1;
      slot = (slot + 1) & mask;
    }
  }

  /** Sets `(a, b)` to `value`; returns the previous value or -1. */
  set(a: number, b: number, value: number): number {
    const keysA = this.keysA;
    const mask = this.mask;
    let slot = PairTable.hash(a, b) & mask;
    let free = -1;
    for (;;) {
      const key = keysA[slot]!;
      if (key === a && this.keysB[slot] === b) {
        const previous = this.values[slot]!;
        this.values[slot] = value;
        return previous;
      }
      if (key === TOMBSTONE && free < 0) free = slot;
      if (key === EMPTY) break;
      slot = (slot + 1) & mask;
    }
    if (free < 0) {
      free = slot;
      this.used++;
    }
    keysA[free] = a;
    this.keysB[free] = b;
    this.values[free] = value;
    this.size++;
    if (this.used > this.mask * 0.7)
      this.rehash(this.size * 2 > this.mask ? (this.mask + 1) * 2 : this.mask + 1);
    return -1;
  }

  /** Removes `(a, b)`; returns the previous value or -1. */
  delete(a: number, b: number): number {
    const mask = this.mask;
    let slot = PairTable.hash(a, b) & mask;
    for (;;) {
      const key = this.keysA[slot]!;
      if (key === a && this.keysB[slot] === b) {
        this.keysA[slot] = TOMBSTONE;
        this.size--;
        return this.values[slot]!;
      }
      if (key === EMPTY) return -1;
      slot = (slot + 1) & mask;
    }
  }

  /** Bytes held by the table's arrays. */
  byteLength(): number {
    return this.keysA.byteLength + this.keysB.byteLength + this.values.byteLength;
  }

  private rehash(capacity: number): void {
    const { keysA, keysB, values } = this;
    this.keysA = new Int32Array(capacity).fill(EMPTY);
    this.keysB = new Int32Array(capacity);
    this.values = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.used = 0;
    this.size = 0;
    for (let slot = 0; slot < keysA.length; slot++) {
      const a = keysA[slot]!;
      if (a >= 0) this.set(a, keysB[slot]!, values[slot]!);
    }
  }
}
