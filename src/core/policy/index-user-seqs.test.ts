import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dataArb, INTEGRATIONS, NOW, PROPERTY_RUNS, USERS, WORKSPACES } from './arbitraries.test-support.ts';
import { INDEX_LIMITS } from './index-layout.ts';
import { loadMember } from './index-load.ts';
import { IndexStore } from './index-store.ts';
import { UserSeqs } from './index-user-seqs.ts';
import { PolicyIndex } from './policy-index.ts';
import { INTEGRATION_ACTIONS, type PolicyData, type PolicyMember } from './types.ts';

/** A separate string equal to `value` (as a database row hands it), not the same string object. */
const copy = (value: string): string => Buffer.from(value, 'latin1').toString('latin1');

describe('UserSeqs', () => {
  const members: PolicyMember[] = [
    { userId: 'u1', userSeq: 1, workspaceId: 'w1', role: 'member' },
    { userId: 'u2', userSeq: 2, workspaceId: 'w1', role: 'admin' },
    { userId: 'u2', userSeq: 2, workspaceId: 'w2', role: 'member' },
    { userId: 'u3', userSeq: 7, workspaceId: 'w2', role: 'collaborator' },
  ];
  const store = new IndexStore(INDEX_LIMITS);
  const seqs = UserSeqs.of(members)!;
  const slots = members.map((m) => {
    const slot = loadMember(store, m);
    seqs.note(store, m.userSeq, slot);
    return slot;
  });
  const w1 = store.workspace('w1');
  const w2 = store.workspace('w2');

  test("finds a member by the user's number when the number names that user", () => {
    assert.equal(seqs.member(store, 1, 'u1', w1), slots[0]);
    assert.equal(seqs.member(store, 7, copy('u3'), w2), slots[3]);
    // The user's member in another workspace than the one noted last.
    assert.equal(seqs.member(store, 2, 'u2', w1), slots[1]);
    assert.equal(seqs.member(store, 2, 'u2', w2), slots[2]);
  });

  test('answers -1 when the number names another user, no user, or no member in the workspace', () => {
    assert.equal(seqs.member(store, 1, 'u2', w1), -1, 'a number of another user');
    assert.equal(seqs.member(store, 3, 'u1', w1), -1, 'a number nobody has');
    assert.equal(seqs.member(store, 1, 'u1', w2), -1, 'a user without a member in the workspace');
    for (const odd of [
      undefined,
      -1,
      0.5,
      1 / 3,
      2.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 31,
      2 ** 40,
      1e9,
    ])
      assert.equal(seqs.member(store, odd, 'u1', w1), -1, String(odd));
  });

  test('is not made for members without numbers, or with numbers too sparse for an array', () => {
    assert.equal(UserSeqs.of([{ userId: 'u1', workspaceId: 'w1', role: 'member' }]), undefined);
    assert.equal(
      UserSeqs.of([{ userId: 'u1', userSeq: 10_000_000, workspaceId: 'w1', role: 'member' }]),
      undefined,
    );
    assert.equal(UserSeqs.of([{ userId: 'u1', userSeq: -4, workspaceId: 'w1', role: 'member' }]), undefined);
    assert.ok(UserSeqs.of([{ userId: 'u1', userSeq: 1_000, workspaceId: 'w1', role: 'member' }]));
  });
});

/** How a row names its user's number: the user's own, another user's, none, or a value no user has. */
const seqChoice: fc.Arbitrary<SeqChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('own' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...USERS).map((other) => ({ other })) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -1, 0.5, 1 / 3, 99, 2 ** 31, Number.NaN).map((value) => ({ value })),
  },
);

type SeqChoice = 'own' | { readonly other: string } | { readonly value: number } | undefined;

/**
 * `data` with users numbered (`seqOf`), each row that names a user giving the number `choose()`
 * says, and a string of its own for the id where it gives one.
 */
function numbered(data: PolicyData, seqOf: ReadonlyMap<string, number>, choose: () => SeqChoice): PolicyData {
  const pick = (id: string): number | undefined => {
    const choice = choose();
    if (choice === undefined) return undefined;
    if (choice === 'own') return seqOf.get(id);
    return 'other' in choice ? seqOf.get(choice.other) : choice.value;
  };
  return {
    members: data.members.map((m) => {
      const userSeq = pick(m.userId);
      return userSeq === undefined ? m : { ...m, userId: copy(m.userId), userSeq };
    }),
    groups: data.groups.map((g) => ({ ...g, userSeqs: g.userIds.map((id) => pick(id) ?? -1) })),
    integrations: data.integrations.map((i) => ({
      ...i,
      permissions: {
        ...i.permissions,
        users: i.permissions.users.map((e) => {
          const userSeq = pick(e.id);
          return userSeq === undefined ? e : { ...e, id: copy(e.id), userSeq };
        }),
      },
    })),
    pipelines: data.pipelines,
  };
}

describe('a bulk load with users numbered', () => {
  test('builds the index the ids alone build, whatever the numbers say (right, wrong, missing or odd)', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.shuffledSubarray([1, 2, 3, 4, 5, 6], { minLength: USERS.length, maxLength: USERS.length }),
        fc.infiniteStream(seqChoice),
        (data, numbers, choices) => {
          const seqOf = new Map(USERS.map((u, k) => [u, numbers[k]!]));
          const input = numbered(data, seqOf, () => choices.next().value);
          const plain = PolicyIndex.build(data);
          const index = PolicyIndex.build(input);
          assert.deepEqual(index.snapshot(), plain.snapshot());
          for (const w of WORKSPACES)
            for (const u of USERS)
              assert.deepEqual(index.listVisible(u, w, NOW), plain.listVisible(u, w, NOW));
          for (const u of USERS)
            for (const i of INTEGRATIONS)
              for (const action of INTEGRATION_ACTIONS)
                assert.equal(
                  index.allows(u, i, action, NOW),
                  plain.allows(u, i, action, NOW),
                  `${u} ${i} ${action}`,
                );
        },
      ),
      { numRuns: Math.min(PROPERTY_RUNS, 2_000) },
    );
  });
});
