import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PolicyIndex } from './policy-index.ts';
import { referenceLevel } from './reference-evaluator.test-support.ts';
import type { Level, PolicyData, PolicyIntegration, SubjectEntry } from './types.ts';
import { LEVELS } from './types.ts';

const NOW = 50_000;
/** More integrations than the entry lists scan (16), so lookups also search by halves. */
const INTEGRATIONS = 120;
const ids = Array.from({ length: INTEGRATIONS }, (_, k) => `int-${k}`);

function integration(id: string, users: SubjectEntry[], groups: SubjectEntry[]): PolicyIntegration {
  return {
    id,
    workspaceId: 'w',
    name: id,
    scope: { type: 'WORKSPACE' },
    permissions: { admins: { level: 'MANAGE' }, others: { level: 'DELETE_ONLY' }, users, groups },
    allowedPipelines: 'ALL',
  };
}

/** A workspace where `ann` (collaborator, in `devs`) and `devs` hold the given entries. */
function data(
  userEntries: ReadonlyMap<number, SubjectEntry>,
  groupEntries: ReadonlyMap<number, SubjectEntry>,
  order: readonly number[] = ids.map((_, k) => k),
): PolicyData {
  return {
    members: [
      { userId: 'ann', workspaceId: 'w', role: 'collaborator' },
      { userId: 'bob', workspaceId: 'w', role: 'collaborator' },
    ],
    groups: [{ id: 'devs', workspaceId: 'w', userIds: ['ann', 'bob'] }],
    integrations: order.map((k) => {
      const user = userEntries.get(k);
      const group = groupEntries.get(k);
      return integration(ids[k]!, user === undefined ? [] : [user], group === undefined ? [] : [group]);
    }),
    pipelines: [],
  };
}

const levelArb = fc.constantFrom<Level>(...LEVELS);
const entryArb = (id: string): fc.Arbitrary<SubjectEntry> =>
  fc.record(
    { id: fc.constant(id), level: levelArb, expiresAt: fc.integer({ min: NOW - 10, max: NOW + 10 }) },
    { requiredKeys: ['id', 'level'] },
  );
const entriesArb = (id: string) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: INTEGRATIONS - 1 }), entryArb(id)), {
      minLength: 20,
      maxLength: 2 * INTEGRATIONS,
      size: 'max',
    })
    .map((pairs) => new Map(pairs));

type Step =
  | { readonly kind: 'user' | 'group'; readonly k: number; readonly entry: SubjectEntry }
  | { readonly kind: 'remove-user' | 'remove-group'; readonly k: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('user' as const), k: fc.nat(INTEGRATIONS - 1), entry: entryArb('ann') }),
  fc.record({ kind: fc.constant('group' as const), k: fc.nat(INTEGRATIONS - 1), entry: entryArb('devs') }),
  fc.record({
    kind: fc.constantFrom('remove-user' as const, 'remove-group' as const),
    k: fc.nat(INTEGRATIONS - 1),
  }),
);

function assertAgrees(index: PolicyIndex, model: PolicyData, context: string): void {
  for (const id of ids)
    for (const user of ['ann', 'bob'])
      assert.equal(
        index.level(user, id, NOW),
        referenceLevel(model, user, id, NOW),
        `${context}: ${user} on ${id}`,
      );
}

