import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeUuid, IdKeys, PAYLOAD, UuidKeys } from './id-keys.ts';

const hex8 = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');

/** The canonical UUID text of four 32-bit words. */
function uuidText(w0: number, w1: number, w2: number, w3: number): string {
  const h = hex8(w0) + hex8(w1) + hex8(w2) + hex8(w3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const word = fc.integer({ min: -0x80000000, max: 0x7fffffff });

describe('decodeUuid', () => {
  test('accepts the canonical form only', () => {
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    assert.equal(decodeUuid(id), true);
    for (const other of [
      id.toUpperCase(),
      id.slice(1),
      `${id}0`,
      id.replace('-', '0'),
      `${id.slice(0, 7)}-${id.slice(8)}`,
      id.replace('a', 'g'),
      // Code points whose low byte is a hex digit or a dash.
      id.replace('a', '\u0161'),
      id.replace('0', '\u0130'),
      id.replace('-', '\u012d'),
      '',
    ])
      assert.equal(decodeUuid(other), false, other);
  });

  test('refuses, at every position, a character that is not the canonical one', () => {
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    for (let k = 0; k < id.length; k++) {
      const code = id.charCodeAt(k);
      const at = (c: string) => `${id.slice(0, k)}${c}${id.slice(k + 1)}`;
      // The same low byte above 255, a non-digit (or a digit for a dash), an upper-case digit.
      assert.equal(decodeUuid(at(String.fromCharCode(code + 256))), false, `${k}: code ${code + 256}`);
      assert.equal(decodeUuid(at(code === 45 ? '0' : 'g')), false, `${k}: other character`);
      if (code >= 97) assert.equal(decodeUuid(at(id[k]!.toUpperCase())), false, `${k}: upper case`);
    }
  });

  test('decodes any 128 bits and only their own text to them', () => {
    fc.assert(
      fc.property(word, word, word, word, (w0, w1, w2, w3) => {
        const id = uuidText(w0, w1, w2, w3);
        const keys = new UuidKeys(0);
        keys.intern(id);
        assert.equal(keys.get(id), 0);
        // Any one character changed to another hex digit is another id.
        const at = Math.abs(w0 ^ w3) % 36;
        if (id[at] !== '-') {
          const other = `${id.slice(0, at)}${id[at] === '0' ? '1' : '0'}${id.slice(at + 1)}`;
          assert.equal(keys.get(other), -1, other);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('UuidKeys', () => {
  test('ids that differ in one word only, in a full table, each keep their own number', () => {
    const keys = new UuidKeys(0);
    const ids: string[] = [];
    for (let k = 0; k < 4_000; k++) {
      const words = [7, 7, 7, 7];
      words[k % 4] = k;
      ids.push(uuidText(words[0]!, words[1]!, words[2]!, words[3]!));
    }
    const unique = [...new Set(ids)];
    for (const id of unique) keys.intern(id);
    for (const [n, id] of unique.entries()) assert.equal(keys.get(id), n, id);
    assert.equal(keys.get(uuidText(8, 8, 8, 8)), -1);
    assert.equal(keys.get(uuidText(7, 7, 7, 100_000)), -1);
    assert.equal(keys.size, unique.length);
  });

  test('the Map holds every id up to the threshold, then the table takes the UUIDs over', () => {
    const keys = new UuidKeys(2);
    const ids = ['u1', uuidText(1, 2, 3, 4), uuidText(5, 6, 7, 8), uuidText(9, 9, 9, 9), 'u2'];
    for (const id of ids) keys.intern(id);
    for (const [n, id] of ids.entries()) assert.equal(keys.get(id), n);
    assert.equal(keys.get(uuidText(1, 2, 3, 5)), -1);
    assert.ok(keys.packed, 'no table above the threshold');
    const small = new UuidKeys(2);
    small.intern(ids[0]!);
    small.intern(ids[1]!);
    assert.equal(small.packed, false, 'a table below the threshold');
  });

  test("an id's payload stays with it when the table grows, and its slot is where get found it", () => {
    const keys = new UuidKeys(0);
    const ids = Array.from({ length: 3_000 }, (_, k) => uuidText(k, k * 7, k * 13, k * 31));
    for (const [n, id] of ids.entries()) {
      keys.intern(id);
      const at = keys.slotOf(n);
      for (let k = 0; k < 3; k++) keys.table[at + PAYLOAD + k] = n * 3 + k;
    }
    for (const [n, id] of ids.entries()) {
      assert.equal(keys.get(id), n);
      assert.equal(keys.lastAt, keys.slotOf(n));
      for (let k = 0; k < 3; k++) assert.equal(keys.table[keys.lastAt + PAYLOAD + k], n * 3 + k);
    }
    keys.intern('plain');
    assert.equal(keys.get('plain'), ids.length);
    assert.equal(keys.lastAt, -1);
    assert.equal(keys.slotOf(ids.length), -1);
  });

  test('decide like a Map, for any mix of UUIDs, their other spellings and plain ids', () => {
    const base = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3));
    const idArb = fc.oneof(
      base.map(([a, b, c, d]) => uuidText(a, b, c, d)),
      base.map(([a, b, c, d]) => uuidText(a, b, c, d).toUpperCase().replace(/^0/, 'A')),
      fc.constantFrom('u1', 'integration-1', ''),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), idArb), { maxLength: 300 }),
        fc.option(fc.nat(400)),
        fc.nat(40),
        (ops, reserved, packAbove) => {
          const keys = new UuidKeys(packAbove);
          const plain = new IdKeys();
          if (reserved !== null) keys.reserve(reserved);
          for (const [intern, id] of ops) {
            if (intern) assert.equal(keys.intern(id), plain.intern(id), id);
            else assert.equal(keys.get(id), plain.get(id), id);
          }
          assert.deepEqual(keys.ids, plain.ids);
        },
      ),
      { numRuns: 500 },
    );
  });
});
