import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type ListItems,
  type ListLayout,
  MIN_ITEMS,
  placeLogged,
  repacked,
  resized,
  sortOutOfOrder,
} from './index-lists-layout.ts';

/**
 * Lists scattered in one array as a pool leaves them after changes: in a shuffled order, each
 * with spare room after its items and holes between them.
 */
const scatteredArb = fc
  .array(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 6 }), { minLength: 1, maxLength: 10 })
  .chain((lists) =>
    fc.tuple(
      fc.constant(lists),
      fc.shuffledSubarray(
        lists.map((_, k) => k),
        { minLength: lists.length, maxLength: lists.length },
      ),
      fc.array(fc.nat(3), { minLength: lists.length, maxLength: lists.length }),
    ),
  )
  .map(([lists, order, spare]) => {
    const start = new Int32Array(lists.length);
    const length = new Int32Array(lists.length);
    const capacity = new Int32Array(lists.length);
    const values: number[] = [];
    for (const k of order) {
      values.push(99); // a hole before each list
      start[k] = values.length;
      length[k] = lists[k]!.length;
      capacity[k] = lists[k]!.length + spare[k]!;
      values.push(...lists[k]!, ...Array.from({ length: spare[k]! }, () => 77));
    }
    const layout: ListLayout = {
      items: Int32Array.from(values),
      start,
      length,
      capacity,
      top: values.length,
    };
    return { lists, layout };
  });

/** The lists of `layout` as plain arrays. */
const listsOf = (layout: ListItems, count: number): number[][] =>
  Array.from({ length: count }, (_, k) =>
    Array.from(layout.items.subarray(layout.start[k]!, layout.start[k]! + layout.length[k]!)),
  );

describe('list pool layouts', () => {
  test('placing logged appends gives each list its items, then its appends in log order, end to end', () => {
    fc.assert(
      fc.property(
        scatteredArb.chain(({ lists, layout }) =>
          fc.tuple(
            fc.constant(lists),
            fc.constant(layout),
            fc.array(fc.tuple(fc.nat(lists.length - 1), fc.integer({ min: -50, max: 50 })), {
              maxLength: 20,
            }),
          ),
        ),
        ([lists, layout, appends]) => {
          const log = Int32Array.from(appends.flat());
          const placed = placeLogged(lists.length, layout, log, log.length);
          const expected = lists.map((items) => [...items]);
          for (const [k, v] of appends) expected[k]!.push(v);
          assert.deepEqual(listsOf(placed, lists.length), expected);
          // End to end in list order, no room to spare.
          let at = 0;
          for (let k = 0; k < lists.length; k++) {
            assert.equal(placed.start[k], at);
            assert.equal(placed.capacity[k], expected[k]!.length);
            at += expected[k]!.length;
          }
          assert.equal(placed.top, at);
          assert.ok(placed.items.length >= Math.max(at, MIN_ITEMS));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  test('repacking keeps every list and its order, end to end, with the room asked for', () => {
    fc.assert(
      fc.property(scatteredArb, fc.boolean(), ({ lists, layout }, withRoom) => {
        const packed = repacked(lists.length, layout, withRoom);
        assert.deepEqual(listsOf(packed, lists.length), lists);
        let at = 0;
        for (let k = 0; k < lists.length; k++) {
          const n = lists[k]!.length;
          const room = withRoom ? n + (n >> 1) + 1 : n;
          assert.equal(packed.start[k], at);
          assert.equal(packed.capacity[k], room);
          at += room;
        }
        assert.equal(packed.top, at);
      }),
      { numRuns: 1_000 },
    );
  });

  test('sorting touches only the lists out of order, and leaves the holes between them alone', () => {
    fc.assert(
      fc.property(scatteredArb, ({ lists, layout }) => {
        const before = Array.from(layout.items);
        sortOutOfOrder(lists.length, layout);
        assert.deepEqual(
          listsOf(layout, lists.length),
          lists.map((items) => [...items].sort((a, b) => a - b)),
        );
        // Outside the lists nothing moved.
        const inside = new Set<number>();
        for (let k = 0; k < lists.length; k++)
          for (let j = 0; j < lists[k]!.length; j++) inside.add(layout.start[k]! + j);
        for (let at = 0; at < before.length; at++)
          if (!inside.has(at)) assert.equal(layout.items[at], before[at]);
      }),
      { numRuns: 1_000 },
    );
  });

  test('resizing keeps what fits and fills the rest with zeros', () => {
    const array = Int32Array.from([1, 2, 3]);
    assert.deepEqual(Array.from(resized(array, 5)), [1, 2, 3, 0, 0]);
    assert.deepEqual(Array.from(resized(array, 2)), [1, 2]);
  });
});
