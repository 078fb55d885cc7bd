/**
 * The store contract: one suite, run against SQLite and PostgreSQL. PostgreSQL is skipped with a
 * printed reason when unreachable, and fails instead when KEYHOUSE_REQUIRE_POSTGRES=1.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { PolicyChange } from '../core/policy/changes.ts';
import { IDS_PER_QUERY } from './context.ts';
import { StorageError } from './errors.ts';
import { READ_BY_IDS_UP_TO } from './integrations.ts';
import { MIGRATIONS } from './migrate.ts';
import { LOCK_FILE_NAME } from './sqlite/sqlite-lock.ts';
import { openStore, type Store } from './store.ts';
import {
  permissionSet,
  type Seeded,
  seedWorkspace,
  withoutAuditGuard,
} from './test-support/contract-fixtures.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

const run = promisify(execFile);
const childScript = new URL('./test-support/open-store-child.ts', import.meta.url).pathname;

for (const target of await allTargets()) {
  describe(`store contract (${target.kind})`, { skip: target.skipReason ?? false }, () => {
    let location: TestLocation;
    let store: Store;
    let a: Seeded;
    let b: Seeded;
    const opened: { store: Store; location: TestLocation }[] = [];

    /** A store in a fresh location, closed and removed after the suite. */
    async function freshStore(options: { migrate?: boolean } = {}): Promise<Store> {
      const loc = await target.fresh();
      const s = await openStore({ ...loc.config, ...options });
      opened.push({ store: s, location: loc });
      return s;
    }

    before(async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      location = await target.fresh();
      store = await openStore(location.config);
      a = await seedWorkspace(store, 'a');
      b = await seedWorkspace(store, 'b');
    });

    after(async () => {
      await store?.close();
      await location?.cleanup();
      for (const o of opened) {
        await o.store.close();
        await o.location.cleanup();
      }
    });

    test('migrations are idempotent', async () => {
      assert.deepEqual(await store.migrate(), []);
      await store.close();
      store = await openStore(location.config);
      assert.deepEqual(await store.migrate(), []);
      const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
      assert.deepEqual(
        rows.rows.map((r) => r.name),
        Object.keys(MIGRATIONS),
      );
    });

    test('two migrators at once apply each migration exactly once', async () => {
      const first = await freshStore({ migrate: false });
      // On PostgreSQL a second process (pool) races the first; SQLite admits one process per directory.
      const second =
        target.kind === 'postgres'
          ? await openStore({ ...opened.at(-1)!.location.config, migrate: false })
          : first;
      try {
        const results = await Promise.all([first.migrate(), second.migrate(), first.migrate()]);
        assert.deepEqual(results.flat().sort(), Object.keys(MIGRATIONS));
        assert.ok((await first.getWorkspace('none')) === undefined);
      } finally {
        if (second !== first) await second.close();
      }
    });

    test('workspaces: create, get, list, rename, delete destroys keys', async () => {
      const w = await store.createWorkspace({ name: 'temp' });
      assert.deepEqual(await store.getWorkspace(w.id), w);
      assert.ok((await store.listWorkspaces()).some((x) => x.id === w.id));
      assert.equal((await store.renameWorkspace(w.id, 'renamed'))?.name, 'renamed');
      const key = await store.createWorkspaceKey({
        workspaceId: w.id,
        keyId: `k-${w.id}`,
        wrappedKey: new Uint8Array([1, 2, 3]),
        masterKeyId: 'm1',
      });
      assert.deepEqual((await store.getActiveWorkspaceKey(w.id))?.wrappedKey, new Uint8Array([1, 2, 3]));
      assert.equal(await store.deleteWorkspace(w.id), true);
      assert.equal(await store.getWorkspace(w.id), undefined);
      const destroyed = await store.getWorkspaceKey(key.keyId);
      assert.ok(destroyed?.destroyedAt !== null && destroyed?.wrappedKey.length === 0);
      assert.equal(await store.getActiveWorkspaceKey(w.id), undefined);
      assert.equal(await store.deleteWorkspace(w.id), false);
    });

    test('projects and pipelines: CRUD, lookup by repository', async () => {
      const ws = a.workspace.id;
      const p = await store.createProject({
        workspaceId: ws,
        name: 'web',
        repository: { host: 'gitlab.com', fullName: 'g/web' },
      });
      assert.deepEqual(await store.findProjectByRepository(ws, { host: 'gitlab.com', fullName: 'g/web' }), p);
      assert.equal((await store.updateProject(ws, p.id, { repository: null }))?.repository, null);
      const pl = await store.createPipeline({ workspaceId: ws, projectId: p.id, name: 'deploy' });
      assert.deepEqual(await store.listPipelines(ws, { projectId: p.id }), [pl]);
      assert.equal((await store.renamePipeline(ws, pl.id, 'ship'))?.name, 'ship');
      assert.equal(await store.deletePipeline(ws, pl.id), true);
      assert.equal(await store.deleteProject(ws, p.id), true);
      assert.equal(await store.getProject(ws, p.id), undefined);
    });

    test('users, memberships and project roles', async () => {
      const ws = a.workspace.id;
      const u = await store.createUser({ login: `u-${Date.now()}`, email: 'u@example.test' });
      assert.deepEqual(await store.getUserByLogin(u.login), u);
      await assert.rejects(
        store.createUser({ login: u.login }),
        (e: unknown) => (e as StorageError).code === 'duplicate',
      );
      assert.equal((await store.updateUser(u.id, { displayName: 'U' }))?.displayName, 'U');
      await store.setMembership({
        workspaceId: ws,
        userId: u.id,
        role: 'member',
        roleSource: { kind: 'manual' },
      });
      const m = await store.setMembership({
        workspaceId: ws,
        userId: u.id,
        role: 'collaborator',
        roleSource: { kind: 'manual' },
      });
      assert.deepEqual(await store.getMembership(ws, u.id), m);
      await store.setProjectRole({
        workspaceId: ws,
        projectId: a.project.id,
        userId: u.id,
        role: 'admin',
        roleSource: { kind: 'manual' },
      });
      assert.equal((await store.listProjectRoles(ws, { userId: u.id }))[0]?.role, 'admin');
      assert.ok((await store.listUsers(ws)).some((x) => x.id === u.id));
      assert.equal(await store.removeMembership(ws, u.id), true);
      assert.deepEqual(await store.listProjectRoles(ws, { userId: u.id }), []);
      assert.equal(await store.deleteUser(u.id), true);
    });

    test("membersAmong, groupsAmong, pipelinesAmong: which ids are the workspace's, over several lists", async () => {
      // More ids than one list holds (IDS_PER_QUERY), with duplicates and another workspace's ids.
      const strangers = Array.from({ length: IDS_PER_QUERY * 2 + 100 }, () => randomUUID());
      const mixed = (own: readonly string[], other: readonly string[]) => [
        ...own,
        ...other,
        ...strangers,
        ...own,
      ];
      assert.deepEqual(
        await store.membersAmong(a.workspace.id, mixed([a.member.id, a.admin.id], [b.member.id, b.admin.id])),
        new Set([a.member.id, a.admin.id]),
      );
      assert.deepEqual(
        await store.groupsAmong(a.workspace.id, mixed([a.group.id], [b.group.id])),
        new Set([a.group.id]),
      );
      assert.deepEqual(
        await store.pipelinesAmong(a.workspace.id, mixed([a.pipeline.id], [b.pipeline.id])),
        new Map([[a.pipeline.id, a.project.id]]),
      );
      assert.deepEqual(await store.membersAmong(a.workspace.id, []), new Set());
      assert.deepEqual(await store.groupsAmong(a.workspace.id, []), new Set());
      assert.deepEqual(await store.pipelinesAmong(a.workspace.id, []), new Map());
    });

    test("listIntegrations by ids: only the workspace's, by name then id in code-unit order, in lists or beyond them", async () => {
      const s = await freshStore();
      const w = await seedWorkspace(s, 'ids');
      const other = await seedWorkspace(s, 'ids-other');
      // More than one list of ids (IDS_PER_QUERY), mixed-case names (collations differ there),
      // several providers, entries and allowed lists on each.
      const names = ['b', 'B', 'a', 'A', '_', 'z'];
      const created = await s.transaction(async (tx) => {
        const out: string[] = [];
        for (let k = 0; k < IDS_PER_QUERY + 40; k++) {
          const i = await tx.createIntegration({
            workspaceId: w.workspace.id,
            scope: { type: 'WORKSPACE' },
            provider: k % 3 === 0 ? 'gitlab' : 'github',
            credentialType: 'classic-pat',
            name: `${names[k % names.length]}-${k % 7}`,
            config: {},
            ...permissionSet(
              {
                users: [{ id: w.member.id, level: k % 2 === 0 ? 'USE' : 'DENY' }],
                groups: [{ id: w.group.id, level: 'MANAGE' }],
              },
              k % 4 === 0 ? 'ALL' : [{ id: w.pipeline.id }],
            ),
          });
          out.push(i.id);
        }
        return out;
      });
      const wanted = created.filter((_, k) => k % 2 === 1);
      const everything = await s.listIntegrations(w.workspace.id);
      const expected = everything.filter((i) => wanted.includes(i.id));
      const sorted = [...expected].sort((x, y) =>
        x.name < y.name ? -1 : x.name > y.name ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0,
      );
      assert.deepEqual(
        expected.map((i) => i.id),
        sorted.map((i) => i.id),
        'the whole workspace comes by name then id, in code-unit order',
      );
      assert.ok(expected[0]!.name.startsWith('A') && expected.at(-1)!.name.startsWith('z'));
      // Every wanted id twice, so the duplicates fall in different lists.
      const ask = [...wanted, other.integration.id, randomUUID(), ...wanted];
      assert.deepEqual(await s.listIntegrations(w.workspace.id, { ids: ask }), expected);
      const beyond = [...ask, ...Array.from({ length: READ_BY_IDS_UP_TO }, () => randomUUID())];
      assert.deepEqual(await s.listIntegrations(w.workspace.id, { ids: beyond }), expected);
      assert.deepEqual(
        await s.listIntegrations(w.workspace.id, { ids: ask, provider: 'gitlab' }),
        expected.filter((i) => i.provider === 'gitlab'),
      );
      assert.deepEqual(await s.listIntegrations(w.workspace.id, { ids: [] }), []);
    });

    test("listVerificationCandidates: every workspace's integrations, with what a schedule reads and nothing more", async () => {
      const s = await freshStore();
      const one = await seedWorkspace(s, 'cand-1');
      const two = await seedWorkspace(s, 'cand-2');
      await s.setIntegrationVerification(one.workspace.id, one.integration.id, {
        checkedAt: 42,
        status: 'ok',
      });
      const candidates = await s.listVerificationCandidates();
      const expected = [
        ...(await s.listIntegrations(one.workspace.id)),
        ...(await s.listIntegrations(two.workspace.id)),
      ]
        .map((i) => ({
          id: i.id,
          workspaceId: i.workspaceId,
          provider: i.provider,
          config: i.config,
          verification: i.verification,
          createdAt: i.createdAt,
        }))
        .sort((x, y) => (x.id < y.id ? -1 : 1));
      assert.deepEqual(
        [...candidates].sort((x, y) => (x.id < y.id ? -1 : 1)),
        expected,
      );
      assert.deepEqual(candidates.find((c) => c.id === one.integration.id)?.verification, {
        checkedAt: 42,
        status: 'ok',
      });
      assert.ok(candidates.every((c) => !('permissions' in c) && !('allowedPipelines' in c)));
    });

    test("listGroupMemberships and listGroupsOfMember: only the workspace's, a member's groups by name", async () => {
      assert.deepEqual(await store.listGroupMemberships(a.workspace.id), [
        { groupId: a.group.id, userId: a.member.id },
      ]);
      assert.deepEqual(await store.listGroupsOfMember(a.workspace.id, a.member.id), [a.group.id]);
      assert.deepEqual(await store.listGroupsOfMember(a.workspace.id, b.member.id), []);
      assert.deepEqual(await store.listGroupsOfMember(b.workspace.id, a.member.id), []);
      const s = await freshStore();
      const w = await seedWorkspace(s, 'pairs');
      const later = await s.createGroup({ workspaceId: w.workspace.id, name: 'aaa' });
      await s.addGroupMember(w.workspace.id, later.id, w.member.id);
      await s.addGroupMember(w.workspace.id, later.id, w.admin.id);
      assert.deepEqual(await s.listGroupsOfMember(w.workspace.id, w.member.id), [later.id, w.group.id]);
      const pairs = await s.listGroupMemberships(w.workspace.id);
      assert.deepEqual(
        [...pairs].sort((x, y) => (`${x.groupId} ${x.userId}` < `${y.groupId} ${y.userId}` ? -1 : 1)),
        [
          { groupId: later.id, userId: w.admin.id },
          { groupId: later.id, userId: w.member.id },
          { groupId: w.group.id, userId: w.member.id },
        ].sort((x, y) => (`${x.groupId} ${x.userId}` < `${y.groupId} ${y.userId}` ? -1 : 1)),
      );
    });

    test('groups and members; deleting a group removes its integration entries', async () => {
      const ws = a.workspace.id;
      const g = await store.createGroup({
        workspaceId: ws,
        name: 'ops',
        source: { kind: 'scm', host: 'github.com', team: 'ops', syncedAt: 1 },
      });
      await store.setGroupMembers(ws, g.id, [a.admin.id, a.member.id, a.admin.id]);
      assert.deepEqual(await store.listGroupMembers(ws, g.id), [a.admin.id, a.member.id].sort());
      assert.equal(await store.removeGroupMember(ws, g.id, a.admin.id), true);
      assert.equal((await store.renameGroup(ws, g.id, 'ops2'))?.name, 'ops2');
      const i = await store.createIntegration({
        workspaceId: ws,
        scope: { type: 'WORKSPACE' },
        provider: 'gitlab',
        credentialType: 'pat',
        name: 'GL',
        config: {},
        ...permissionSet({ groups: [{ id: g.id, level: 'USE' }] }),
      });
      assert.equal(await store.deleteGroup(ws, g.id), true);
      assert.deepEqual((await store.getIntegration(ws, i.id))?.permissions.groups, []);
    });

    test('integrations: create, get, list, update, verification, secrets, delete', async () => {
      const ws = a.workspace.id;
      const secret = {
        field: 'token',
        keyId: 'k1',
        iv: new Uint8Array(12).fill(7),
        tag: new Uint8Array(16).fill(9),
        ciphertext: new Uint8Array([1, 2, 3]),
        version: 1,
      };
      const i = await store.createIntegration({
        workspaceId: ws,
        scope: { type: 'PROJECT', projectId: a.project.id },
        provider: 'docker',
        credentialType: 'registry-token',
        name: 'Registry',
        config: { registry: 'registry.example.test' },
        createdBy: a.admin.id,
        secrets: [secret],
        ...permissionSet({ users: [{ id: a.member.id, level: 'DENY', expiresAt: 99 }] }, [
          { id: a.pipeline.id },
        ]),
      });
      assert.equal(i.version, 1);
      assert.deepEqual(i.scope, { type: 'PROJECT', projectId: a.project.id });
      assert.deepEqual(i.allowedPipelines, [{ id: a.pipeline.id }]);
      assert.deepEqual(i.permissions.users, [{ id: a.member.id, level: 'DENY', expiresAt: 99 }]);
      assert.deepEqual(await store.getIntegration(ws, i.id), i);
      assert.deepEqual(
        (await store.listIntegrations(ws, { projectId: a.project.id })).map((x) => x.id),
        [i.id],
      );
      assert.deepEqual(await store.getIntegrationSecrets(ws, i.id), [secret]);
      const updated = await store.updateIntegration(ws, i.id, 1, { name: 'Registry 2' });
      assert.equal(updated.status, 'updated');
      assert.deepEqual(await store.updateIntegration(ws, i.id, 1, { name: 'x' }), {
        status: 'conflict',
        currentVersion: 2,
      });
      assert.equal(await store.setIntegrationVerification(ws, i.id, { status: 'verified' }), true);
      assert.deepEqual((await store.getIntegration(ws, i.id))?.verification, { status: 'verified' });
      const replaced = await store.replaceIntegrationSecrets(ws, i.id, 2, [
        { ...secret, ciphertext: new Uint8Array([4]) },
      ]);
      assert.deepEqual(replaced, { status: 'updated', version: 3 });
      const allowed = await store.allowPipeline(ws, i.id, a.pipeline.id, 500);
      assert.deepEqual(allowed?.allowedPipelines, [{ id: a.pipeline.id, expiresAt: 500 }]);
      assert.equal(await store.deleteIntegration(ws, i.id, 1), 'conflict');
      assert.equal(await store.deleteIntegration(ws, i.id), 'deleted');
      assert.deepEqual(await store.getIntegrationSecrets(ws, i.id), []);
      assert.equal(await store.deleteIntegration(ws, i.id), 'not_found');
    });

    test('keys: rewrap is conditional on the old master key; key checks', async () => {
      const k = await store.createWorkspaceKey({
        workspaceId: a.workspace.id,
        keyId: `k-${Date.now()}`,
        wrappedKey: new Uint8Array([5]),
        masterKeyId: 'm-old',
      });
      assert.equal(await store.rewrapWorkspaceKey(k.keyId, 'm-old', new Uint8Array([6]), 'm-new'), true);
      assert.equal(await store.rewrapWorkspaceKey(k.keyId, 'm-old', new Uint8Array([7]), 'm-other'), false);
      assert.deepEqual((await store.getWorkspaceKey(k.keyId))?.wrappedKey, new Uint8Array([6]));
      assert.ok((await store.listWorkspaceKeys({ masterKeyId: 'm-new' })).some((x) => x.keyId === k.keyId));
      await store.putMasterKeyCheck('m-new', 'check-value');
      assert.equal(await store.getMasterKeyCheck('m-new'), 'check-value');
      await assert.rejects(store.putMasterKeyCheck('m-new', 'other'), StorageError);
    });

    test('API tokens and web sessions keep hashes only', async () => {
      const ws = a.workspace.id;
      const t = await store.createApiToken({
        workspaceId: ws,
        userId: a.admin.id,
        prefix: `kh_${Date.now()}`,
        hash: 'a'.repeat(64),
        name: 'ci',
        expiresAt: 10,
      });
      assert.deepEqual(await store.findApiTokenByPrefix(t.prefix), t);
      await store.touchApiToken(t.id);
      assert.ok((await store.findApiTokenByPrefix(t.prefix))?.lastUsedAt !== null);
      assert.equal(await store.revokeApiToken(b.workspace.id, t.id), false);
      assert.equal(await store.revokeApiToken(ws, t.id), true);
      assert.equal(await store.revokeApiToken(ws, t.id), false);
      assert.equal((await store.listApiTokens(ws, { userId: a.admin.id })).length, 1);
      const s = await store.createWebSession({ userId: a.admin.id, hash: `h-${Date.now()}`, expiresAt: 1 });
      assert.deepEqual(await store.findWebSessionByHash(s.hash), s);
      assert.equal(await store.revokeWebSession(s.id), true);
      assert.equal(await store.deleteExpiredWebSessions(), 1);
    });

    test('tenant isolation: another workspace sees nothing and cannot reference across', async () => {
      const [A, B] = [a.workspace.id, b.workspace.id];
      assert.equal(await store.getIntegration(B, a.integration.id), undefined);
      assert.equal(await store.getProject(B, a.project.id), undefined);
      assert.equal(await store.getPipeline(B, a.pipeline.id), undefined);
      assert.equal(await store.getGroup(B, a.group.id), undefined);
      assert.ok(!(await store.listIntegrations(B)).some((i) => i.id === a.integration.id));
      assert.deepEqual(await store.updateIntegrationPermissions(B, a.integration.id, 1, permissionSet()), {
        status: 'not_found',
      });
      assert.equal(await store.deleteIntegration(B, a.integration.id), 'not_found');
      assert.deepEqual(await store.listGroupMembers(B, a.group.id), []);
      const refused = (e: unknown) => e instanceof StorageError && e.code === 'reference_missing';
      await assert.rejects(
        store.createPipeline({ workspaceId: B, projectId: a.project.id, name: 'x' }),
        refused,
      );
      await assert.rejects(store.addGroupMember(B, a.group.id, b.member.id), refused);
      await assert.rejects(
        store.createIntegration({
          workspaceId: B,
          scope: { type: 'PROJECT', projectId: a.project.id },
          provider: 'p',
          credentialType: 'c',
          name: 'n',
          config: {},
          ...permissionSet(),
        }),
        refused,
      );
      const current = (await store.getIntegration(B, b.integration.id))!;
      await assert.rejects(
        store.updateIntegrationPermissions(
          B,
          current.id,
          current.version,
          permissionSet({}, [{ id: a.pipeline.id }]),
        ),
        refused,
      );
      assert.equal((await store.getIntegration(B, b.integration.id))?.version, current.version);
      assert.ok((await store.getIntegration(A, a.integration.id)) !== undefined);
    });

    test('20 concurrent permission updates with the same version: exactly one wins', async () => {
      const { workspace, integration } = await seedWorkspace(store, 'race');
      const v = (await store.getIntegration(workspace.id, integration.id))!.version;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          store.transaction(async (tx) => {
            const set = permissionSet({
              others: { level: n % 2 === 0 ? 'DENY' : 'USE' },
              users: [{ id: `user-${n}`, level: 'USE' }],
            });
            const r = await tx.updateIntegrationPermissions(workspace.id, integration.id, v, set);
            if (r.status === 'updated') {
              await tx.appendAudit({
                workspaceId: workspace.id,
                actor: 'race',
                action: 'integration.permissions.update',
                targetType: 'integration',
                targetId: integration.id,
                after: { n },
              });
              await tx.recordChange('integration-permissions', {
                workspaceId: workspace.id,
                integrationId: integration.id,
              });
            }
            return { n, r };
          }),
        ),
      );
      const winners = results.filter((x) => x.r.status === 'updated');
      assert.equal(winners.length, 1);
      assert.ok(
        results.every(
          (x) => x.r.status === 'updated' || (x.r.status === 'conflict' && x.r.currentVersion === v + 1),
        ),
      );
      const final = (await store.getIntegration(workspace.id, integration.id))!;
      assert.equal(final.version, v + 1);
      assert.deepEqual(final.permissions.users, [{ id: `user-${winners[0]!.n}`, level: 'USE' }]);
      assert.equal((await store.listAudit({ workspaceId: workspace.id })).length, 1);
    });

    test('concurrent audit appends to one workspace form one valid chain', async () => {
      const w = await store.createWorkspace({ name: 'audit-race' });
      await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          store.transaction((tx) =>
            tx.appendAudit({ workspaceId: w.id, actor: 'x', action: 'a', targetType: 't', after: { n } }),
          ),
        ),
      );
      const events = await store.listAudit({ workspaceId: w.id, order: 'asc' });
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 20 }, (_, n) => n + 1),
      );
      assert.deepEqual(await store.verifyAuditChain(w.id), {
        ok: true,
        count: 20,
        headHash: events[19]!.hash,
      });
    });

    test('audit log is append-only in the database', async () => {
      const w = await store.createWorkspace({ name: 'append-only' });
      await store.appendAudit({ workspaceId: w.id, actor: 'x', action: 'a', targetType: 't' });
      await assert.rejects(
        sql`update audit_events set actor = 'y' where workspace_id = ${w.id}`.execute(store.db),
        /append-only/,
      );
      await assert.rejects(
        sql`delete from audit_events where workspace_id = ${w.id}`.execute(store.db),
        /append-only/,
      );
    });

    test('audit verify detects an edited, an inserted and a deleted event', async () => {
      const s = await freshStore();
      const chain = async (name: string) => {
        const w = await s.createWorkspace({ name });
        for (let n = 0; n < 5; n++) {
          await s.appendAudit({
            workspaceId: w.id,
            actor: 'u',
            action: 'integration.update',
            targetType: 'integration',
            targetId: 'i',
            before: { n },
            after: { n: n + 1 },
          });
        }
        assert.equal((await s.verifyAuditChain(w.id)).ok, true);
        return w.id;
      };
      const [edited, inserted, appended, deleted, truncated] = [
        await chain('e'),
        await chain('i'),
        await chain('t'),
        await chain('d'),
        await chain('x'),
      ];
      await withoutAuditGuard(s, async () => {
        await sql`update audit_events set after = ${'{"n":99}'} where workspace_id = ${edited} and seq = 3`.execute(
          s.db,
        );
        await sql`update audit_events set seq = seq + 100 where workspace_id = ${inserted} and seq >= 3`.execute(
          s.db,
        );
        await sql`update audit_events set seq = seq - 99 where workspace_id = ${inserted} and seq >= 100`.execute(
          s.db,
        );
        await sql`insert into audit_events (workspace_id, seq, at, actor, action, target_type, target_id, before, after, request_id, prev_hash, hash)
          select workspace_id, 3, at, 'mallory', action, target_type, target_id, before, after, request_id, hash, hash
          from audit_events where workspace_id = ${inserted} and seq = 2`.execute(s.db);
        await sql`insert into audit_events (workspace_id, seq, at, actor, action, target_type, target_id, before, after, request_id, prev_hash, hash)
          select workspace_id, 6, at, actor, action, target_type, target_id, before, after, request_id, hash, hash
          from audit_events where workspace_id = ${appended} and seq = 5`.execute(s.db);
        await sql`delete from audit_events where workspace_id = ${deleted} and seq = 2`.execute(s.db);
        await sql`delete from audit_events where workspace_id = ${truncated} and seq = 5`.execute(s.db);
      });
      assert.deepEqual(await s.verifyAuditChain(edited), {
        ok: false,
        firstBadSeq: 3,
        reason: 'hash-mismatch',
      });
      assert.deepEqual(await s.verifyAuditChain(inserted), {
        ok: false,
        firstBadSeq: 3,
        reason: 'hash-mismatch',
      });
      assert.deepEqual(await s.verifyAuditChain(appended), {
        ok: false,
        firstBadSeq: 6,
        reason: 'hash-mismatch',
      });
      assert.deepEqual(await s.verifyAuditChain(deleted), { ok: false, firstBadSeq: 2, reason: 'missing' });
      assert.deepEqual(await s.verifyAuditChain(truncated), {
        ok: false,
        firstBadSeq: 5,
        reason: 'head-mismatch',
      });
    });

    test('listAudit filters by actor, action, target, time and cursor', async () => {
      const w = await store.createWorkspace({ name: 'audit-list' });
      for (let n = 0; n < 6; n++) {
        await store.appendAudit({
          workspaceId: w.id,
          actor: n % 2 ? 'odd' : 'even',
          action: `act.${n % 3}`,
          targetType: 'integration',
          targetId: `i${n}`,
          at: 1000 + n,
          requestId: `r${n}`,
        });
      }
      assert.deepEqual(
        (await store.listAudit({ workspaceId: w.id, actor: 'odd' })).map((e) => e.seq),
        [6, 4, 2],
      );
      assert.deepEqual(
        (await store.listAudit({ workspaceId: w.id, action: 'act.0', order: 'asc' })).map((e) => e.seq),
        [1, 4],
      );
      assert.deepEqual(
        (await store.listAudit({ workspaceId: w.id, targetId: 'i2' })).map((e) => e.requestId),
        ['r2'],
      );
      assert.deepEqual(
        (await store.listAudit({ workspaceId: w.id, since: 1002, until: 1004 })).map((e) => e.seq),
        [4, 3],
      );
      assert.deepEqual(
        (await store.listAudit({ workspaceId: w.id, beforeSeq: 3, limit: 1 })).map((e) => e.seq),
        [2],
      );
      assert.deepEqual(await store.listAudit({ workspaceId: a.workspace.id, actor: 'odd' }), []);
    });

    test('change log: revisions increase, changesSince catches up, concurrent writers never collide', async () => {
      const start = await store.currentRevision();
      const revisions = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          store.transaction((tx) =>
            tx.recordChange('integration', { workspaceId: a.workspace.id, integrationId: `i${n}` }),
          ),
        ),
      );
      assert.equal(new Set(revisions).size, 20);
      const changes = await store.changesSince(start);
      assert.deepEqual(
        changes.map((c) => c.revision),
        [...revisions].sort((x, y) => x - y),
      );
      assert.ok(changes.every((c) => c.workspaceId === a.workspace.id && c.kind === 'integration'));
      assert.equal(await store.currentRevision(), Math.max(...revisions));
      assert.deepEqual(await store.changesSince(Math.max(...revisions)), []);
    });

    test('change log: the policy change a write applied comes back as written; none comes back null', async () => {
      const start = await store.currentRevision();
      const change: PolicyChange = {
        type: 'batch',
        changes: [
          { type: 'entry.set-user', integrationId: 'i', userId: 'u', entry: { level: 'USE', expiresAt: 5 } },
          { type: 'pipelines.allow', integrationId: 'i', pipeline: { id: 'build' } },
          {
            type: 'member.upsert',
            member: { userId: 'u', workspaceId: 'w', role: 'member', projectRoles: { web: 'admin' } },
          },
        ],
      };
      const ids = { workspaceId: a.workspace.id };
      await store.transaction((tx) => tx.recordChange('integration-permissions', ids, change));
      await store.transaction((tx) => tx.recordChange('project.delete', ids));
      const [first, second, ...rest] = await store.changesSince(start);
      assert.deepEqual(rest, []);
      assert.deepEqual(first?.policyChange, change);
      assert.equal(second?.policyChange, null);
    });

    test('a failed transaction leaves nothing behind', async () => {
      const w = await store.createWorkspace({ name: 'rollback' });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.appendAudit({ workspaceId: w.id, actor: 'x', action: 'a', targetType: 't' });
          await tx.createUser({ login: a.admin.login });
        }),
        (e: unknown) => e instanceof StorageError && e.code === 'duplicate',
      );
      assert.deepEqual(await store.listAudit({ workspaceId: w.id }), []);
      assert.deepEqual(await store.verifyAuditChain(w.id), { ok: true, count: 0, headHash: '0'.repeat(64) });
    });

    test('policy snapshot holds members, roles, groups, pipelines and integrations at a revision', async () => {
      const s = await freshStore();
      const seeded = await seedWorkspace(s, 'snap');
      const ws = seeded.workspace.id;
      await s.setProjectRole({
        workspaceId: ws,
        projectId: seeded.project.id,
        userId: seeded.member.id,
        role: 'collaborator',
        roleSource: { kind: 'manual' },
      });
      const scoped = await s.createIntegration({
        workspaceId: ws,
        scope: { type: 'PROJECT', projectId: seeded.project.id },
        provider: 's3',
        credentialType: 'access-key',
        name: 'Bucket',
        config: {},
        ...permissionSet(
          {
            admins: { level: 'DELETE_ONLY' },
            groups: [{ id: seeded.group.id, level: 'MANAGE', expiresAt: 5 }],
          },
          [{ id: seeded.pipeline.id, expiresAt: 7 }],
        ),
      });
      const revision = await s.recordChange('integration', { workspaceId: ws, integrationId: scoped.id });
      await seedWorkspace(s, 'other');
      const snap = await s.loadPolicySnapshot({ workspaceId: ws });
      assert.equal(snap.revision, revision);
      assert.deepEqual(snap.workspaceIds, [ws]);
      const byUser = new Map(snap.members.map((m) => [m.userId, m]));
      // Each member with its user's number (migration 0007), one number per user.
      const seqOf = (id: string) => byUser.get(id)?.userSeq;
      const seqs = snap.members.map((m) => m.userSeq);
      assert.ok(seqs.every((seq) => Number.isInteger(seq) && seq! > 0));
      assert.equal(new Set(seqs).size, seqs.length);
      assert.deepEqual(byUser.get(seeded.admin.id), {
        userId: seeded.admin.id,
        userSeq: seqOf(seeded.admin.id),
        workspaceId: ws,
        role: 'admin',
        roleSource: { kind: 'manual' },
      });
      // A record without prototype (see `PolicySnapshot.members`), compared by its entries.
      assert.deepEqual(
        { ...byUser.get(seeded.member.id)?.projectRoles },
        { [seeded.project.id]: 'collaborator' },
      );
      assert.deepEqual(byUser.get(seeded.member.id)?.roleSource, {
        kind: 'scm',
        host: 'github.com',
        scmRole: 'member',
        syncedAt: 1_700_000_000_000,
      });
      assert.deepEqual(snap.groups, [
        {
          id: seeded.group.id,
          workspaceId: ws,
          name: 'devs',
          memberIds: [seeded.member.id],
          memberSeqs: [seqOf(seeded.member.id)],
        },
      ]);
      assert.deepEqual(snap.pipelines, [
        { id: seeded.pipeline.id, workspaceId: ws, projectId: seeded.project.id, name: 'build' },
      ]);
      assert.deepEqual(snap.projects, [{ id: seeded.project.id, workspaceId: ws, name: 'api' }]);
      const bucket = snap.integrations.find((i) => i.id === scoped.id);
      assert.deepEqual(bucket, {
        id: scoped.id,
        workspaceId: ws,
        name: 'Bucket',
        scope: { type: 'PROJECT', projectId: seeded.project.id },
        permissions: {
          admins: { level: 'DELETE_ONLY' },
          others: { level: 'USE' },
          users: [],
          groups: [{ id: seeded.group.id, level: 'MANAGE', expiresAt: 5 }],
        },
        allowedPipelines: [{ id: seeded.pipeline.id, expiresAt: 7 }],
      });
      assert.equal(snap.integrations.find((i) => i.id === seeded.integration.id)?.createdBy, seeded.admin.id);
      const all = await s.loadPolicySnapshot();
      assert.equal(all.workspaceIds.length, 2);
      assert.equal(all.integrations.length, 3);
    });

    test('an idle pooled connection killed by the server does not crash the process', {
      skip: target.kind === 'postgres' ? false : 'PostgreSQL only',
    }, async () => {
      const loc = await target.fresh();
      if (loc.config.kind !== 'postgres') throw new Error('not PostgreSQL');
      const database = new URL(loc.config.url).pathname.slice(1);
      const errors: Error[] = [];
      const s = await openStore({ ...loc.config, onIdleError: (e: Error) => errors.push(e) });
      try {
        await s.listWorkspaces();
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = ${database} and state = 'idle'`.execute(store.db);
        await new Promise((r) => setTimeout(r, 200));
        assert.ok(errors.length > 0, 'the idle client error reached the listener');
        assert.ok(Array.isArray(await s.listWorkspaces()), 'the store still serves');
      } finally {
        await s.close();
        await loc.cleanup();
      }
    });

    describe('data-directory lock', { skip: target.kind === 'sqlite' ? false : 'SQLite only' }, () => {
      test('a second open in this process is refused, naming the directory and the holder', async () => {
        const dataDir = dataDirOf(location);
        await assert.rejects(openStore({ kind: 'sqlite', dataDir }), (e: unknown) => {
          assert.ok(e instanceof StorageError && e.code === 'data_dir_locked');
          assert.match(e.message, new RegExp(`${escapeRegExp(dataDir)}.*process ${process.pid}`));
          return true;
        });
      });

      test('another process is refused and changes nothing in the directory', async () => {
        const dataDir = dataDirOf(location);
        const before = fingerprint(dataDir);
        const { stdout } = await run(process.execPath, [childScript, dataDir], { timeout: 10_000 });
        const result = JSON.parse(stdout.trim()) as { ok: boolean; code?: string; message?: string };
        assert.equal(result.ok, false);
        assert.equal(result.code, 'data_dir_locked');
        assert.match(result.message ?? '', new RegExp(`${escapeRegExp(dataDir)}.*process ${process.pid}`));
        assert.deepEqual(fingerprint(dataDir), before);
      });

      test('a lock left by a dead process is taken over, and released on close', async () => {
        const loc = await target.fresh();
        const dataDir = dataDirOf(loc);
        const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
        writeFileSync(join(dataDir, LOCK_FILE_NAME), `${dead}\n`);
        const s = await openStore(loc.config);
        try {
          const { stdout } = await run(process.execPath, [childScript, dataDir], { timeout: 10_000 });
          assert.equal(JSON.parse(stdout.trim()).code, 'data_dir_locked');
        } finally {
          await s.close();
        }
        assert.ok(!readdirSync(dataDir).includes(LOCK_FILE_NAME));
        const { stdout } = await run(process.execPath, [childScript, dataDir], { timeout: 10_000 });
        assert.deepEqual(JSON.parse(stdout.trim()), { ok: true });
        await loc.cleanup();
      });
    });

    function dataDirOf(loc: TestLocation): string {
      if (loc.config.kind !== 'sqlite') throw new Error('not SQLite');
      return loc.config.dataDir;
    }
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((f) => {
      const st = statSync(join(dir, f));
      return [f, `${st.size}:${st.mtimeMs}`];
    }),
  );
}
