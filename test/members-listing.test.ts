/**
 * Listing a workspace's members and groups reads the whole workspace in a few queries and
 * assembles the views; a single member's or group's view reads its own. Both must show the same:
 * role and its source, project roles, groups by name (not by id), and each group's members. On
 * SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixtureLocation, type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const WS = '/api/v1/workspaces/default';

interface MemberView {
  readonly userId: string;
  readonly role: string;
  readonly projectRoles: Record<string, string>;
  readonly groups: readonly string[];
}

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`listing members and groups (${store})`, async () => {
    const where = await fixtureLocation(store);
    if ('skip' in where) {
      test('skipped', { skip: where.skip }, () => undefined);
      return;
    }
    await where.cleanup();
    let f: HttpFixture;

    before(async () => {
      f = await startHttpFixture({ store });
      const must = async (method: string, url: string, body?: unknown) => {
        const res = await f.call('admin', method, url, body);
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      };
      // Ids sort the other way round from names: a list by id would put them in the wrong order.
      await must('POST', `${WS}/groups`, { id: 'g-1', name: 'zeta' });
      await must('POST', `${WS}/groups`, { id: 'g-2', name: 'alpha' });
      await must('POST', `${WS}/groups`, { id: 'g-3', name: 'empty' });
      for (const group of ['g-1', 'g-2'])
        for (const user of [f.users.member, f.users.collaborator])
          await must('PUT', `${WS}/groups/${group}/members/${user}`);
      await must('POST', `${WS}/projects`, { id: 'api', name: 'API' });
      await must('PUT', `${WS}/projects/api/members/${f.users.member}`, { role: 'collaborator' });
      await must('PUT', `${WS}/projects/web/members/${f.users.member}`, { role: 'member' });
      await must('PUT', `${WS}/projects/web/members/${f.users.collaborator}`, { role: 'admin' });
    });
    after(() => f?.close());

    test("each member's view in the list is the one a change to that member answers with", async () => {
      const res = await f.call('admin', 'GET', `${WS}/members`);
      assert.equal(res.statusCode, 200, res.body);
      const listed = (res.json() as { items: MemberView[] }).items;
      assert.deepEqual(
        listed.map((m) => m.userId).sort(),
        [f.users.admin, f.users.collaborator, f.users.member].sort(),
      );
      for (const view of listed) {
        // Setting the role a member already has answers with that member's own view.
        const single = await f.call('admin', 'PUT', `${WS}/members/${view.userId}`, { role: view.role });
        assert.equal(single.statusCode, 200, single.body);
        assert.deepEqual(view, single.json(), `member ${view.userId}`);
      }
      const member = listed.find((m) => m.userId === f.users.member)!;
      // By name (the seeded group's capital letter sorts by the database's collation: left out).
      assert.deepEqual(
        member.groups.filter((g) => g !== f.ids.group),
        ['g-2', 'g-1'],
        'alpha before zeta',
      );
      assert.ok(member.groups.includes(f.ids.group));
      assert.deepEqual(member.projectRoles, { api: 'collaborator', web: 'member' });
      const collaborator = listed.find((m) => m.userId === f.users.collaborator)!;
      assert.deepEqual(collaborator.groups, ['g-2', 'g-1']);
      assert.deepEqual(collaborator.projectRoles, { web: 'admin' });
      assert.deepEqual(listed.find((m) => m.userId === f.users.admin)!.groups, []);
    });

    test("each group in the list is the group's own view, with its members", async () => {
      const res = await f.call('admin', 'GET', `${WS}/groups`);
      assert.equal(res.statusCode, 200, res.body);
      const listed = (res.json() as { items: { id: string; members: string[] }[] }).items;
      assert.deepEqual(
        listed.map((g) => g.id).filter((g) => g !== f.ids.group),
        ['g-2', 'g-3', 'g-1'],
        'alpha, empty, zeta: by name',
      );
      for (const group of listed) {
        const single = await f.call('admin', 'GET', `${WS}/groups/${group.id}`);
        assert.deepEqual(group, single.json(), `group ${group.id}`);
      }
      assert.deepEqual(listed.find((g) => g.id === 'g-3')!.members, []);
      assert.deepEqual(
        listed.find((g) => g.id === 'g-1')!.members,
        [f.users.member, f.users.collaborator].sort(),
      );
    });
  });
}
