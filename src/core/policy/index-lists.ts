/**
 * Many small integer lists pooled in one `Int32Array`: list `k` lives at `items[start[k] ..
 * start[k] + length[k])` with room for `capacity[k]` items: 4 bytes per item and 12 per list, no
 * object per list (a JS array costs 30+ bytes before its first element). Once packed by
 * {@link ListPool.compact} the lists lie end to end in list order, so only `start` is kept (4 bytes
 * per list: list `k` ends where `k + 1` starts) until the next change. A full list moves to the
 * end of the pool with twice the room; the space it leaves is reclaimed by {@link ListPool.compact},
 * which runs by itself once more than half the pool is unused. Internal to the policy index.
 */

import {
  type ListItems,
  type ListLayout,
  MIN_ITEMS,
  placeLogged,
  repacked,
  resized,
  sortOutOfOrder,
} from './index-lists-layout.ts';

/** A pool of integer lists addressed by a dense list number (an owner's slot). */
export class ListPool {
  /** The items of every list; replaced when the pool grows, so read it afresh after a change. */
  items: Int32Array = new Int32Array(MIN_ITEMS);
  /** Per list: first item (one more entry when packed: the end of the last list). */
  start: Int32Array = new Int32Array(16);
  /** Per list: number of items and room; empty while packed. */
  private length: Int32Array = new Int32Array(16);
  private capacity: Int32Array = new Int32Array(16);
  /** Packed end to end in list order, no spare room: only `start` is kept. */
  private exact = false;
  /** Items in use up to here (lists and the holes they left). */
  private top = 0;
  /** Items held by lists (their room), the rest below `top` are holes. */
  private held = 0;
  /** Lists addressed so far (one above the highest list number seen). */
  private lists = 0;
  /** In a bulk load: appends logged as `[list, value, …]` and placed in one pass by {@link settle}. */
  private deferring = false;
  private log: Int32Array = new Int32Array(0);
  private logged = 0;
  /**
   * In a bulk load whose appends come list by list in ascending order: a list at the end of the
   * pool grows by exactly one item, so the lists are placed end to end as they fill, with no log,
   * no room to spare and nothing to copy when the load settles.
   */
  private tight = false;
  /** Every list is kept in ascending order by its owner; a settled bulk load sorts what it placed out of order. */
  private readonly sorted: boolean;

  /** A pool of plain lists, or (`sorted`) of lists whose owner keeps each in ascending order. */
  constructor(sorted = false) {
    this.sorted = sorted;
  }

  /** Makes list numbers up to `list` addressable (empty lists cost nothing until pushed to). */
  ensureList(list: number): void {
    if (list < this.lists) return;
    if (this.exact) this.loosen();
    this.lists = list + 1;
    if (list < this.start.length) return;
    let size = Math.max(16, this.start.length);
    while (size <= list) size *= 2;
    this.start = resized(this.start, size);
    this.length = resized(this.length, size);
    this.capacity = resized(this.capacity, size);
  }

  /** Places what a bulk load logged, so that `items` and `start` can be read directly. */
  settled(): void {
    if (this.logged > 0) this.settle();
  }

  /** The number of items in list `list`. */
  size(list: number): number {
    if (this.logged > 0) this.settle();
    return list < this.lists ? this.end(list) - this.start[list]! : 0;
  }

  /** Where list `list` ends (its last item + 1): the hot readers' bound. */
  end(list: number): number {
    return this.exact ? this.start[list + 1]! : this.start[list]! + this.length[list]!;
  }

  /** The `k`-th item of list `list` (k below its size). */
  at(list: number, k: number): number {
    if (this.logged > 0) this.settle();
    return this.items[this.start[list]! + k]!;
  }

  /** Whether list `list` holds `value`. */
  includes(list: number, value: number): boolean {
    return this.indexOf(list, value) >= 0;
  }

  /** The position of `value` in list `list`, or -1. */
  indexOf(list: number, value: number): number {
    if (this.logged > 0) this.settle();
    if (list >= this.lists) return -1;
    const items = this.items;
    const from = this.start[list]!;
    const to = this.end(list);
    for (let k = from; k < to; k++) if (items[k] === value) return k - from;
    return -1;
  }

  /** A copy of list `list` as a plain array. */
  toArray(list: number): number[] {
    if (this.logged > 0) this.settle();
    const n = this.size(list);
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = this.at(list, k);
    return out;
  }

