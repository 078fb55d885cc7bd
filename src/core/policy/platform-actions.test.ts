import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_PLATFORM_ACTIONS,
  type DecidePlatformActionOptions,
  decidePlatformAction,
  minimalRoleFromYes,
  type PlatformActionOverrides,
  withOverrides,
} from './platform-actions.ts';
import { ROLES, type Role } from './types.ts';

/**
 * The seed table (Shippable CI permissions page), transcribed row by row: level, the action id
 * chosen for the row, then the Member / Collaborator / Admin columns as the page prints them.
 */
const SEED: readonly (readonly ['repository' | 'organisation', string, string, string, string])[] = [
  ['repository', 'build.trigger', '', 'Yes', 'Yes'],
  ['repository', 'build.view', 'Yes', 'Yes', 'Yes'],
  ['repository', 'build.run', '', 'Yes', 'Yes'],
  ['repository', 'build.rerun', '', 'Yes', 'Yes'],
  ['repository', 'build.cancel', '', 'Yes', 'Yes'],
  ['repository', 'build.run-custom', '', 'Yes', 'Yes'],
  ['repository', 'logs.download', 'Yes', 'Yes', 'Yes'],
  ['repository', 'project.enable', '', 'Yes', 'Yes'],
  ['repository', 'project.synchronize', 'Yes', 'Yes', 'Yes'],
  ['repository', 'project.pause', '', 'Yes', 'Yes'],
  ['repository', 'project.reset', '', '', 'Yes'],
  ['repository', 'project.delete', '', '', 'Yes'],
  ['repository', 'run-config.branches', '', 'Yes', 'Yes'],
  ['repository', 'run-config.run-types', '', 'Yes', 'Yes'],
  ['repository', 'run-config.webhook-events', '', 'Yes', 'Yes'],
  ['repository', 'run-config.parallel-jobs', '', 'Yes', 'Yes'],
  ['repository', 'run-config.consolidate-reports', '', 'Yes', 'Yes'],
  ['repository', 'run-config.timeout', '', 'Yes', 'Yes'],
  ['repository', 'run-config.coverage-alert', '', 'Yes', 'Yes'],
  ['repository', 'secret.encrypt', '', 'Yes', 'Yes'],
  ['repository', 'secret.decrypt', '', '', 'Yes'],
  ['repository', 'badge.view', 'Yes', 'Yes', 'Yes'],
  ['organisation', 'subscription.machine-image', '', 'Yes', 'Yes'],
  ['organisation', 'subscription.deploy-key.copy', 'Yes', 'Yes', 'Yes'],
  ['organisation', 'subscription.technical-contact.edit', '', '', 'Yes'],
  ['organisation', 'billing.contact.edit', '', '', 'Yes'],
  ['organisation', 'subscription.reset', '', '', 'Yes'],
  ['organisation', 'integrations.add', '', 'Yes', 'Yes'],
  ['organisation', 'integrations.edit', '', 'Yes', 'Yes'],
  ['organisation', 'integrations.delete', '', 'Yes', 'Yes'],
  ['organisation', 'secret.encrypt', '', 'Yes', 'Yes'],
  ['organisation', 'secret.decrypt', '', '', 'Yes'],
  ['organisation', 'billing.edit', '', '', 'Yes'],
  ['organisation', 'nodes.configure', '', 'Yes', 'Yes'],
  ['organisation', 'nodes.edit', '', 'Yes', 'Yes'],
  ['organisation', 'nodes.reset', '', 'Yes', 'Yes'],
  ['organisation', 'nodes.delete', '', 'Yes', 'Yes'],
];

/** The nine user-level rows: "all users … can perform these actions for their accounts". */
const PERSONAL = [
  'account.email.edit',
  'account.synchronize',
  'account.git-identities.enable',
  'account.delete',
  'account.integrations.add',
  'account.integrations.edit',
  'account.integrations.delete',
  'account.cards.edit',
  'account.api-tokens.edit',
];

const decide = (options: Omit<DecidePlatformActionOptions, 'table'>) =>
  decidePlatformAction({ table: DEFAULT_PLATFORM_ACTIONS, ...options });

const asRole = (role: Role) => ({ userId: 'u1', workspaceRole: role });

