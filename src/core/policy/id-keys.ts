/**
 * Ids interned to dense numbers (0, 1, 2, … in the order first seen), never removed: V8's own
 * `Map` from id to number, and the ids by number. Measured against an open-addressing table of
 * hashes in a typed array (with and without the integration's record in the slot): the engine's
 * `Map`, with its cached string hash, was as fast at 1M entries and faster at 50k
 * (`docs/performance.md`). Internal to the policy index.
 */
export class IdKeys {
  /** The ids, by number. */
  ids: string[] = [];
  private readonly numbers = new Map<string, number>();

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
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.ids.push(key) - 1;
      this.numbers.set(key, n);
    }
    return n;
  }

  /** Trims the id array to its length (after a bulk load). */
  trim(): void {
    this.ids = this.ids.slice();
  }
}
