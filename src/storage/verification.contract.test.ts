/**
 * Contract of the verification repository, on SQLite and PostgreSQL: history in order and per
 * tenant, cascade on delete, and leases held by one owner at a time even under a race.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from './store.ts';
import { type Seeded, seedWorkspace } from './test-support/contract-fixtures.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

for (const target of await allTargets()) {
  describe(`verification store contract (${target.kind})`, { skip: target.skipReason ?? false }, () => {
    let location: TestLocation;
    let store: Store;
    let a: Seeded;
    let b: Seeded;
    let clock = 1_700_000_000_000;

    before(async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      location = await target.fresh();
      store = await openStore({ ...location.config, now: () => clock });
      a = await seedWorkspace(store, 'a');
      b = await seedWorkspace(store, 'b');
    });

    after(async () => {
      await store?.close();
      await location?.cleanup();
    });

    const entry = (s: Seeded, status: string, at: number) => ({
      workspaceId: s.workspace.id,
      integrationId: s.integration.id,
      at,
      status,
      findings: [{ code: 'scope_missing', severity: 'error', message: 'm' }],
      checks: [{ id: 'token-valid', title: 'Token valid', outcome: 'pass' }],
      identity: { account: 'octocat' },
      requests: 3,
      actor: 'scheduler',
    });

    test('migration 0002 is applied', async () => {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        store.db,
      );
      assert.ok(rows.rows.some((r) => r.name === '0002-verification'));
    });

    test('history is kept newest first, per integration and tenant, with paging', async () => {
      await store.appendVerificationHistory(entry(a, 'invalid', 1000));
      await store.appendVerificationHistory(entry(a, 'verified', 3000));
      await store.appendVerificationHistory(entry(a, 'expiring', 2000));
      await store.appendVerificationHistory(entry(b, 'verified', 1500));
      const list = await store.listVerificationHistory(a.workspace.id, a.integration.id);
      assert.deepEqual(
        list.map((r) => r.status),
        ['verified', 'expiring', 'invalid'],
      );
      assert.deepEqual(list[0]?.identity, { account: 'octocat' });
      assert.equal(list[0]?.requests, 3);
      assert.equal(list[0]?.at, 3000);
      assert.deepEqual(list[0]?.findings, entry(a, 'x', 0).findings);
      const page = await store.listVerificationHistory(a.workspace.id, a.integration.id, {
        limit: 1,
        before: 3000,
      });
      assert.deepEqual(
        page.map((r) => r.status),
        ['expiring'],
      );
      assert.deepEqual(await store.listVerificationHistory(b.workspace.id, a.integration.id), []);
    });

    test('history of another tenant cannot be written', async () => {
      await assert.rejects(
        store.appendVerificationHistory({ ...entry(a, 'verified', 1), workspaceId: b.workspace.id }),
      );
    });

    test('a lease is held by one owner until it expires or is released', async () => {
      const id = a.integration.id;
      assert.equal(await store.acquireVerificationLease(id, 'p1', 60_000), true);
      assert.equal(await store.acquireVerificationLease(id, 'p2', 60_000), false);
      assert.equal(await store.acquireVerificationLease(id, 'p1', 60_000), true, 'the owner renews');
      assert.equal((await store.getVerificationLease(id))?.owner, 'p1');
      clock += 60_001;
      assert.equal(await store.acquireVerificationLease(id, 'p2', 60_000), true, 'an expired lease is taken');
      assert.equal(await store.releaseVerificationLease(id, 'p1'), false);
      assert.equal(await store.releaseVerificationLease(id, 'p2'), true);
      assert.equal(await store.getVerificationLease(id), undefined);
    });

    test('of many concurrent owners exactly one gets the lease', async () => {
      const id = b.integration.id;
      const others =
        target.kind === 'postgres'
          ? await Promise.all([1, 2, 3].map(() => openStore({ ...location.config, now: () => clock })))
          : [];
      try {
        const stores = [store, ...others];
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            stores[i % stores.length]!.acquireVerificationLease(id, `owner-${i}`, 60_000),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
      } finally {
        for (const s of others) await s.close();
      }
    });

    test('deleting the integration deletes its history and lease', async () => {
      const c = await seedWorkspace(store, 'c');
      await store.appendVerificationHistory(entry(c, 'verified', 1));
      await store.acquireVerificationLease(c.integration.id, 'p1', 60_000);
      assert.equal(await store.deleteIntegration(c.workspace.id, c.integration.id), 'deleted');
      assert.deepEqual(await store.listVerificationHistory(c.workspace.id, c.integration.id), []);
      assert.equal(await store.getVerificationLease(c.integration.id), undefined);
    });
  });
}
