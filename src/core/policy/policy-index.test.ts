import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KeyhouseError } from '../errors.ts';
import { isKnownChange, POLICY_CHANGE_TYPES, type PolicyChange } from './changes.ts';
import { explain } from './explain.ts';
import { PolicyIndex } from './policy-index.ts';
import type { PolicyData } from './types.ts';

const NOW = 10_000;

function seed(): PolicyData {
  const permissions = {
    admins: { level: 'MANAGE' as const },
    others: { level: 'USE' as const },
    users: [],
    groups: [],
  };
  return {
    members: [
      { userId: 'ann', workspaceId: 'w', role: 'collaborator', projectRoles: { web: 'collaborator' } },
      { userId: 'bob', workspaceId: 'w', role: 'member' },
      { userId: 'root', workspaceId: 'w', role: 'admin' },
    ],
    groups: [{ id: 'ops', workspaceId: 'w', userIds: ['bob'] }],
    integrations: [
      {
        id: 'gh',
        workspaceId: 'w',
        name: 'GitHub',
        scope: { type: 'WORKSPACE' },
        permissions,
        allowedPipelines: 'ALL',
      },
      {
        id: 'reg',
        workspaceId: 'w',
        name: 'Registry',
        scope: { type: 'PROJECT', projectId: 'web' },
        permissions,
        allowedPipelines: [{ id: 'build' }],
      },
      {
        id: 'api-s3',
        workspaceId: 'w',
        name: 'Bucket',
        scope: { type: 'PROJECT', projectId: 'api' },
        permissions,
        allowedPipelines: 'ALL',
      },
    ],
    pipelines: [
      { id: 'build', workspaceId: 'w', projectId: 'web' },
      { id: 'deploy', workspaceId: 'w', projectId: 'web' },
    ],
  };
}