  /**
   * Appends `value` to list `list`. In a bulk load returns where the append was logged (for
   * {@link setLogged}), else -1.
   */
  push(list: number, value: number): number {
    this.ensureList(list);
    if (this.deferring) return this.defer(list, value);
    if (this.logged > 0) this.settle();
    if (this.exact) this.loosen();
    const n = this.length[list]!;
    if (n === this.capacity[list]) this.move(list, this.tight ? n + 1 : Math.max(2, n * 2));
    this.items[this.start[list]! + n] = value;
    this.length[list] = n + 1;
    return -1;
  }

  /** Replaces the value of a logged append (`at` from {@link push}) before the load settles. */
  setLogged(at: number, value: number): void {
    if (at < 0 || at >= this.logged) throw new RangeError('no such logged append');
    this.log[at] = value;
  }

  /**
   * Starts a bulk load: appends are logged, not placed, until a read or {@link compact} places
   * them all at once, each list exactly sized (no moves, no holes, few cache misses per item).
   */
  beginBulk(appends = 0): void {
    this.deferring = true;
    // Sized up front, the log is never copied while it fills.
    if (this.log.length < this.logged + 2 * appends) this.log = resized(this.log, this.logged + 2 * appends);
  }

  /**
   * Starts a bulk load whose `appends` come list by list in ascending order (see {@link tight}):
   * the items array grows once, to exactly what they need. An append out of that order is still
   * right (its list moves to the end), it only leaves a hole for {@link compact} to close.
   */
  beginInOrder(appends: number): void {
    this.tight = true;
    if (this.top + appends > this.items.length) this.items = resized(this.items, this.top + appends);
  }

  /**
   * Takes `items` as the pool's items, list `k` being `items[start[k] .. start[k + 1])` for the
   * `start.length - 1` lists, end to end with no room to spare: a bulk load that already holds
   * every list's items, in list order, in one array. Every list must be empty until then.
   */
  adopt(items: Int32Array, start: Int32Array): void {
    const lists = start.length - 1;
    if (this.top > 0 || this.logged > 0 || this.lists > lists) throw new RangeError('the pool is not empty');
    this.items = items;
    this.start = start;
    this.length = new Int32Array(0);
    this.capacity = new Int32Array(0);
    this.exact = true;
    this.lists = lists;
    this.top = start[lists]!;
    this.held = this.top;
    this.deferring = false;
    this.tight = false;
  }

  /** Makes room for lists numbered below `lists` at once (a bulk load that knows its owners). */
  reserveLists(lists: number): void {
    if (lists <= this.start.length) return;
    if (this.exact) this.loosen();
    this.start = resized(this.start, lists);
    this.length = resized(this.length, lists);
    this.capacity = resized(this.capacity, lists);
  }

  private defer(list: number, value: number): number {
    if (this.logged + 2 > this.log.length) this.log = resized(this.log, Math.max(1024, this.log.length * 2));
    this.log[this.logged++] = list;
    this.log[this.logged++] = value;
    return this.logged - 1;
  }

  /** Places the logged appends: every list gets its old items, then its logged ones in order. */
  private settle(): void {
    if (this.exact) this.loosen();
    this.take(placeLogged(this.lists, this.current(), this.log, this.logged));
    this.logged = 0;
    this.log = new Int32Array(0);
    if (this.sorted) sortOutOfOrder(this.lists, this.current());
  }

  /** Where the lists lie now (not packed). */
  private current(): ListItems {
    return { items: this.items, start: this.start, length: this.length };
  }

  /** Takes `layout` as the pool's lists, none packed, every item below its top held by a list. */
  private take(layout: ListLayout): void {
    this.items = layout.items;
    this.start = layout.start;
    this.length = layout.length;
    this.capacity = layout.capacity;
    this.exact = false;
    this.top = layout.top;
    this.held = layout.top;
  }

  /** Replaces the `k`-th item of list `list` (k below its size). */
  setAt(list: number, k: number, value: number): void {
    if (this.logged > 0) this.settle();
    this.items[this.start[list]! + k] = value;
  }

  /** Inserts `value` at position `k` of list `list` (0 ≤ k ≤ its size), moving the later items up. */
  insertAt(list: number, k: number, value: number): void {
    this.push(list, value);
    if (this.logged > 0) this.settle();
    const from = this.start[list]!;
    const last = this.length[list]! - 1;
    if (k >= last) return;
    this.items.copyWithin(from + k + 1, from + k, from + last);
    this.items[from + k] = value;
  }