describe('entry lists', () => {
  test('long, sorted entry lists decide like the reference after a bulk load and any sequence of changes', () => {
    fc.assert(
      fc.property(
        entriesArb('ann'),
        entriesArb('devs'),
        fc.array(stepArb, { maxLength: 60 }),
        (users, groups, steps) => {
          const userEntries = new Map(users);
          const groupEntries = new Map(groups);
          const index = PolicyIndex.build(data(userEntries, groupEntries));
          assertAgrees(index, data(userEntries, groupEntries), 'after the load');
          for (const step of steps) {
            const integrationId = ids[step.k]!;
            if (step.kind === 'user') {
              index.apply({ type: 'entry.set-user', integrationId, userId: 'ann', entry: step.entry });
              userEntries.set(step.k, step.entry);
            } else if (step.kind === 'group') {
              index.apply({ type: 'entry.set-group', integrationId, groupId: 'devs', entry: step.entry });
              groupEntries.set(step.k, step.entry);
            } else if (step.kind === 'remove-user') {
              index.apply({ type: 'entry.remove-user', integrationId, userId: 'ann' });
              userEntries.delete(step.k);
            } else {
              index.apply({ type: 'entry.remove-group', integrationId, groupId: 'devs' });
              groupEntries.delete(step.k);
            }
          }
          assertAgrees(index, data(userEntries, groupEntries), 'after the changes');
          assert.deepEqual(index.stats().userEntries, userEntries.size);
          assert.deepEqual(index.stats().groupEntries, groupEntries.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a load in any order, with integrations named again at its end, decides alike (lists re-sorted)', () => {
    fc.assert(
      fc.property(
        entriesArb('ann'),
        entriesArb('devs'),
        fc.shuffledSubarray(
          ids.map((_, k) => k),
          { minLength: INTEGRATIONS },
        ),
        fc.integer({ min: 1, max: 20 }),
        (users, groups, order, again) => {
          // The second copy of an integration replaces the first and appends its entries after
          // later integrations', so the member and group lists must be sorted again.
          const index = PolicyIndex.build(data(users, groups, [...order, ...order.slice(0, again)]));
          assertAgrees(index, data(users, groups), 'load with repeats');
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a subject named twice in one integration keeps its last entry, expiry included', () => {
    const twice = integration(
      'gh',
      [
        { id: 'ann', level: 'MANAGE', expiresAt: NOW - 1 },
        { id: 'ann', level: 'USE' },
      ],
      [
        { id: 'devs', level: 'DENY' },
        { id: 'devs', level: 'MANAGE', expiresAt: NOW + 1 },
      ],
    );
    const index = PolicyIndex.build({
      members: [
        { userId: 'ann', workspaceId: 'w', role: 'collaborator' },
        { userId: 'bob', workspaceId: 'w', role: 'collaborator' },
      ],
      groups: [{ id: 'devs', workspaceId: 'w', userIds: ['bob'] }],
      integrations: [twice],
      pipelines: [],
    });
    assert.equal(index.level('ann', 'gh', NOW), 'USE');
    assert.equal(index.level('bob', 'gh', NOW), 'MANAGE');
    assert.equal(index.level('bob', 'gh', NOW + 1), 'DELETE_ONLY');
    assert.deepEqual(index.integration('gh')?.permissions.users, [{ id: 'ann', level: 'USE' }]);
    assert.deepEqual(index.integration('gh')?.permissions.groups, [
      { id: 'devs', level: 'MANAGE', expiresAt: NOW + 1 },
    ]);
    assert.deepEqual(index.stats(), { userEntries: 1, groupEntries: 1, integrations: 1, members: 2 });
  });

  test('an integration named twice in a load is replaced by its second copy', () => {
    const first = integration('gh', [{ id: 'ann', level: 'MANAGE' }], [{ id: 'devs', level: 'USE' }]);
    const other = integration('reg', [{ id: 'ann', level: 'DENY' }], []);
    const second = integration('gh', [{ id: 'bob', level: 'USE' }], []);
    const index = PolicyIndex.build({
      members: [
        { userId: 'ann', workspaceId: 'w', role: 'collaborator' },
        { userId: 'bob', workspaceId: 'w', role: 'collaborator' },
      ],
      groups: [{ id: 'devs', workspaceId: 'w', userIds: ['ann'] }],
      integrations: [first, other, second],
      pipelines: [],
    });
    assert.equal(index.level('ann', 'gh', NOW), 'DELETE_ONLY');
    assert.equal(index.level('bob', 'gh', NOW), 'USE');
    assert.equal(index.level('ann', 'reg', NOW), 'DENY');
    assert.deepEqual(index.groupOf('w', 'devs').integrationIds, []);
    assert.deepEqual(index.stats(), { userEntries: 2, groupEntries: 0, integrations: 2, members: 2 });
  });
});

describe('group memberships in a load', () => {
  test('a member named twice in a group joins once; a group named twice gets the union', () => {
    const index = PolicyIndex.build({
      members: ['ann', 'bob', 'cy'].map((userId) => ({
        userId,
        workspaceId: 'w',
        role: 'collaborator' as const,
      })),
      groups: [
        { id: 'devs', workspaceId: 'w', userIds: ['ann', 'bob', 'ann'] },
        { id: 'ops', workspaceId: 'w', userIds: ['cy'] },
        { id: 'devs', workspaceId: 'w', userIds: ['cy', 'bob'] },
      ],
      integrations: [integration('gh', [], [{ id: 'devs', level: 'MANAGE' }])],
      pipelines: [],
    });
    assert.deepEqual(index.groupOf('w', 'devs').userIds, ['ann', 'bob', 'cy']);
    assert.deepEqual(index.groupOf('w', 'ops').userIds, ['cy']);
    assert.deepEqual(index.snapshot().data.groups.find((g) => g.id === 'devs')?.userIds, [
      'ann',
      'bob',
      'cy',
    ]);
    // Leaving once is leaving: no second copy of the membership keeps the access.
    index.apply({ type: 'group.remove-member', workspaceId: 'w', groupId: 'devs', userId: 'ann' });
    assert.equal(index.level('ann', 'gh', NOW), 'DELETE_ONLY', 'others, as for anyone outside devs');
    assert.equal(index.level('cy', 'gh', NOW), 'MANAGE');
  });
});

describe('names validated input never holds', () => {
  test('an unknown level ranks as DENY and an unknown role as member: the index fails closed', () => {
    const index = PolicyIndex.build({
      members: [{ userId: 'ann', workspaceId: 'w', role: 'owner' as unknown as 'admin' }],
      groups: [],
      integrations: [
        integration('gh', [{ id: 'ann', level: 'SUPER' as unknown as Level }], []),
        integration('reg', [], []),
      ],
      pipelines: [],
    });
    assert.equal(index.level('ann', 'gh', NOW), 'DENY');
    assert.equal(index.level('ann', 'reg', NOW), 'DELETE_ONLY');
    assert.equal(index.allows('ann', 'reg', 'integration.edit', NOW), false);
  });
});
