import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  changeOrBatchArb,
  dataArb,
  INTEGRATIONS,
  NOW,
  PIPELINES,
  PROPERTY_RUNS,
  USERS,
} from './arbitraries.test-support.ts';
import { PolicyIndex } from './policy-index.ts';
import type { PolicyData } from './types.ts';
import { whatIf } from './what-if.ts';

const byId = <T extends { id: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

/** A canonical image of the data: entry and list order carry no meaning. */
function canonical(data: PolicyData): string {
  return JSON.stringify({
    members: [...data.members].sort((a, b) =>
      `${a.workspaceId}/${a.userId}` < `${b.workspaceId}/${b.userId}` ? -1 : 1,
    ),
    groups: [...data.groups]
      .sort((a, b) => (`${a.workspaceId}/${a.id}` < `${b.workspaceId}/${b.id}` ? -1 : 1))
      .map((g) => ({ ...g, userIds: [...g.userIds].sort() })),
    integrations: byId(data.integrations).map((i) => ({
      ...i,
      permissions: { ...i.permissions, users: byId(i.permissions.users), groups: byId(i.permissions.groups) },
      allowedPipelines: i.allowedPipelines === 'ALL' ? 'ALL' : byId(i.allowedPipelines),
    })),
    pipelines: byId(data.pipelines),
  });
}

/** The actual difference, by brute force over the whole small universe. */
function actualDiff(before: PolicyIndex, after: PolicyIndex) {
  const users = [];
  for (const userId of USERS) {
    for (const integrationId of INTEGRATIONS) {
      const from = before.level(userId, integrationId, NOW);
      const to = after.level(userId, integrationId, NOW);
      if (from !== to) users.push({ userId, integrationId, from, to });
    }
  }
  const pipelines = [];
  for (const pipelineId of PIPELINES) {
    const gained = INTEGRATIONS.filter(
      (i) => !before.pipelineAdmits(pipelineId, i, NOW) && after.pipelineAdmits(pipelineId, i, NOW),
    );
    const lost = INTEGRATIONS.filter(
      (i) => before.pipelineAdmits(pipelineId, i, NOW) && !after.pipelineAdmits(pipelineId, i, NOW),
    );
    if (gained.length > 0 || lost.length > 0) pipelines.push({ pipelineId, gained, lost });
  }
  return { users, pipelines };
}

describe('what-if', () => {
  test('the predicted difference equals the difference after applying the change, and nothing is applied', () => {
    fc.assert(
      fc.property(dataArb, changeOrBatchArb, (data: PolicyData, change) => {
        const index = PolicyIndex.build(data, 7);
        const image = canonical(index.snapshot().data);
        const predicted = whatIf(index, change, NOW);
        assert.equal(canonical(index.snapshot().data), image, 'the index is left as it was');
        assert.equal(index.revision, 7);
        const applied = PolicyIndex.build(data);
        applied.apply(change);
        const actual = actualDiff(PolicyIndex.build(data), applied);
        assert.deepEqual(
          predicted.users.map(({ userId, integrationId, from, to }) => ({ userId, integrationId, from, to })),
          actual.users,
        );
        assert.deepEqual(predicted.pipelines, actual.pipelines);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test('names the actions gained and lost', () => {
    const data: PolicyData = {
      members: [{ userId: 'ann', workspaceId: 'w', role: 'collaborator' }],
      groups: [],
      integrations: [
        {
          id: 'gh',
          workspaceId: 'w',
          name: 'GitHub',
          scope: { type: 'WORKSPACE' },
          permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users: [], groups: [] },
          allowedPipelines: [{ id: 'build' }],
        },
      ],
      pipelines: [{ id: 'build', workspaceId: 'w', projectId: 'web' }],
    };
    const toDeleteOnly = whatIf(
      data,
      { type: 'others.set', integrationId: 'gh', entry: { level: 'DELETE_ONLY' } },
      NOW,
    );
    assert.deepEqual(toDeleteOnly.users, [
      {
        userId: 'ann',
        integrationId: 'gh',
        from: 'USE',
        to: 'DELETE_ONLY',
        gained: ['integration.delete'],
        lost: ['integration.use', 'integration.verify', 'integration.grant-pipeline'],
      },
    ]);
    const moved = whatIf(
      data,
      { type: 'integration.move', integrationId: 'gh', scope: { type: 'PROJECT', projectId: 'api' } },
      NOW,
    );
    assert.deepEqual(moved.pipelines, [{ pipelineId: 'build', gained: [], lost: ['gh'] }]);
    assert.deepEqual(moved.users[0]?.to, 'DENY');
  });
});
