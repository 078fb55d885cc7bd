import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decide, resolve } from './resolve.ts';
import type {
  Entry,
  IntegrationPermissions,
  IntegrationScope,
  Level,
  PolicyIntegration,
  PolicyMember,
  Role,
} from './types.ts';

const NOW = 1_000;

function integration(
  permissions: Partial<IntegrationPermissions> = {},
  scope: IntegrationScope = { type: 'WORKSPACE' },
): PolicyIntegration {
  return {
    id: 'gh',
    workspaceId: 'w',
    name: 'GitHub',
    scope,
    permissions: {
      admins: { level: 'MANAGE' },
      others: { level: 'USE' },
      users: [],
      groups: [],
      ...permissions,
    },
    allowedPipelines: 'ALL',
  };
}

function member(role: Role, projectRoles?: Record<string, Role>): PolicyMember {
  return projectRoles === undefined
    ? { userId: 'ann', workspaceId: 'w', role }
    : { userId: 'ann', workspaceId: 'w', role, projectRoles };
}

const PROJECT: IntegrationScope = { type: 'PROJECT', projectId: 'web' };
const user = (level: Level, expiresAt?: number) => [
  { id: 'ann', level, ...(expiresAt === undefined ? {} : { expiresAt }) },
];
const groups = (...levels: [string, Level, number?][]) =>
  levels.map(([id, level, expiresAt]) => ({ id, level, ...(expiresAt === undefined ? {} : { expiresAt }) }));
const entry = (level: Level, expiresAt?: number): Entry =>
  expiresAt === undefined ? { level } : { level, expiresAt };

interface Row {
  readonly name: string;
  readonly member: PolicyMember | undefined;
  readonly groupIds?: readonly string[];
  readonly integration: PolicyIntegration;
  readonly level: Level;
  /** The hops expected in the reasons, in order (a subsequence). */
  readonly hops: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    name: 'others applies with no entry',
    member: member('collaborator'),
    integration: integration(),
    level: 'USE',
    hops: ['membership', 'role', 'others'],
  },
  {
    name: 'the user entry wins over others',
    member: member('collaborator'),
    integration: integration({ users: user('MANAGE'), others: entry('DENY') }),
    level: 'MANAGE',
    hops: ['user-entry'],
  },
  {
    name: 'the user entry wins over a higher group',
    member: member('collaborator'),
    groupIds: ['ops'],
    integration: integration({ users: user('DELETE_ONLY'), groups: groups(['ops', 'MANAGE']) }),
    level: 'DELETE_ONLY',
    hops: ['user-entry'],
  },
  {
    name: 'a user DENY hides from a collaborator whatever the groups',
    member: member('collaborator'),
    groupIds: ['ops'],
    integration: integration({ users: user('DENY'), groups: groups(['ops', 'MANAGE']) }),
    level: 'DENY',
    hops: ['user-entry'],
  },
  {
    name: 'the highest group entry wins',
    member: member('collaborator'),
    groupIds: ['a', 'b'],
    integration: integration({ groups: groups(['a', 'DENY'], ['b', 'MANAGE']) }),
    level: 'MANAGE',
    hops: ['group-entry'],
  },
  {
    name: 'a group DENY hides when no other group gives more',
    member: member('collaborator'),
    groupIds: ['a'],
    integration: integration({ groups: groups(['a', 'DENY']) }),
    level: 'DENY',
    hops: ['group-entry'],
  },
  {
    name: 'entries of groups the user is not in are ignored',
    member: member('collaborator'),
    groupIds: [],
    integration: integration({ groups: groups(['a', 'MANAGE']) }),
    level: 'USE',
    hops: ['others'],
  },
  {
    name: 'an expired user entry is ignored and leaves a reason',
    member: member('collaborator'),
    integration: integration({ users: user('MANAGE', NOW) }),
    level: 'USE',
    hops: ['expired', 'others'],
  },
  {
    name: 'an entry expiring after now still counts',
    member: member('collaborator'),
    integration: integration({ users: user('MANAGE', NOW + 1) }),
    level: 'MANAGE',
    hops: ['user-entry'],
  },
  {
    name: 'an expired group entry is ignored',
    member: member('collaborator'),
    groupIds: ['a'],
    integration: integration({ groups: groups(['a', 'MANAGE', NOW - 1]) }),
    level: 'USE',
    hops: ['expired', 'others'],
  },
  {
    name: 'an expired others reads as DENY',
    member: member('collaborator'),
    integration: integration({ others: entry('USE', NOW) }),
    level: 'DENY',
    hops: ['expired', 'others'],
  },
  {
    name: 'a workspace admin is raised to the admins level',
    member: member('admin'),
    integration: integration({ others: entry('DENY') }),
    level: 'MANAGE',
    hops: ['others', 'admin-floor'],
  },
  {
    name: 'the admin floor overrides a user DENY',
    member: member('admin'),
    integration: integration({ users: user('DENY'), admins: entry('DELETE_ONLY') }),
    level: 'DELETE_ONLY',
    hops: ['user-entry', 'admin-floor'],
  },
  {
    name: 'the admin floor never lowers',
    member: member('admin'),
    integration: integration({ users: user('MANAGE'), admins: entry('DELETE_ONLY') }),
    level: 'MANAGE',
    hops: ['user-entry'],
  },
  {
    name: 'an expired admins entry falls back to DELETE_ONLY',
    member: member('admin'),
    integration: integration({ others: entry('DENY'), admins: entry('MANAGE', NOW) }),
    level: 'DELETE_ONLY',
    hops: ['expired', 'admin-floor'],
  },
  {
    name: 'a member is capped at USE',
    member: member('member'),
    integration: integration({ users: user('MANAGE') }),
    level: 'USE',
    hops: ['user-entry', 'role-cap'],
  },
  {
    name: 'a member keeps DELETE_ONLY',
    member: member('member'),
    integration: integration({ others: entry('DELETE_ONLY') }),
    level: 'DELETE_ONLY',
    hops: ['others'],
  },
  {
    name: 'a collaborator is not capped',
    member: member('collaborator'),
    integration: integration({ others: entry('MANAGE') }),
    level: 'MANAGE',
    hops: ['others'],
  },
  {
    name: 'a non-member of the workspace is denied',
    member: undefined,
    integration: integration({ others: entry('MANAGE') }),
    level: 'DENY',
    hops: ['membership'],
  },
  {
    name: 'a member of another workspace is denied',
    member: { userId: 'ann', workspaceId: 'other', role: 'admin' },
    integration: integration(),
    level: 'DENY',
    hops: ['membership'],
  },
  {
    name: 'a PROJECT integration is hidden outside its project',
    member: member('collaborator', { api: 'admin' }),
    integration: integration({ users: user('MANAGE') }, PROJECT),
    level: 'DENY',
    hops: ['role', 'scope'],
  },
  {
    name: 'a project member gets others',
    member: member('collaborator', { web: 'collaborator' }),
    integration: integration({}, PROJECT),
    level: 'USE',
    hops: ['role', 'scope', 'others'],
  },
  {
    name: 'the project role decides the cap',
    member: member('collaborator', { web: 'member' }),
    integration: integration({ users: user('MANAGE') }, PROJECT),
    level: 'USE',
    hops: ['role', 'scope', 'user-entry', 'role-cap'],
  },
  {
    name: 'a project admin gets the admin floor',
    member: member('member', { web: 'admin' }),
    integration: integration({ others: entry('DENY') }, PROJECT),
    level: 'MANAGE',
    hops: ['scope', 'others', 'admin-floor'],
  },
  {
    name: 'a workspace admin sees a PROJECT integration of any project',
    member: member('admin'),
    integration: integration({ admins: entry('DELETE_ONLY') }, PROJECT),
    level: 'DELETE_ONLY',
    hops: ['scope', 'others', 'admin-floor'],
  },
  {
    name: 'a workspace admin keeps the floor and no cap with a member project role',
    member: member('admin', { web: 'member' }),
    integration: integration({}, PROJECT),
    level: 'MANAGE',
    hops: ['others', 'admin-floor'],
  },
  {
    name: 'others does not reach a workspace admin outside the project',
    member: member('admin'),
    integration: integration({ admins: entry('DELETE_ONLY'), others: entry('MANAGE') }, PROJECT),
    level: 'DELETE_ONLY',
    hops: ['others', 'admin-floor'],
  },
  {
    name: 'a user entry does reach a workspace admin outside the project',
    member: member('admin'),
    integration: integration({ admins: entry('DELETE_ONLY'), users: user('USE') }, PROJECT),
    level: 'USE',
    hops: ['user-entry'],
  },
];

