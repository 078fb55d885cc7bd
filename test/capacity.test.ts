/**
 * A write the policy index cannot hold is refused before it commits: 507 `capacity_exceeded`,
 * nothing stored, nothing audited, the index unchanged; writes that name only ids the index
 * holds go on. The limits here are tiny (an option of the service for tests), the rule the same
 * as at the layout's limits (ADR 0003).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IndexSync } from '../src/services/index-sync.ts';
import { startHttpFixture } from './support/http-fixture.ts';

describe('an index at its limits', () => {
  test('refuses the write that would exceed them before committing it, and takes the rest', async () => {
    // The bootstrap admin is the first user: room for one more, one group, one project.
    const limits = { users: 2, groups: 1, projects: 1 };
    const f = await startHttpFixture({ seed: false, indexLimits: limits });
    try {
      const members = '/api/v1/workspaces/default/members';
      const first = await f.call('admin', 'POST', members, { login: 'first', role: 'member' });
      assert.equal(first.statusCode, 201, first.body);
      const before = (await f.call('admin', 'GET', members)).json() as { items: unknown[] };

      const refused = await f.call('admin', 'POST', members, { login: 'second', role: 'member' });
      assert.equal(refused.statusCode, 507, refused.body);
      assert.equal((refused.json() as { error: { code: string } }).error.code, 'capacity_exceeded');
      // Nothing was stored or audited, and the index holds what it held.
      assert.deepEqual((await f.call('admin', 'GET', members)).json(), before);
      const audit = await f.call('admin', 'GET', '/api/v1/workspaces/default/audit?action=member.add');
      const added = (audit.json() as { items: { targetId: string }[] }).items.map((e) => e.targetId);
      assert.deepEqual(added, [(first.json() as { userId: string }).userId]);
      const now = f.runtime.keyhouse.context.sync.index.capacity().held;
      assert.deepEqual({ users: now.users, groups: now.groups }, { users: 2, groups: 0 });

      // Groups enter the index with their first member or entry: one fits, a second does not.
      const groups = '/api/v1/workspaces/default/groups';
      for (const id of ['devs', 'ops'])
        assert.equal((await f.call('admin', 'POST', groups, { id, name: id })).statusCode, 201);
      const userId = (first.json() as { userId: string }).userId;
      assert.equal((await f.call('admin', 'PUT', `${groups}/devs/members/${userId}`)).statusCode, 200);
      const full = await f.call('admin', 'PUT', `${groups}/ops/members/${userId}`);
      assert.equal(full.statusCode, 507, full.body);
      assert.deepEqual((await f.call('admin', 'GET', `${groups}/ops`)).json(), {
        id: 'ops',
        workspaceId: 'default',
        name: 'ops',
        members: [],
      });

      // Writes that name only ids the index holds go on.
      const role = await f.call('admin', 'PUT', `${members}/${userId}`, { role: 'collaborator' });
      assert.equal(role.statusCode, 200, role.body);

      // What was committed loads again within the same limits (a restart, or another process's
      // rebuild): the stored groups without members do not count until they have one.
      const reloaded = await IndexSync.load(f.runtime.store, { shared: false, limits });
      const { held } = reloaded.index.capacity();
      assert.deepEqual({ users: held.users, groups: held.groups }, { users: 2, groups: 1 });
    } finally {
      await f.close();
    }
  });
});
