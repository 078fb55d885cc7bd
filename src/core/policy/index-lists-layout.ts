/**
 * How a {@link ListPool}'s lists lie in its items array, computed afresh: the placing of a bulk
 * load's logged appends, the packing of every list end to end, the sorting of lists a load left
 * out of order. Pure functions over the pool's arrays; internal to `index-lists.ts`.
 */

/** Fewest items a pool's array holds. */
export const MIN_ITEMS = 64;

/** Lists laid out in one array: list `k` at `items[start[k] .. start[k] + length[k])`, room `capacity[k]`. */
export interface ListLayout {
  readonly items: Int32Array;
  readonly start: Int32Array;
  readonly length: Int32Array;
  readonly capacity: Int32Array;
  /** Items in use up to here (every list's room). */
  readonly top: number;
}

/** Where lists lie, without their room: what the layout functions read. */
export type ListItems = Pick<ListLayout, 'items' | 'start' | 'length'>;

/**
 * The `lists` lists of `layout` with the appends of `log` (`[list, value, …]`, its first `logged`
 * ints) placed after each list's items, in log order: every list exactly sized, end to end.
 */
export function placeLogged(lists: number, layout: ListItems, log: Int32Array, logged: number): ListLayout {
  const capacity = new Int32Array(lists);
  let total = 0;
  for (let list = 0; list < lists; list++) capacity[list] = layout.length[list]!;
  for (let k = 0; k < logged; k += 2) capacity[log[k]!]!++;
  const start = new Int32Array(lists);
  for (let list = 0; list < lists; list++) {
    start[list] = total;
    total += capacity[list]!;
  }
  const items = new Int32Array(Math.max(total, MIN_ITEMS));
  const length = new Int32Array(lists);
  for (let list = 0; list < lists; list++) {
    const n = layout.length[list]!;
    copyItems(layout.items, layout.start[list]!, n, items, start[list]!);
    length[list] = n;
  }
  for (let k = 0; k < logged; k += 2) {
    const list = log[k]!;
    items[start[list]! + length[list]!++] = log[k + 1]!;
  }
  return { items, start, length, capacity, top: total };
}

/**
 * The `lists` lists of `layout` packed end to end in list order, each with its length as room,
 * or (`withRoom`) half as much again and one more. `length` is kept; `start` and `capacity` are new.
 */
export function repacked(lists: number, layout: ListItems, withRoom: boolean): ListLayout {
  const room = (n: number): number => (withRoom ? n + (n >> 1) + 1 : n);
  let total = 0;
  for (let list = 0; list < lists; list++) total += room(layout.length[list]!);
  const items = new Int32Array(Math.max(total, MIN_ITEMS));
  const start = new Int32Array(layout.start.length);
  const capacity = new Int32Array(layout.start.length);
  let to = 0;
  for (let list = 0; list < lists; list++) {
    const n = layout.length[list]!;
    copyItems(layout.items, layout.start[list]!, n, items, to);
    start[list] = to;
    capacity[list] = room(n);
    to += room(n);
  }
  return { items, start, length: layout.length, capacity, top: to };
}

/**
 * Sorts every one of the `lists` lists of `layout` that is out of order: a bulk load appends in
 * load order, which is ascending unless an owner was loaded twice, so this usually only checks.
 */
export function sortOutOfOrder(lists: number, layout: ListItems): void {
  const items = layout.items;
  for (let list = 0; list < lists; list++) {
    const from = layout.start[list]!;
    const to = from + layout.length[list]!;
    for (let k = from + 1; k < to; k++) {
      if (items[k - 1]! > items[k]!) {
        items.subarray(from, to).sort();
        break;
      }
    }
  }
}

/** Copies `n` items; a loop, not `set(subarray(…))`, which allocates a view per list. */
function copyItems(from: Int32Array, at: number, n: number, to: Int32Array, into: number): void {
  for (let k = 0; k < n; k++) to[into + k] = from[at + k]!;
}

/** `array` copied into a new array of `size` items (cut or zero-filled). */
export function resized(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array.subarray(0, Math.min(size, array.length)));
  return next;
}
