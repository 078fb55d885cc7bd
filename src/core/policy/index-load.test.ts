import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { memberArb } from './arbitraries.test-support.ts';
import { rankOf } from './index-load.ts';
import { PolicyIndex } from './policy-index.ts';
import { LEVELS, type PolicyMember, ROLES } from './types.ts';

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

describe('bulk load of members', () => {
  /** Each member's last row, where its first came (as a store that keeps one row per member). */
  const lastRows = (members: readonly PolicyMember[]): PolicyMember[] => {
    const rows = new Map<string, PolicyMember>();
    for (const member of members) rows.set(`${member.workspaceId}/${member.userId}`, member);
    return [...rows.values()];
  };
  const byMember = (members: readonly PolicyMember[]): PolicyMember[] =>
    [...members].sort((a, b) => (`${a.workspaceId}/${a.userId}` < `${b.workspaceId}/${b.userId}` ? -1 : 1));

  test('a member named twice keeps its last row, project roles included, whatever loads between', () => {
    fc.assert(
      fc.property(fc.array(memberArb, { minLength: 1, maxLength: 14 }), (members) => {
        const data = { members, groups: [], integrations: [], pipelines: [] };
        const expected = PolicyIndex.build({ ...data, members: lastRows(members) }).snapshot().data.members;
        assert.deepEqual(byMember(PolicyIndex.build(data).snapshot().data.members), byMember(expected));
      }),
      { numRuns: 2_000 },
    );
  });
});
