import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicyIndex } from './policy-index.ts';
import {
  referenceAllows,
  referenceLevel,
  referenceList,
  referenceRun,
} from './reference-evaluator.test-support.ts';
import type {
  AllowedPipelines,
  IntegrationScope,
  Level,
  PolicyData,
  PolicyGroup,
  PolicyMember,
  Role,
  SubjectEntry,
} from './types.ts';
import { INTEGRATION_ACTIONS } from './types.ts';

const NOW = 5_000;
const CHOICES: readonly (Level | undefined)[] = [undefined, 'DENY', 'DELETE_ONLY', 'USE', 'MANAGE'];
const ROLE_PAIRS: readonly (readonly [Role, Role])[] = [
  ['member', 'admin'],
  ['collaborator', 'member'],
  ['admin', 'collaborator'],
];
const MEMBERSHIPS: readonly PolicyGroup[][] = [
  [
    { id: 'g1', workspaceId: 'w', userIds: ['u1', 'u2'] },
    { id: 'g2', workspaceId: 'w', userIds: ['u2'] },
  ],
  [{ id: 'g2', workspaceId: 'w', userIds: ['u2'] }],
];
const ALLOWED: readonly AllowedPipelines[] = ['ALL', [{ id: 'q1' }], [{ id: 'q1', expiresAt: NOW }]];
const SCOPES: readonly IntegrationScope[] = [{ type: 'WORKSPACE' }, { type: 'PROJECT', projectId: 'p1' }];

function entries(ids: readonly string[], levels: readonly (Level | undefined)[]): SubjectEntry[] {
  return ids.flatMap((id, k) => (levels[k] === undefined ? [] : [{ id, level: levels[k]! }]));
}

function* universes(): Generator<PolicyData> {
  let k = 0;
  for (const u1 of CHOICES)
    for (const u2 of CHOICES)
      for (const g1 of CHOICES)
        for (const g2 of CHOICES) {
          for (const others of CHOICES.slice(1) as Level[])
            for (const admins of ['DELETE_ONLY', 'USE', 'MANAGE'] as const) {
              k++;
              const integration = {
                id: 'i1',
                workspaceId: 'w',
                name: 'Registry',
                scope: SCOPES[k % 2]!,
                permissions: {
                  admins: { level: admins },
                  others: { level: others },
                  users: entries(['u1', 'u2'], [u1, u2]),
                  groups: entries(['g1', 'g2'], [g1, g2]),
                },
                allowedPipelines: ALLOWED[k % 3]!,
              };
              for (const [r1, r2] of ROLE_PAIRS)
                for (const groups of MEMBERSHIPS) {
                  const members: PolicyMember[] = [
                    { userId: 'u1', workspaceId: 'w', role: r1, projectRoles: { p1: r1 } },
                    { userId: 'u2', workspaceId: 'w', role: r2 },
                  ];
                  yield {
                    members,
                    groups,
                    integrations: [integration],
                    pipelines: [{ id: 'q1', workspaceId: 'w', projectId: 'p1' }],
                  };
                }
            }
        }
}

test('every assignment of {none, DENY, DELETE_ONLY, USE, MANAGE} to 2 users and 2 groups decides like the reference', () => {
  let count = 0;
  for (const data of universes()) {
    count++;
    const index = PolicyIndex.build(data);
    for (const userId of ['u1', 'u2']) {
      const level = referenceLevel(data, userId, 'i1', NOW);
      assert.equal(index.level(userId, 'i1', NOW), level, JSON.stringify(data));
      for (const action of INTEGRATION_ACTIONS) {
        assert.equal(
          index.decide(userId, 'i1', action, NOW).allowed,
          referenceAllows(data, userId, 'i1', action, NOW),
        );
      }
      assert.deepEqual(index.listVisible(userId, 'w', NOW), referenceList(data, userId, 'w', NOW));
      const { reasons: _reasons, ...run } = index.checkRun('q1', ['i1'], NOW, userId);
      assert.deepEqual(run, referenceRun(data, 'q1', ['i1'], NOW, userId));
    }
  }
  assert.equal(count, 5 ** 4 * 4 * 3 * ROLE_PAIRS.length * MEMBERSHIPS.length);
});
