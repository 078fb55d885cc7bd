/**
 * The index's limits: data beyond them do not load, and a change that would take the index past
 * them is refused before anything changes (`roomFor`, and `apply` / `withChange` refusing it), so
 * the service can refuse a write before committing it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KeyhouseError } from '../errors.ts';
import { changeOrBatchArb, dataArb, PROPERTY_RUNS } from './arbitraries.test-support.ts';
import type { PolicyChange } from './changes.ts';
import { INDEX_LIMITS } from './index-layout.ts';
import { type IndexLimits, PolicyIndex } from './policy-index.ts';
import type { PolicyData, PolicyIntegration } from './types.ts';

const KINDS = ['users', 'groups', 'projects', 'integrations'] as const;

function integration(id: string, over: Partial<PolicyIntegration> = {}): PolicyIntegration {
  return {
    id,
    workspaceId: 'w',
    name: id,
    scope: { type: 'PROJECT', projectId: 'p1' },
    permissions: {
      admins: { level: 'MANAGE' },
      others: { level: 'USE' },
      users: [{ id: 'u1', level: 'USE' }],
      groups: [{ id: 'g1', level: 'DENY' }],
    },
    allowedPipelines: 'ALL',
    ...over,
  };
}

/** Two users, one group, one project, two integrations: the index below is full at these limits. */
const DATA: PolicyData = {
  members: [
    { userId: 'u1', workspaceId: 'w', role: 'member', projectRoles: { p1: 'collaborator' } },
    { userId: 'u2', workspaceId: 'w', role: 'admin' },
  ],
  groups: [{ id: 'g1', workspaceId: 'w', userIds: ['u1'] }],
  integrations: [integration('i1'), integration('i2', { scope: { type: 'WORKSPACE' } })],
  pipelines: [],
};
const FULL: IndexLimits = { users: 2, groups: 1, projects: 1, integrations: 2 };

const isCapacityError = (error: unknown): boolean =>
  error instanceof KeyhouseError && error.code === 'capacity_exceeded' && error.status === 507;