  /** Removes the `k`-th item of list `list`, keeping the order of the rest. */
  removeAt(list: number, k: number): void {
    if (this.logged > 0) this.settle();
    if (this.exact) this.loosen();
    const from = this.start[list]!;
    const n = this.length[list]!;
    this.items.copyWithin(from + k, from + k + 1, from + n);
    this.length[list] = n - 1;
  }

  /** Removes the first `value` from list `list`, the last item taking its place; false when absent. */
  removeSwap(list: number, value: number): boolean {
    if (this.logged > 0) this.settle();
    if (this.exact) this.loosen();
    const k = this.indexOf(list, value);
    if (k < 0) return false;
    const from = this.start[list]!;
    const last = this.length[list]! - 1;
    this.items[from + k] = this.items[from + last]!;
    this.length[list] = last;
    return true;
  }

  /** Removes the first `value` from list `list`, keeping the order of the rest; false when absent. */
  removeOrdered(list: number, value: number): boolean {
    const k = this.indexOf(list, value);
    if (k < 0) return false;
    this.removeAt(list, k);
    return true;
  }

  /** Empties list `list` and gives its room back. */
  clear(list: number): void {
    if (this.logged > 0) this.settle();
    if (this.exact) this.loosen();
    if (list >= this.lists) return;
    this.held -= this.capacity[list]!;
    this.length[list] = 0;
    this.capacity[list] = 0;
    this.start[list] = 0;
  }

  /** Leaves the packed state: keeps each list's room again (its length, as packed). */
  private loosen(): void {
    const lists = this.lists;
    const length = new Int32Array(lists);
    for (let list = 0; list < lists; list++) length[list] = this.start[list + 1]! - this.start[list]!;
    this.start = this.start.slice(0, lists);
    this.length = length;
    this.capacity = length.slice();
    this.exact = false;
  }

  /** Moves list `list` to the end of the pool with room for `room` items. */
  private move(list: number, room: number): void {
    let old = this.capacity[list]!;
    if (old > 0 && this.start[list]! + old === this.top) {
      // Already last: grow in place.
      this.reserve(room - old);
      this.top += room - old;
    } else {
      if (this.top - this.held > this.held + MIN_ITEMS) {
        // More holes than lists: pack, leaving every list half its length as room.
        this.compact(true);
        old = this.capacity[list]!;
        if (this.length[list]! < old) return;
      }
      this.reserve(room);
      const from = this.start[list]!;
      this.items.copyWithin(this.top, from, from + this.length[list]!);
      this.start[list] = this.top;
      this.top += room;
    }
    this.held += room - old;
    this.capacity[list] = room;
  }

  private reserve(more: number): void {
    const needed = this.top + more;
    if (needed <= this.items.length) return;
    let size = Math.max(MIN_ITEMS, this.items.length);
    while (size < needed) size *= 2;
    this.items = resized(this.items, size);
  }

  /**
   * Packs every list end to end and trims the pool to its size: with no spare room (after a bulk
   * load), or with room for half a list's length more (when holes pile up during changes).
   */
  compact(withRoom = false): void {
    this.deferring = false;
    this.tight = false;
    if (this.exact) this.loosen();
    // Settling packs every list exactly; so may a load in order have; otherwise pack here.
    if (this.logged > 0) this.settle();
    else if (withRoom || !this.packed()) this.take(repacked(this.lists, this.current(), withRoom));
    if (withRoom) return;
    const start = new Int32Array(this.lists + 1);
    start.set(this.start.subarray(0, this.lists));
    start[this.lists] = this.top;
    this.start = start;
    this.length = new Int32Array(0);
    this.capacity = new Int32Array(0);
    this.exact = true;
  }

  /**
   * Whether the lists already lie end to end in list order with no room to spare and no spare
   * items (as a load in order leaves them); if so, gives empty lists their place in that order.
   */
  private packed(): boolean {
    let at = 0;
    for (let list = 0; list < this.lists; list++) {
      const n = this.length[list]!;
      if (n !== this.capacity[list] || (n > 0 && this.start[list] !== at)) return false;
      at += n;
    }
    if (at !== this.top || this.items.length !== Math.max(at, MIN_ITEMS)) return false;
    at = 0;
    for (let list = 0; list < this.lists; list++) {
      this.start[list] = at;
      at += this.length[list]!;
    }
    return true;
  }

  /** Bytes held by the pool's arrays. */
  byteLength(): number {
    return this.items.byteLength + this.start.byteLength + this.length.byteLength + this.capacity.byteLength;
  }
}
