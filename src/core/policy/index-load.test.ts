import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { rankOf } from './index-load.ts';
import { LEVELS, ROLES } from './types.ts';

describe('rankOf', () => {
  test('ranks every level and role by its place in its order', () => {
    for (const [rank, level] of LEVELS.entries()) assert.equal(rankOf(level), rank, level);
    for (const [rank, role] of ROLES.entries()) assert.equal(rankOf(role), rank, role);
  });

  test('ranks any other name lowest (fails closed), however close to a name it is', () => {
    const near = [
      '',
      'USX',
      'use',
      'Use',
      'ADMIN',
      'admin ',
      'Manage',
      'MANAGEX',
      'DELETE-ONLY',
      'collaborater',
    ];
    for (const name of near) assert.equal(rankOf(name), 0, JSON.stringify(name));
    const names = new Set<string>([...LEVELS, ...ROLES]);
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }), (name) => {
        fc.pre(!names.has(name));
        assert.equal(rankOf(name), 0);
      }),
      { numRuns: 2_000 },
    );
  });
});