describe('index limits', () => {
  test('data within the limits load; one id more of any kind is refused', () => {
    const index = PolicyIndex.build(DATA, 0, { limits: FULL });
    assert.deepEqual(index.capacity(), { held: FULL, limits: FULL });
    for (const kind of KINDS) {
      const limits = { ...FULL, [kind]: FULL[kind] - 1 };
      assert.throws(() => PolicyIndex.build(DATA, 0, { limits }), isCapacityError, kind);
    }
  });

  test('a group without members or entries takes no room (as a stored, empty group does not)', () => {
    const data = { ...DATA, groups: [...DATA.groups, { id: 'g2', workspaceId: 'w', userIds: [] }] };
    const index = PolicyIndex.build(data, 0, { limits: FULL });
    assert.deepEqual(index.capacity().held, FULL);
  });

  test('a limit above what the layout holds, negative or fractional, is refused', () => {
    for (const kind of KINDS)
      for (const limit of [INDEX_LIMITS[kind] + 1, -1, 1.5])
        assert.throws(() => PolicyIndex.empty({ limits: { [kind]: limit } }), RangeError, `${kind} ${limit}`);
    assert.deepEqual(PolicyIndex.empty().capacity().limits, INDEX_LIMITS);
  });

  test('a full index refuses every change that names a new id, and changes nothing', () => {
    const refused: readonly PolicyChange[] = [
      { type: 'member.upsert', member: { userId: 'u3', workspaceId: 'w', role: 'member' } },
      {
        type: 'member.upsert',
        member: { userId: 'u1', workspaceId: 'w', role: 'member', projectRoles: { p2: 'admin' } },
      },
      { type: 'entry.set-user', integrationId: 'i1', userId: 'u3', entry: { level: 'USE' } },
      // Removing names the id too: applying it would intern it.
      { type: 'entry.remove-user', integrationId: 'i1', userId: 'u3' },
      { type: 'group.add-member', workspaceId: 'w', groupId: 'g2', userId: 'u1' },
      { type: 'group.add-member', workspaceId: 'w', groupId: 'g1', userId: 'u3' },
      { type: 'group.add-member', workspaceId: 'other', groupId: 'g1', userId: 'u1' },
      { type: 'entry.set-group', integrationId: 'i1', groupId: 'g2', entry: { level: 'USE' } },
      { type: 'integration.upsert', integration: integration('i3') },
      {
        type: 'integration.upsert',
        integration: integration('i1', { scope: { type: 'PROJECT', projectId: 'p2' } }),
      },
      {
        type: 'integration.upsert',
        integration: integration('i2', {
          permissions: { ...integration('i2').permissions, users: [{ id: 'u9', level: 'USE' }] },
        }),
      },
      { type: 'integration.move', integrationId: 'i2', scope: { type: 'PROJECT', projectId: 'p2' } },
      { type: 'pipeline.upsert', pipeline: { id: 'q1', workspaceId: 'w', projectId: 'p2' } },
      // A batch that creates an integration and then names a group on it: counted as new.
      {
        type: 'batch',
        changes: [
          { type: 'integration.delete', integrationId: 'i2' },
          { type: 'entry.set-group', integrationId: 'i9', groupId: 'g1', entry: { level: 'USE' } },
        ],
      },
    ];
    const index = PolicyIndex.build(DATA, 7, { limits: FULL });
    const before = index.snapshot();
    for (const change of refused) {
      assert.equal(index.roomFor(change), false, JSON.stringify(change));
      assert.throws(() => index.apply(change), isCapacityError, JSON.stringify(change));
      assert.throws(() => index.withChange(change, () => 0), isCapacityError, JSON.stringify(change));
      assert.deepEqual(index.snapshot(), before, JSON.stringify(change));
      assert.deepEqual(index.capacity().held, FULL);
    }
  });

  test('a full index accepts changes that name only ids it holds', () => {
    const accepted: readonly PolicyChange[] = [
      { type: 'entry.set-user', integrationId: 'i1', userId: 'u2', entry: { level: 'MANAGE' } },
      {
        type: 'member.upsert',
        member: { userId: 'u2', workspaceId: 'w', role: 'member', projectRoles: { p1: 'admin' } },
      },
      { type: 'group.add-member', workspaceId: 'w', groupId: 'g1', userId: 'u2' },
      { type: 'integration.move', integrationId: 'i2', scope: { type: 'PROJECT', projectId: 'p1' } },
      { type: 'integration.delete', integrationId: 'i1' },
      { type: 'integration.upsert', integration: integration('i1') },
      { type: 'others.set', integrationId: 'i2', entry: { level: 'DENY' } },
      { type: 'pipeline.upsert', pipeline: { id: 'q1', workspaceId: 'w', projectId: 'p1' } },
      { type: 'pipelines.allow', integrationId: 'i1', pipeline: { id: 'q7' } },
    ];
    const index = PolicyIndex.build(DATA, 0, { limits: FULL });
    for (const [k, change] of accepted.entries()) {
      assert.equal(index.roomFor(change), true, JSON.stringify(change));
      assert.equal(index.apply(change), k + 1);
    }
    assert.deepEqual(index.capacity().held, FULL);
  });

  test('any change: roomFor true and it applies within the limits, false and it is refused unchanged', () => {
    const seen = { accepted: 0, refused: 0, unloaded: 0 };
    // Limits a little above what the data hold (room for 0–2 more of each kind), and now and then
    // one kind one below (the data then do not load).
    const slackArb = fc.record({
      users: fc.integer({ min: 0, max: 2 }),
      groups: fc.integer({ min: 0, max: 2 }),
      projects: fc.integer({ min: 0, max: 2 }),
      integrations: fc.integer({ min: 0, max: 2 }),
    });
    const shortArb = fc.oneof(
      { arbitrary: fc.constant(null), weight: 5 },
      { arbitrary: fc.constantFrom(...KINDS), weight: 1 },
    );
    fc.assert(
      fc.property(
        dataArb,
        slackArb,
        shortArb,
        fc.array(changeOrBatchArb, { maxLength: 12 }),
        (data, slack, short, changes) => {
          const { held: loaded } = PolicyIndex.build(data).capacity();
          const limits = { ...FULL };
          for (const kind of KINDS) limits[kind] = loaded[kind] + (kind === short ? -1 : slack[kind]);
          if (short !== null && loaded[short] === 0) return;
          if (short !== null) {
            assert.throws(() => PolicyIndex.build(data, 0, { limits }), isCapacityError);
            seen.unloaded++;
            return;
          }
          const index = PolicyIndex.build(data, 0, { limits });
          for (const change of changes) {
            const revision = index.revision;
            if (index.roomFor(change)) {
              seen.accepted++;
              index.apply(change);
              const { held } = index.capacity();
              for (const kind of KINDS) assert.ok(held[kind] <= limits[kind], kind);
            } else {
              seen.refused++;
              const before = index.snapshot();
              const { held } = index.capacity();
              assert.throws(() => index.apply(change), isCapacityError);
              assert.equal(index.revision, revision);
              assert.deepEqual(index.snapshot(), before);
              assert.deepEqual(index.capacity().held, held);
            }
          }
        },
      ),
      { numRuns: Math.max(300, Math.floor(PROPERTY_RUNS / 5)) },
    );
    // Every outcome must occur, or the property proves nothing.
    assert.ok(seen.accepted > 200 && seen.refused > 100 && seen.unloaded > 20, JSON.stringify(seen));
  });
});
