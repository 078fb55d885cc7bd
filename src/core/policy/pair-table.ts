/**
 * An open-addressing hash table from a pair of small non-negative integers to a small value
 * (0–15), stored in one typed array: per slot the first key and `(second key << 4) | value`
 * side by side, so a lookup touches one cache line; 8 bytes per slot, no object per entry, no
 * allocation on lookup. Capacity is not a power of two (the hash is scaled onto it), so a table
 * sized for `n` pairs holds about `n / 0.65` slots whatever `n` is. Internal to the policy index.
 */

const EMPTY = -1;
const TOMBSTONE = -2;
/** Largest fill (live pairs and tombstones) before the table grows or is rebuilt. */
const MAX_LOAD = 0.75;
/** Fill the constructor and a growth aim for. */
const TARGET_LOAD = 0.65;
/** Second keys must stay below this so that `(b << 4) | value` fits an int32. */
const SECOND_KEY_LIMIT = 2 ** 27;

/** A typed-array hash map `(a, b) → value` with `a ≥ 0`, `0 ≤ b < 2^27`, `0 ≤ value < 16`. */
export class PairTable {
  /** `[a, (b << 4) | value]` per slot; `a` is EMPTY or TOMBSTONE for free slots. */
  private slots: Int32Array;
  private capacity: number;
  private used = 0;
  /** Number of live pairs. */
  size = 0;

  /** Creates a table sized for about `expected` pairs. */
  constructor(expected = 16) {
    this.capacity = PairTable.capacityFor(expected);
    this.slots = new Int32Array(this.capacity * 2).fill(EMPTY);
  }

  private static capacityFor(pairs: number): number {
    return Math.max(16, Math.ceil(pairs / TARGET_LOAD));
  }

  /** The first slot to probe for `(a, b)`: a mixed 32-bit hash scaled onto the capacity. */
  private start(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return Math.floor((h >>> 0) * this.capacity * 2 ** -32);
  }

  /** The value of `(a, b)`, or -1 when absent. */
  get(a: number, b: number): number {
    const slots = this.slots;
    const capacity = this.capacity;
    let slot = this.start(a, b);
    for (;;) {
      const key = slots[2 * slot]!;
      if (key === a) {
        const packed = slots[2 * slot + 1]!;
        if (packed >>> 4 === b) return packed & 15;
      } else if (key === EMPTY) return -1;
      if (++slot === capacity) slot = 0;
    }
  }

  /** Sets `(a, b)` to `value`; returns the previous value or -1. */
  set(a: number, b: number, value: number): number {
    if (b >= SECOND_KEY_LIMIT || value > 15) throw new RangeError('pair table key or value out of range');
    const slots = this.slots;
    const capacity = this.capacity;
    let slot = this.start(a, b);
    let free = -1;
    for (;;) {
      const key = slots[2 * slot]!;
      if (key === a && slots[2 * slot + 1]! >>> 4 === b) {
        const previous = slots[2 * slot + 1]! & 15;
        slots[2 * slot + 1] = (b << 4) | value;
        return previous;
      }
      if (key === TOMBSTONE && free < 0) free = slot;
      if (key === EMPTY) break;
      if (++slot === capacity) slot = 0;
    }
    if (free < 0) {
      free = slot;
      this.used++;
    }
    slots[2 * free] = a;
    slots[2 * free + 1] = (b << 4) | value;
    this.size++;
    if (this.used > capacity * MAX_LOAD) this.rehash(PairTable.capacityFor(this.size * 2));
    return -1;
  }

  /** Removes `(a, b)`; returns the previous value or -1. */
  delete(a: number, b: number): number {
    const slots = this.slots;
    const capacity = this.capacity;
    let slot = this.start(a, b);
    for (;;) {
      const key = slots[2 * slot]!;
      if (key === a && slots[2 * slot + 1]! >>> 4 === b) {
        slots[2 * slot] = TOMBSTONE;
        this.size--;
        return slots[2 * slot + 1]! & 15;
      }
      if (key === EMPTY) return -1;
      if (++slot === capacity) slot = 0;
    }
  }

  /** Bytes held by the table's array. */
  byteLength(): number {
    return this.slots.byteLength;
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.capacity = Math.max(capacity, PairTable.capacityFor(this.size));
    this.slots = new Int32Array(this.capacity * 2).fill(EMPTY);
    this.used = 0;
    this.size = 0;
    for (let slot = 0; slot < old.length; slot += 2) {
      const a = old[slot]!;
      if (a >= 0) this.set(a, old[slot + 1]! >>> 4, old[slot + 1]! & 15);
    }
  }
}
