import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ListPool } from './index-lists.ts';

type Op =
  | { readonly kind: 'push'; readonly list: number; readonly value: number }
  | { readonly kind: 'swap'; readonly list: number; readonly value: number }
  | { readonly kind: 'ordered'; readonly list: number; readonly value: number }
  | {
      readonly kind: 'insertAt' | 'setAt' | 'removeAt';
      readonly list: number;
      readonly at: number;
      readonly value: number;
    }
  | { readonly kind: 'clear'; readonly list: number }
  | { readonly kind: 'read'; readonly list: number }
  | { readonly kind: 'bulk' }
  | { readonly kind: 'inOrder'; readonly appends: number }
  | { readonly kind: 'compact' }
  | { readonly kind: 'room' };

const LISTS = 12;
const list = fc.integer({ min: 0, max: LISTS - 1 });
const value = fc.integer({ min: 0, max: 20 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('push' as const), list, value }), weight: 8 },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('swap' as const, 'ordered' as const), list, value }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('insertAt' as const, 'setAt' as const, 'removeAt' as const),
      list,
      at: fc.nat(40),
      value,
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constantFrom('clear' as const, 'read' as const), list }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('bulk' as const, 'compact' as const, 'room' as const) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('inOrder' as const), appends: fc.nat(30) }), weight: 1 },
);

/** Applies `op` to the pool and to plain arrays (the model). */
function apply(pool: ListPool, model: number[][], op: Op): void {
  if (op.kind === 'bulk') pool.beginBulk();
  else if (op.kind === 'inOrder') pool.beginInOrder(op.appends);
  else if (op.kind === 'compact' || op.kind === 'room') pool.compact(op.kind === 'room');
  else if (op.kind === 'push') {
    pool.push(op.list, op.value);
    model[op.list]!.push(op.value);
  } else if (op.kind === 'clear') {
    pool.clear(op.list);
    model[op.list] = [];
  } else if (op.kind === 'insertAt') {
    const items = model[op.list]!;
    const at = op.at % (items.length + 1);
    pool.insertAt(op.list, at, op.value);
    items.splice(at, 0, op.value);
  } else if (op.kind === 'setAt' || op.kind === 'removeAt') {
    const items = model[op.list]!;
    if (items.length === 0) return;
    const at = op.at % items.length;
    if (op.kind === 'setAt') {
      pool.setAt(op.list, at, op.value);
      items[at] = op.value;
    } else {
      pool.removeAt(op.list, at);
      items.splice(at, 1);
    }
  } else if (op.kind === 'read') {
    assert.deepEqual(pool.toArray(op.list), model[op.list]);
  } else {
    const items = model[op.list]!;
    const at = items.indexOf(op.value);
    const removed =
      op.kind === 'swap' ? pool.removeSwap(op.list, op.value) : pool.removeOrdered(op.list, op.value);
    assert.equal(removed, at >= 0);
    if (at < 0) return;
    if (op.kind === 'ordered') items.splice(at, 1);
    else {
      items[at] = items[items.length - 1]!;
      items.pop();
    }
  }
}

