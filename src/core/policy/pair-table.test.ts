import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PairTable } from './pair-table.ts';

type Op =
  | { readonly kind: 'set'; readonly a: number; readonly b: number; readonly value: number }
  | { readonly kind: 'delete' | 'get'; readonly a: number; readonly b: number };

// Few distinct keys, so sets, deletes and gets collide, reuse tombstones and force rehashes.
const a = fc.integer({ min: 0, max: 40 });
const b = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(2 ** 27 - 1));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('set' as const), a, b, value: fc.integer({ min: 0, max: 15 }) }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), a, b }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('get' as const), a, b }), weight: 2 },
);

describe('PairTable', () => {
  test('answers like a Map after any sequence of sets and deletes (previous values included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fc.array(opArb, { maxLength: 400 }), (expected, ops) => {
        const table = new PairTable(expected);
        const model = new Map<string, number>();
        for (const op of ops) {
          const key = `${op.a},${op.b}`;
          const before = model.get(key) ?? -1;
          if (op.kind === 'set') {
            assert.equal(table.set(op.a, op.b, op.value), before);
            model.set(key, op.value);
          } else if (op.kind === 'delete') {
            assert.equal(table.delete(op.a, op.b), before);
            model.delete(key);
          } else assert.equal(table.get(op.a, op.b), before);
          assert.equal(table.size, model.size);
        }
        for (const [key, value] of model) {
          const [x, y] = key.split(',').map(Number) as [number, number];
          assert.equal(table.get(x, y), value, key);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('refuses a second key or a value out of range', () => {
    const table = new PairTable();
    assert.throws(() => table.set(1, 2 ** 27, 0), RangeError);
    assert.throws(() => table.set(1, 1, 16), RangeError);
  });

  test('grows by doubling: never below a third full (at most 25 bytes per pair), every pair kept', () => {
    const table = new PairTable(16);
    for (let k = 0; k < 100_000; k++) table.set(k, k * 7, k & 15);
    assert.equal(table.size, 100_000);
    assert.ok(table.byteLength() <= 100_000 * 25, `${table.byteLength()} bytes`);
    for (let k = 0; k < 100_000; k += 997) assert.equal(table.get(k, k * 7), k & 15);
  });
});