describe('seed table', () => {
  for (const [level, action, ...columns] of SEED) {
    test(`${level} ${action}: ${columns.map((c) => c || '-').join(' / ')}`, () => {
      ROLES.forEach((role, index) => {
        const projectId = level === 'repository' ? 'p1' : undefined;
        const decision = decide({ action, actor: asRole(role), ...(projectId ? { projectId } : {}) });
        assert.equal(decision.allowed, columns[index] === 'Yes', `${role}`);
        assert.deepEqual(decision.reasons.at(-1), {
          hop: 'platform-action',
          action,
          level,
          required: ROLES[columns.filter((c) => c === '').length],
          role,
          allowed: columns[index] === 'Yes',
        });
      });
    });
  }

  test('the default table has exactly the seed rows, in order, and nothing else', () => {
    const expected = [
      ...SEED.map(([level, action]) => `${level} ${action}`),
      ...PERSONAL.map((a) => `personal ${a}`),
    ];
    assert.deepEqual(
      DEFAULT_PLATFORM_ACTIONS.map((rule) => `${rule.level} ${rule.action}`),
      expected,
    );
  });

  test('three Yes = member, two = collaborator, one = admin', () => {
    assert.equal(minimalRoleFromYes('YYY'), 'member');
    assert.equal(minimalRoleFromYes('-YY'), 'collaborator');
    assert.equal(minimalRoleFromYes('--Y'), 'admin');
  });

  test('every rule carries a description and the seed row it came from', () => {
    for (const rule of DEFAULT_PLATFORM_ACTIONS) {
      assert.ok(rule.description.length > 0, rule.action);
      assert.match(rule.seed.path, /^(Repository \(Project\) level|Organization level|User level) › /);
    }
  });
});

describe('personal-account actions', () => {
  for (const action of PERSONAL) {
    test(`${action} is allowed to the account owner alone, whatever the role`, () => {
      const owner = decide({ action, actor: { userId: 'owner' }, accountOwnerId: 'owner' });
      assert.equal(owner.allowed, true);
      assert.deepEqual(owner.reasons, [
        { hop: 'platform-action', action, level: 'personal', required: 'owner', allowed: true },
      ]);
      const admin = decide({
        action,
        actor: { userId: 'admin', workspaceRole: 'admin' },
        accountOwnerId: 'owner',
      });
      assert.equal(admin.allowed, false);
      assert.equal(decide({ action, actor: { userId: 'owner' } }).allowed, false, 'no owner given');
    });
  }
});

describe('project role', () => {
  test('a project role decides repository actions in its project, up or down', () => {
    const actor = { userId: 'u1', workspaceRole: 'admin' as const, projectRoles: { p1: 'member' as const } };
    const inP1 = decide({ action: 'build.cancel', actor, projectId: 'p1' });
    assert.equal(inP1.allowed, false);
    assert.deepEqual(inP1.reasons[0], { hop: 'role', role: 'member', source: 'project', projectId: 'p1' });
    assert.equal(decide({ action: 'build.cancel', actor, projectId: 'p2' }).allowed, true);
    const raised = { userId: 'u2', workspaceRole: 'member' as const, projectRoles: { p1: 'admin' as const } };
    assert.equal(decide({ action: 'project.delete', actor: raised, projectId: 'p1' }).allowed, true);
    assert.equal(decide({ action: 'project.delete', actor: raised, projectId: 'p2' }).allowed, false);
  });

  test('the role hop names the SCM role a role came from', () => {
    const roleSource = { kind: 'scm', host: 'gitlab', scmRole: '30', syncedAt: 1 } as const;
    const actor = {
      userId: 'u1',
      projectRoles: { p1: 'collaborator' as const },
      projectRoleSources: { p1: roleSource },
    };
    const decision = decide({ action: 'build.run', actor, projectId: 'p1' });
    assert.deepEqual(decision.reasons[0], {
      hop: 'role',
      role: 'collaborator',
      source: 'project',
      projectId: 'p1',
      roleSource,
    });
    const manual = { kind: 'manual' } as const;
    const viaWorkspace = decide({
      action: 'billing.edit',
      actor: { ...asRole('admin'), workspaceRoleSource: manual },
    });
    assert.deepEqual(viaWorkspace.reasons[0], {
      hop: 'role',
      role: 'admin',
      source: 'workspace',
      roleSource: manual,
    });
  });

  test('organisation actions ignore the project role', () => {
    const actor = { userId: 'u1', workspaceRole: 'member' as const, projectRoles: { p1: 'admin' as const } };
    const decision = decide({ action: 'billing.edit', actor, projectId: 'p1' });
    assert.equal(decision.allowed, false);
    assert.deepEqual(decision.reasons[0], { hop: 'role', role: 'member', source: 'workspace' });
  });

  test('an action at both levels uses the repository rule with a project, the organisation rule without', () => {
    const actor = {
      userId: 'u1',
      workspaceRole: 'member' as const,
      projectRoles: { p1: 'collaborator' as const },
    };
    assert.equal(decide({ action: 'secret.encrypt', actor, projectId: 'p1' }).allowed, true);
    assert.equal(decide({ action: 'secret.encrypt', actor }).allowed, false);
  });

  test('a project role alone (no workspace role) admits repository actions of that project only', () => {
    const actor = { userId: 'u1', projectRoles: { p1: 'collaborator' as const } };
    assert.equal(decide({ action: 'build.run', actor, projectId: 'p1' }).allowed, true);
    assert.equal(decide({ action: 'build.view', actor, projectId: 'p2' }).allowed, false);
    assert.equal(decide({ action: 'nodes.configure', actor, projectId: 'p1' }).allowed, false);
  });
});