describe('ListPool', () => {
  test('holds exactly what plain arrays hold after any sequence of appends, removals, bulk loads and packing', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const pool = new ListPool();
        const model: number[][] = Array.from({ length: LISTS }, () => []);
        for (const op of ops) apply(pool, model, op);
        for (let k = 0; k < LISTS; k++) {
          assert.deepEqual(pool.toArray(k), model[k], `list ${k}`);
          assert.equal(pool.size(k), model[k]!.length);
          for (const item of model[k]!) assert.ok(pool.includes(k, item));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('adopted lists hold what they were given, then change like plain arrays after any sequence of operations', () => {
    const lists = fc.array(fc.array(value, { maxLength: 8 }), { minLength: LISTS, maxLength: LISTS });
    fc.assert(
      fc.property(lists, fc.boolean(), fc.array(opArb, { maxLength: 200 }), (given, touched, ops) => {
        const pool = new ListPool();
        // A load addresses its lists (empty) before it adopts their items.
        if (touched) for (let k = 0; k < LISTS; k++) pool.ensureList(k);
        const start = new Int32Array(LISTS + 1);
        for (let k = 0; k < LISTS; k++) start[k + 1] = start[k]! + given[k]!.length;
        pool.adopt(Int32Array.from(given.flat()), start);
        const model = given.map((items) => [...items]);
        for (let k = 0; k < LISTS; k++) assert.deepEqual(pool.toArray(k), model[k], `adopted list ${k}`);
        for (const op of ops) apply(pool, model, op);
        for (let k = 0; k < LISTS; k++) assert.deepEqual(pool.toArray(k), model[k], `list ${k}`);
      }),
      { numRuns: 1_000 },
    );
  });

  test('adopts only into a pool whose lists are empty', () => {
    const pool = new ListPool();
    pool.push(0, 1);
    assert.throws(() => pool.adopt(new Int32Array(0), new Int32Array(2)), RangeError);
  });

  test('a bulk load places every list exactly, in append order, with no spare room', () => {
    const pool = new ListPool();
    pool.push(1, 7);
    pool.beginBulk();
    for (let k = 0; k < 100; k++) pool.push(k % 5, k);
    pool.compact();
    assert.deepEqual(pool.toArray(1), [7, ...Array.from({ length: 20 }, (_, k) => 5 * k + 1)]);
    assert.equal(pool.items.length, 101);
    pool.push(1, 99);
    assert.equal(pool.toArray(1).at(-1), 99);
  });

  test('a sorted pool sorts the lists a bulk load placed out of order, and a logged append can be replaced', () => {
    const pool = new ListPool(true);
    pool.beginBulk();
    pool.push(0, 5);
    const at = pool.push(0, 9);
    pool.push(1, 3);
    pool.push(0, 2);
    pool.setLogged(at, 1);
    assert.throws(() => pool.setLogged(99, 1), RangeError);
    pool.compact();
    assert.deepEqual(pool.toArray(0), [1, 2, 5]);
    assert.deepEqual(pool.toArray(1), [3]);
    const plain = new ListPool();
    plain.beginBulk();
    plain.push(0, 5);
    plain.push(0, 2);
    plain.compact();
    assert.deepEqual(plain.toArray(0), [5, 2]);
    assert.equal(plain.push(0, 1), -1);
  });

  test('a load in order places the lists end to end as they fill, and the pack copies nothing', () => {
    const pool = new ListPool();
    pool.beginInOrder(100);
    const items = pool.items;
    for (let k = 0; k < 100; k++) pool.push(Math.floor(k / 20) * 2, k);
    assert.equal(pool.items, items, 'the items array grew');
    pool.compact();
    assert.equal(pool.items, items, 'the pack copied the items');
    assert.deepEqual(Array.from(pool.start), [0, 20, 20, 40, 40, 60, 60, 80, 80, 100]);
    assert.deepEqual(
      pool.toArray(4),
      Array.from({ length: 20 }, (_, k) => 40 + k),
    );
  });

  test('an append out of order in a load in order is kept, and the pack closes the hole it left', () => {
    const pool = new ListPool();
    pool.beginInOrder(6);
    pool.push(0, 1);
    pool.push(1, 2);
    pool.push(0, 3);
    pool.push(2, 4);
    pool.compact();
    assert.deepEqual(
      [0, 1, 2].map((k) => pool.toArray(k)),
      [[1, 3], [2], [4]],
    );
    assert.deepEqual(Array.from(pool.start), [0, 2, 3, 4]);
  });

  test('reclaims the room of moved lists, so churn does not grow the pool', () => {
    const pool = new ListPool();
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 40; k++) pool.push(round % 10, k);
      pool.clear(round % 10);
    }
    assert.ok(pool.items.length <= 1_024, `pool of ${pool.items.length} items`);
  });
});
