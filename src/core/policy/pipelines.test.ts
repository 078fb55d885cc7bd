import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explain } from './explain.ts';
import { checkRun, missingPermissionsMessage, pipelineRule } from './pipelines.ts';
import type {
  AllowedPipelines,
  IntegrationScope,
  Level,
  PolicyIntegration,
  PolicyMember,
  PolicyPipeline,
} from './types.ts';

const NOW = 1_000;
const BUILD: PolicyPipeline = { id: 'build', workspaceId: 'w', projectId: 'web' };

function integration(
  id: string,
  allowedPipelines: AllowedPipelines,
  scope: IntegrationScope = { type: 'WORKSPACE' },
  workspaceId = 'w',
  userLevel?: Level,
): PolicyIntegration {
  return {
    id,
    workspaceId,
    name: id.toUpperCase(),
    scope,
    permissions: {
      admins: { level: 'MANAGE' },
      others: { level: 'USE' },
      users: userLevel === undefined ? [] : [{ id: 'ann', level: userLevel }],
      groups: [],
    },
    allowedPipelines,
  };
}

const RULES: readonly [string, PolicyIntegration, ReturnType<typeof pipelineRule>][] = [
  ['ALL admits every pipeline of the workspace', integration('a', 'ALL'), 'all'],
  ['a listed pipeline is admitted', integration('a', [{ id: 'build' }]), 'listed'],
  ['an unlisted pipeline is refused', integration('a', [{ id: 'deploy' }]), 'not-listed'],
  ['an empty list refuses every pipeline', integration('a', []), 'not-listed'],
  [
    'a listing that expired at now is refused',
    integration('a', [{ id: 'build', expiresAt: NOW }]),
    'expired',
  ],
  [
    'a listing that expires after now is admitted',
    integration('a', [{ id: 'build', expiresAt: NOW + 1 }]),
    'listed',
  ],
  [
    'a PROJECT integration of the same project is admitted',
    integration('a', 'ALL', { type: 'PROJECT', projectId: 'web' }),
    'all',
  ],
  [
    'a PROJECT integration of another project is refused whatever its list',
    integration('a', [{ id: 'build' }], { type: 'PROJECT', projectId: 'api' }),
    'other-project',
  ],
  [
    'an integration of another workspace is refused',
    integration('a', 'ALL', { type: 'WORKSPACE' }, 'other'),
    'other-workspace',
  ],
];

describe('pipelines', () => {
  for (const [name, subject, rule] of RULES) {
    test(name, () => assert.equal(pipelineRule(BUILD, subject, NOW), rule));
  }

  test('the exact messages, singular and plural', () => {
    assert.equal(
      missingPermissionsMessage(['GitHub']),
      'Missing permissions to the following integration: GitHub',
    );
    assert.equal(
      missingPermissionsMessage(['GitHub', 'Registry']),
      'Missing permissions to the following integrations: GitHub, Registry',
    );
  });

  test('a refused run lists every missing integration with the stable code', () => {
    const run = checkRun(
      BUILD,
      [integration('a', [{ id: 'deploy' }]), integration('b', 'ALL'), integration('c', [])],
      NOW,
    );
    assert.equal(run.allowed, false);
    assert.deepEqual(run.missing, [
      { id: 'a', name: 'A' },
      { id: 'c', name: 'C' },
    ]);
    assert.equal(run.code, 'integration_permission_missing');
    assert.equal(run.message, 'Missing permissions to the following integrations: A, C');
    assert.equal(run.canGrantAndRetry, undefined);
    assert.match(explain(run).at(-1)!, /Missing permissions to the following integrations: A, C/);
  });

  test("a user's DENY does not break a pipeline", () => {
    const ann: PolicyMember = { userId: 'ann', workspaceId: 'w', role: 'collaborator' };
    const run = checkRun(BUILD, [integration('a', 'ALL', { type: 'WORKSPACE' }, 'w', 'DENY')], NOW, {
      member: ann,
      groupIds: [],
    });
    assert.deepEqual(run, {
      allowed: true,
      missing: [],
      reasons: [{ hop: 'pipeline', pipelineId: 'build', integrationId: 'a', admitted: true, rule: 'all' }],
    });
  });

  const asker = (role: PolicyMember['role']) => ({
    member: { userId: 'ann', workspaceId: 'w', role },
    groupIds: [],
  });
  const GRANT: readonly [string, PolicyIntegration[], ReturnType<typeof asker>, boolean][] = [
    ['USE may grant and retry', [integration('a', [], undefined, 'w', 'USE')], asker('collaborator'), true],
    [
      'MANAGE may grant and retry',
      [integration('a', [], undefined, 'w', 'MANAGE')],
      asker('collaborator'),
      true,
    ],
    [
      'DELETE_ONLY may not',
      [integration('a', [], undefined, 'w', 'DELETE_ONLY')],
      asker('collaborator'),
      false,
    ],
    ['DENY may not', [integration('a', [], undefined, 'w', 'DENY')], asker('collaborator'), false],
    [
      'every missing one needs USE',
      [integration('a', [], undefined, 'w', 'USE'), integration('b', [], undefined, 'w', 'DENY')],
      asker('collaborator'),
      false,
    ],
    [
      'a PROJECT integration of another project is never grantable',
      [integration('a', [], { type: 'PROJECT', projectId: 'api' }, 'w', 'MANAGE')],
      asker('admin'),
      false,
    ],
    [
      'another workspace is never grantable',
      [integration('a', [], undefined, 'other', 'MANAGE')],
      asker('admin'),
      false,
    ],
  ];
  for (const [name, integrations, who, expected] of GRANT) {
    test(`grant-and-retry: ${name}`, () => {
      const run = checkRun(BUILD, integrations, NOW, who);
      assert.equal(run.allowed, false);
      assert.equal(run.canGrantAndRetry, expected);
    });
  }
});