describe('refusals', () => {
  test('a non-member is refused, with the membership hop when the workspace is named', () => {
    const decision = decide({
      action: 'build.view',
      actor: { userId: 'x' },
      projectId: 'p1',
      workspaceId: 'w1',
    });
    assert.equal(decision.allowed, false);
    assert.deepEqual(decision.reasons, [
      { hop: 'membership', workspaceId: 'w1', member: false },
      {
        hop: 'platform-action',
        action: 'build.view',
        level: 'repository',
        required: 'member',
        allowed: false,
      },
    ]);
  });

  test('an unknown action is refused with a code', () => {
    const decision = decide({ action: 'build.teleport', actor: asRole('admin') });
    assert.deepEqual(decision, { allowed: false, reasons: [], code: 'platform_action_unknown' });
  });
});

describe('pipeline runs and secrets', () => {
  const run = (projectId: string) => ({ kind: 'pipeline-run' as const, pipelineId: 'pl1', projectId });

  test('a run decrypts the secrets of its own project, not of another', () => {
    const own = decide({ action: 'secret.decrypt', actor: run('p1'), projectId: 'p1' });
    assert.equal(own.allowed, true);
    assert.equal(own.reasons[0]?.hop, 'pipeline-run');
    assert.equal(decide({ action: 'secret.decrypt', actor: run('p2'), projectId: 'p1' }).allowed, false);
  });

  test('a run of any project decrypts a workspace secret', () => {
    assert.equal(decide({ action: 'secret.decrypt', actor: run('p9') }).allowed, true);
  });

  test('a run may do nothing else', () => {
    for (const rule of DEFAULT_PLATFORM_ACTIONS.filter((r) => r.action !== 'secret.decrypt')) {
      const decision = decide({
        action: rule.action,
        actor: run('p1'),
        projectId: 'p1',
        accountOwnerId: 'p1',
      });
      assert.equal(decision.allowed, false, rule.action);
    }
  });
});

describe('withOverrides', () => {
  test('an override changes the minimal role of one rule only', () => {
    const result = withOverrides(DEFAULT_PLATFORM_ACTIONS, { 'build.cancel': { repository: 'admin' } });
    assert.ok(result.ok);
    const cancel = decidePlatformAction({
      table: result.table,
      action: 'build.cancel',
      actor: asRole('collaborator'),
      projectId: 'p1',
    });
    assert.equal(cancel.allowed, false);
    const changed = result.table.filter((rule, i) => rule !== DEFAULT_PLATFORM_ACTIONS[i]);
    assert.deepEqual(
      changed.map((r) => [r.action, r.required]),
      [['build.cancel', 'admin']],
    );
    assert.equal(DEFAULT_PLATFORM_ACTIONS.find((r) => r.action === 'build.cancel')?.required, 'collaborator');
  });

  test('bad overrides come back as error values, all of them', () => {
    const result = withOverrides(DEFAULT_PLATFORM_ACTIONS, {
      'build.teleport': { repository: 'admin' },
      'billing.edit': { repository: 'admin' },
      'build.view': { repository: 'owner' },
      'secret.decrypt': { organisation: 'collaborator' },
      'account.delete': { personal: 'admin' },
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((e) => [e.action, e.code]),
      [
        ['build.teleport', 'unknown_action'],
        ['billing.edit', 'unknown_level'],
        ['build.view', 'unknown_role'],
        ['secret.decrypt', 'not_adjustable'],
        ['account.delete', 'not_adjustable'],
      ],
    );
    assert.match(result.errors[2]?.message ?? '', /unknown role 'owner'/);
  });

  test('never throws, whatever the input', () => {
    const anyOverrides = fc.dictionary(
      fc.string(),
      fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())),
    );
    fc.assert(
      fc.property(anyOverrides, (overrides) => {
        const result = withOverrides(DEFAULT_PLATFORM_ACTIONS, overrides as PlatformActionOverrides);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 500 },
    );
  });
});

test('a higher role is never refused what a lower role is allowed', () => {
  const actions = DEFAULT_PLATFORM_ACTIONS.filter((r) => r.level !== 'personal');
  fc.assert(
    fc.property(
      fc.constantFrom(...actions),
      fc.constantFrom(...ROLES),
      fc.constantFrom(...ROLES),
      (rule, a, b) => {
        const [low, high] = ROLES.indexOf(a) <= ROLES.indexOf(b) ? [a, b] : [b, a];
        const projectId = rule.level === 'repository' ? 'p1' : undefined;
        const at = (role: Role) =>
          decide({ action: rule.action, actor: asRole(role), ...(projectId ? { projectId } : {}) }).allowed;
        assert.ok(!at(low) || at(high));
      },
    ),
    { numRuns: 10_000 },
  );
});
