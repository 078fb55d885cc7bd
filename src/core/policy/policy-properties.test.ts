import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  dataArb,
  GROUPS,
  INTEGRATIONS,
  NOW,
  PIPELINES,
  PROPERTY_RUNS,
  USERS,
  WORKSPACES,
} from './arbitraries.test-support.ts';
import { levelRank } from './levels.ts';
import { checkRun } from './pipelines.ts';
import { PolicyIndex } from './policy-index.ts';
import { referenceRun } from './reference-evaluator.test-support.ts';
import { resolve } from './resolve.ts';
import type { PolicyData, PolicyIntegration, PolicyMember } from './types.ts';
import { LEVELS } from './types.ts';

const runs = { numRuns: PROPERTY_RUNS };
const groupsOf = (data: PolicyData, member: PolicyMember): string[] =>
  data.groups
    .filter((g) => g.workspaceId === member.workspaceId && g.userIds.includes(member.userId))
    .map((g) => g.id);

function levels(index: PolicyIndex): string[] {
  return USERS.flatMap((u) => INTEGRATIONS.map((i) => `${u}/${i}:${index.level(u, i, NOW)}`));
}

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let state = seed | 1;
  for (let k = out.length - 1; k > 0; k--) {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    const j = (state >>> 8) % (k + 1);
    [out[k], out[j]] = [out[j]!, out[k]!];
  }
  return out;
}