describe('PolicyIndex', () => {
  test('every change bumps the revision; atLeast compares', () => {
    const index = PolicyIndex.build(seed(), 41);
    assert.equal(index.revision, 41);
    assert.equal(
      index.apply({ type: 'entry.set-user', integrationId: 'gh', userId: 'ann', entry: { level: 'DENY' } }),
      42,
    );
    assert.equal(
      index.apply({ type: 'entry.remove-user', integrationId: 'nothing', userId: 'ann' }),
      43,
      'a no-op still counts',
    );
    assert.equal(
      index.apply({
        type: 'batch',
        changes: [
          { type: 'group.delete', workspaceId: 'w', groupId: 'ops' },
          { type: 'pipeline.remove', pipelineId: 'deploy' },
        ],
      }),
      44,
    );
    assert.ok(index.atLeast(44) && index.atLeast(3) && !index.atLeast(45));
    assert.equal(index.level('ann', 'gh', NOW), 'DENY');
  });

  test('a change of a type this version does not know is refused, at any depth, changing nothing', () => {
    const index = PolicyIndex.build(seed(), 7);
    const before = JSON.stringify(index.snapshot());
    const deny: PolicyChange = {
      type: 'entry.set-user',
      integrationId: 'gh',
      userId: 'ann',
      entry: { level: 'DENY' },
    };
    const unknown = [
      { type: 'entry.from-a-newer-version', integrationId: 'gh' },
      { type: 'batch', changes: [deny, { type: 'nope' }] },
      { type: 'batch', changes: [{ type: 'batch', changes: [deny, { type: 'nope' }] }] },
      { type: 'batch', changes: 'not a list' },
      null,
    ] as unknown as PolicyChange[];
    for (const change of unknown) {
      assert.equal(isKnownChange(change), false, JSON.stringify(change));
      for (const run of [() => index.apply(change), () => index.withChange(change, () => 0)])
        assert.throws(run, (e: unknown) => e instanceof KeyhouseError && e.code === 'validation_failed');
    }
    assert.equal(JSON.stringify(index.snapshot()), before, 'nothing applied, revision unchanged');
    assert.ok(isKnownChange({ type: 'batch', changes: [deny, { type: 'batch', changes: [] }] }));
    // Every type of the vocabulary is known (the list is checked against the type at compile time).
    for (const type of POLICY_CHANGE_TYPES)
      assert.ok(isKnownChange({ type, changes: [] } as unknown as PolicyChange), type);
  });

  test('lists what a user sees: workspace-wide, own projects, and by project', () => {
    const index = PolicyIndex.build(seed());
    assert.deepEqual(index.listVisible('ann', 'w', NOW).sort(), ['gh', 'reg']);
    assert.deepEqual(index.listVisible('bob', 'w', NOW), ['gh']);
    assert.deepEqual(index.listVisible('root', 'w', NOW).sort(), ['api-s3', 'gh', 'reg']);
    assert.deepEqual(index.listVisible('root', 'w', NOW, { projectId: 'api' }).sort(), ['api-s3', 'gh']);
    assert.deepEqual(index.listVisible('root', 'w', NOW, { projectId: 'nowhere' }), ['gh']);
    assert.deepEqual(index.listVisible('ann', 'elsewhere', NOW), []);
    index.apply({ type: 'entry.set-group', integrationId: 'gh', groupId: 'ops', entry: { level: 'DENY' } });
    assert.deepEqual(index.listVisible('bob', 'w', NOW), []);
    index.apply({
      type: 'entry.set-user',
      integrationId: 'gh',
      userId: 'bob',
      entry: { level: 'USE', expiresAt: NOW },
    });
    assert.deepEqual(index.listVisible('bob', 'w', NOW), [], 'an entry lapsing at now is expired');
    assert.deepEqual(index.listVisible('bob', 'w', NOW - 1), ['gh']);
  });

  test('moving an integration to another project hides it and breaks its pipelines', () => {
    const index = PolicyIndex.build(seed());
    assert.equal(index.checkRun('build', ['reg'], NOW).allowed, true);
    index.apply({
      type: 'integration.move',
      integrationId: 'reg',
      scope: { type: 'PROJECT', projectId: 'api' },
    });
    assert.equal(index.level('ann', 'reg', NOW), 'DENY');
    const run = index.checkRun('build', ['reg', 'gh'], NOW, 'ann');
    assert.equal(run.message, 'Missing permissions to the following integration: Registry');
    assert.equal(run.canGrantAndRetry, false);
  });

  test('grant-and-retry from the index needs USE on each missing integration', () => {
    const index = PolicyIndex.build(seed());
    const run = index.checkRun('deploy', ['reg'], NOW, 'ann');
    assert.deepEqual(
      [run.allowed, run.code, run.canGrantAndRetry],
      [false, 'integration_permission_missing', true],
    );
    index.apply({ type: 'pipelines.allow', integrationId: 'reg', pipeline: { id: 'deploy' } });
    assert.equal(index.checkRun('deploy', ['reg'], NOW).allowed, true);
    assert.equal(index.checkRun('unknown', ['gh'], NOW).missing.length, 1);
  });

  test('decide explains itself through the index', () => {
    const index = PolicyIndex.build(seed());
    const decision = index.decide('bob', 'gh', 'integration.edit', NOW);
    assert.equal(decision.allowed, false);
    const sentences = explain(decision);
    assert.match(sentences.join(' '), /'others' level USE/);
    assert.match(sentences.at(-1)!, /Decided by the action hop: refused/);
  });

  test('a snapshot round-trips', () => {
    const index = PolicyIndex.build(seed(), 5);
    index.apply({ type: 'member.remove', workspaceId: 'w', userId: 'bob' });
    const restored = PolicyIndex.fromSnapshot(index.snapshot());
    assert.equal(restored.revision, 6);
    assert.equal(restored.level('bob', 'gh', NOW), 'DENY');
    assert.deepEqual(restored.stats(), index.stats());
  });
});