describe('resolution', () => {
  for (const row of ROWS) {
    test(row.name, () => {
      const decision = resolve(row.member, row.groupIds ?? [], row.integration, NOW);
      assert.equal(decision.level, row.level);
      assert.equal(decision.allowed, row.level !== 'DENY');
      const hops = decision.reasons.map((reason) => reason.hop);
      let at = 0;
      for (const hop of row.hops) {
        at = hops.indexOf(hop as (typeof hops)[number], at);
        assert.ok(at >= 0, `expected hop ${hop} in order within ${hops.join(' → ')}`);
        at++;
      }
    });
  }

  test('a PROJECT integration asked from another project is out of scope', () => {
    const decision = resolve(member('admin'), [], integration({}, PROJECT), NOW, { projectId: 'api' });
    assert.equal(decision.level, 'DENY');
    assert.deepEqual(decision.reasons.at(-1), {
      hop: 'scope',
      scope: PROJECT,
      admitted: false,
      projectId: 'api',
    });
  });

  test('decide adds the action hop: DELETE_ONLY deletes, USE does not', () => {
    const deleteOnly = integration({ others: entry('DELETE_ONLY') });
    const deleting = decide(member('collaborator'), [], deleteOnly, 'integration.delete', NOW);
    assert.equal(deleting.allowed, true);
    assert.deepEqual(deleting.reasons.at(-1), {
      hop: 'action',
      action: 'integration.delete',
      required: 'DELETE_ONLY',
      level: 'DELETE_ONLY',
      allowed: true,
    });
    assert.equal(decide(member('collaborator'), [], integration(), 'integration.delete', NOW).allowed, false);
    assert.equal(decide(member('collaborator'), [], deleteOnly, 'integration.use', NOW).allowed, false);
    assert.equal(
      decide(member('member'), [], integration({ users: user('MANAGE') }), 'integration.edit', NOW).allowed,
      false,
    );
  });
});