describe('policy properties', () => {
  test('a user-entry DENY hides the integration from a non-admin whatever the groups say', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.constantFrom(...USERS),
        fc.constantFrom('member' as const, 'collaborator' as const),
        (data, userId, role) => {
          for (const integration of data.integrations) {
            const member: PolicyMember = {
              userId,
              workspaceId: integration.workspaceId,
              role,
              projectRoles: { p1: role, p2: role },
            };
            const users = [
              ...integration.permissions.users.filter((e) => e.id !== userId),
              { id: userId, level: 'DENY' as const },
            ];
            const denied = { ...integration, permissions: { ...integration.permissions, users } };
            const groupIds = [...GROUPS];
            assert.equal(resolve(member, groupIds, denied, NOW).level, 'DENY');
            const index = PolicyIndex.build({ ...data, members: [member], integrations: [denied] });
            for (const g of GROUPS)
              index.apply({ type: 'group.add-member', workspaceId: member.workspaceId, groupId: g, userId });
            assert.equal(index.level(userId, integration.id, NOW), 'DENY');
            assert.ok(!index.listVisible(userId, member.workspaceId, NOW).includes(integration.id));
          }
        },
      ),
      runs,
    );
  });

  test('no path yields more than MANAGE, and a workspace member never exceeds USE', () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const index = PolicyIndex.build(data);
        for (const member of data.members) {
          for (const integration of data.integrations.filter((i) => i.workspaceId === member.workspaceId)) {
            const level = index.level(member.userId, integration.id, NOW);
            assert.ok(LEVELS.includes(level) && levelRank(level) <= levelRank('MANAGE'));
            const scope = integration.scope;
            const role =
              scope.type === 'PROJECT' && member.role !== 'admin'
                ? member.projectRoles?.[scope.projectId]
                : member.role;
            if (role === 'member')
              assert.ok(levelRank(level) <= levelRank('USE'), `${member.userId} ${integration.id} ${level}`);
          }
        }
      }),
      runs,
    );
  });

  test('a workspace admin sees every integration of the workspace, WORKSPACE and PROJECT', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.constantFrom(...USERS),
        fc.constantFrom(...WORKSPACES),
        (data, userId, workspaceId) => {
          const admin: PolicyMember = { userId, workspaceId, role: 'admin' };
          const members = [
            ...data.members.filter((m) => !(m.userId === userId && m.workspaceId === workspaceId)),
            admin,
          ];
          const index = PolicyIndex.build({ ...data, members });
          const all = data.integrations
            .filter((i) => i.workspaceId === workspaceId)
            .map((i) => i.id)
            .sort();
          assert.deepEqual(index.listVisible(userId, workspaceId, NOW).sort(), all);
          for (const id of all) assert.ok(index.allows(userId, id, 'integration.view', NOW));
        },
      ),
      runs,
    );
  });

  test('removing a user from a group removes exactly the access that group gave', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.constantFrom(...USERS),
        fc.constantFrom(...GROUPS),
        fc.constantFrom(...WORKSPACES),
        (data, userId, groupId, workspaceId) => {
          const before = PolicyIndex.build(data);
          const after = PolicyIndex.build(data);
          after.apply({ type: 'group.remove-member', workspaceId, groupId, userId });
          const withoutGroupEntries = (i: PolicyIntegration): PolicyIntegration =>
            i.workspaceId !== workspaceId
              ? i
              : {
                  ...i,
                  permissions: {
                    ...i.permissions,
                    groups: i.permissions.groups.filter((g) => g.id !== groupId),
                  },
                };
          const expected = PolicyIndex.build({
            ...data,
            integrations: data.integrations.map(withoutGroupEntries),
          });
          for (const integrationId of INTEGRATIONS) {
            assert.equal(after.level(userId, integrationId, NOW), expected.level(userId, integrationId, NOW));
            for (const other of USERS.filter((u) => u !== userId)) {
              assert.equal(after.level(other, integrationId, NOW), before.level(other, integrationId, NOW));
            }
          }
        },
      ),
      runs,
    );
  });

  test('the order of entries, memberships, members and integrations does not matter', () => {
    fc.assert(
      fc.property(dataArb, fc.integer(), (data, seed) => {
        const shuffled: PolicyData = {
          members: shuffle(data.members, seed),
          groups: shuffle(data.groups, seed + 1).map((g) => ({
            ...g,
            userIds: shuffle(g.userIds, seed + 2),
          })),
          integrations: shuffle(data.integrations, seed + 3).map((i) => ({
            ...i,
            permissions: {
              ...i.permissions,
              users: shuffle(i.permissions.users, seed + 4),
              groups: shuffle(i.permissions.groups, seed + 5),
            },
          })),
          pipelines: shuffle(data.pipelines, seed + 6),
        };
        const a = PolicyIndex.build(data);
        const b = PolicyIndex.build(shuffled);
        assert.deepEqual(levels(b), levels(a));
        for (const u of USERS)
          for (const w of WORKSPACES)
            assert.deepEqual(b.listVisible(u, w, NOW).sort(), a.listVisible(u, w, NOW).sort());
        for (const q of PIPELINES)
          assert.deepEqual(
            b.checkRun(q, INTEGRATIONS, NOW, 'u1').missing,
            a.checkRun(q, INTEGRATIONS, NOW, 'u1').missing,
          );
      }),
      runs,
    );
  });

  test("tenant isolation: another workspace's data changes nothing", () => {
    fc.assert(
      fc.property(dataArb, dataArb, (mine, theirs) => {
        const only = (d: PolicyData, w: string, prefix: string): PolicyData => ({
          members: d.members.filter((m) => m.workspaceId === w),
          groups: d.groups.filter((g) => g.workspaceId === w),
          integrations: d.integrations
            .filter((i) => i.workspaceId === w)
            .map((i) => ({ ...i, id: prefix + i.id })),
          pipelines: d.pipelines.filter((p) => p.workspaceId === w).map((p) => ({ ...p, id: prefix + p.id })),
        });
        const alone = only(mine, 'w1', '');
        const other = only(theirs, 'w2', 'x-');
        const a = PolicyIndex.build(alone);
        const b = PolicyIndex.build({
          members: [...alone.members, ...other.members],
          groups: [...alone.groups, ...other.groups],
          integrations: [...alone.integrations, ...other.integrations],
          pipelines: [...alone.pipelines, ...other.pipelines],
        });
        assert.deepEqual(levels(b), levels(a));
        for (const u of USERS)
          assert.deepEqual(b.listVisible(u, 'w1', NOW).sort(), a.listVisible(u, 'w1', NOW).sort());
        for (const q of PIPELINES)
          assert.deepEqual(b.checkRun(q, INTEGRATIONS, NOW, 'u2'), a.checkRun(q, INTEGRATIONS, NOW, 'u2'));
      }),
      runs,
    );
  });

  test('the pure checkRun agrees with the reference, grant-and-retry included', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.constantFrom(...PIPELINES),
        fc.constantFrom(...USERS),
        (data, pipelineId, userId) => {
          const pipeline = data.pipelines.find((p) => p.id === pipelineId);
          if (pipeline === undefined) return;
          const integrations = data.integrations;
          const member = data.members.find(
            (m) => m.userId === userId && m.workspaceId === pipeline.workspaceId,
          );
          const asUser = member === undefined ? undefined : { member, groupIds: groupsOf(data, member) };
          const { reasons: _reasons, ...run } = checkRun(pipeline, integrations, NOW, asUser);
          const ids = integrations.map((i) => i.id);
          const expected = referenceRun(
            data,
            pipelineId,
            ids,
            NOW,
            asUser === undefined ? undefined : userId,
          );
          assert.deepEqual(run, expected);
        },
      ),
      runs,
    );
  });
});
