/**
 * How an index catches up with changes other processes committed, on SQLite and PostgreSQL: two
 * `IndexSync`s over one store stand for two processes. Policy changes in the log are replayed
 * into the same index; a change without one, of an unknown type, or an index too far behind, is
 * rebuilt; a catch-up under way never hides a change committed before a later call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PolicyChange } from '../core/policy/changes.ts';
import { openStore, type Store } from '../storage/store.ts';
import { type Seeded, seedWorkspace } from '../storage/test-support/contract-fixtures.ts';
import { allTargets, type TestLocation } from '../storage/test-support/test-targets.ts';
import { IndexSync, REPLAY_LIMIT } from './index-sync.ts';

const NOW = 1_800_000_000_000;

for (const target of await allTargets()) {
  describe(`index catch-up (${target.kind})`, { skip: target.skipReason ?? false }, () => {
    let location: TestLocation;
    let store: Store;
    let seeded: Seeded;

    before(async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      location = await target.fresh();
      store = await openStore(location.config);
      seeded = await seedWorkspace(store, 'sync');
    });

    after(async () => {
      await store?.close();
      await location?.cleanup();
    });

    /** Commits one change-log row (what another process's write records), returning its revision. */
    const commit = (change?: unknown, kind = 'test'): Promise<number> =>
      store.transaction((tx) =>
        tx.recordChange(kind, { workspaceId: seeded.workspace.id }, change as PolicyChange | undefined),
      );

    const entry = (level: 'DENY' | 'USE' | 'MANAGE'): PolicyChange => ({
      type: 'entry.set-user',
      integrationId: seeded.integration.id,
      userId: seeded.member.id,
      entry: { level },
    });

    const loaded = () => IndexSync.load(store, { shared: true });

    test('the load reports what it read and how long it took', async () => {
      const sync = await loaded();
      const { snapshotMs, buildMs, ...counts } = sync.loaded;
      // The seeded workspace: an admin and a member, one integration with one user entry.
      assert.deepEqual(counts, {
        revision: sync.revision,
        workspaces: 1,
        members: 2,
        integrations: 1,
        entries: 1,
      });
      assert.ok(snapshotMs >= 0 && buildMs >= 0 && Number.isInteger(snapshotMs) && Number.isInteger(buildMs));
    });

    test('changes another process committed are replayed into the same index, in order', async () => {
      const sync = await loaded();
      const index = sync.index;
      assert.equal(index.level(seeded.member.id, seeded.integration.id, NOW), 'USE', 'others: USE');
      await commit(entry('MANAGE'));
      await commit({
        type: 'member.upsert',
        member: { userId: seeded.member.id, workspaceId: seeded.workspace.id, role: 'collaborator' },
      });
      const last = await commit(entry('DENY'));
      assert.equal(await sync.fresh(), index, 'the same index object');
      assert.equal(sync.revision, last);
      assert.deepEqual(sync.counts, { replayed: 3, rebuilt: 0 });
      assert.equal(index.level(seeded.member.id, seeded.integration.id, NOW), 'DENY', 'the last entry wins');
      await commit(entry('MANAGE'));
      await sync.fresh();
      assert.equal(index.level(seeded.member.id, seeded.integration.id, NOW), 'MANAGE', 'a collaborator now');
      assert.deepEqual(sync.counts, { replayed: 4, rebuilt: 0 });
    });

    test("this process's write after another's: caught up by replay, its own change included", async () => {
      const writer = await loaded();
      const index = writer.index;
      await commit(entry('DENY'));
      const mine = entry('USE');
      const revision = await commit(mine);
      await writer.applied(revision, mine);
      assert.equal(writer.revision, revision);
      assert.equal(writer.index, index);
      assert.deepEqual(writer.counts, { replayed: 2, rebuilt: 0 });
      assert.equal(index.level(seeded.member.id, seeded.integration.id, NOW), 'USE');
    });

    test('a change without a policy change, or of a type this version does not know: rebuilt', async () => {
      for (const change of [
        undefined,
        { type: 'entry.from-a-newer-version', integrationId: 'x' },
        { type: 'batch', changes: [entry('DENY'), { type: 'nope' }] },
      ]) {
        const sync = await loaded();
        const index = sync.index;
        const level = index.level(seeded.member.id, seeded.integration.id, NOW);
        await commit(entry(level === 'DENY' ? 'USE' : 'DENY'));
        const revision = await commit(change);
        await sync.fresh();
        assert.notEqual(sync.index, index, `${JSON.stringify(change)}: a new index`);
        assert.equal(sync.revision, revision);
        assert.equal(sync.counts.rebuilt, 1);
        // The rebuilt index reads the database, where no entry was ever stored (the log rows
        // above stand for writes whose data this test does not store): others' USE.
        assert.equal(sync.index.level(seeded.member.id, seeded.integration.id, NOW), 'USE');
      }
    });

    test(`an index more than ${REPLAY_LIMIT} changes behind is rebuilt`, async () => {
      const sync = await loaded();
      const index = sync.index;
      const last = await store.transaction(async (tx) => {
        let revision = 0;
        for (let n = 0; n < REPLAY_LIMIT; n++)
          revision = await tx.recordChange('test', { workspaceId: seeded.workspace.id }, entry('DENY'));
        return revision;
      });
      await sync.fresh();
      assert.notEqual(sync.index, index);
      assert.deepEqual(sync.counts, { replayed: 0, rebuilt: 1 });
      assert.equal(sync.revision, last);
      // One fewer is replayed.
      const next = await loaded();
      await store.transaction(async (tx) => {
        for (let n = 0; n < REPLAY_LIMIT - 1; n++)
          await tx.recordChange('test', { workspaceId: seeded.workspace.id }, entry('MANAGE'));
      });
      await next.fresh();
      assert.deepEqual(next.counts, { replayed: REPLAY_LIMIT - 1, rebuilt: 0 });
    });

    test('a catch-up under way does not hide a change committed before a later call', async () => {
      // The first catch-up reads the log, then waits (as a slow query would) while another
      // change commits; a call made after that commit must see it.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reads = 0;
      let revisionsRead = 0;
      const slow = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'currentRevision')
            return async () => {
              const revision = await target.currentRevision();
              revisionsRead++;
              return revision;
            };
          if (key !== 'changesSince') return Reflect.get(target, key, receiver);
          return async (revision: number, limit?: number) => {
            const changes = await target.changesSince(revision, limit);
            if (reads++ === 0) await gate;
            return changes;
          };
        },
      });
      const sync = await IndexSync.load(slow, { shared: true });
      await commit(entry('DENY'));
      const first = sync.fresh();
      while (reads === 0) await new Promise((resolve) => setImmediate(resolve));
      const later = await commit(entry('USE'));
      const second = sync.fresh();
      // Released once the second call has read the later revision and joined the catch-up.
      while (revisionsRead < 2) await new Promise((resolve) => setImmediate(resolve));
      release();
      await first;
      const index = await second;
      assert.ok(sync.revision >= later, `reflects ${sync.revision}, asked after ${later}`);
      assert.equal(index.level(seeded.member.id, seeded.integration.id, NOW), 'USE', 'the later entry');
      assert.deepEqual(sync.counts, { replayed: 2, rebuilt: 0 });
    });

    test('a log that does not lead to the revision asked for (rows missing): rebuilt, never stale', async () => {
      const empty = new Proxy(store, {
        get(target, key, receiver) {
          return key === 'changesSince' ? async () => [] : Reflect.get(target, key, receiver);
        },
      });
      const sync = await IndexSync.load(empty, { shared: true });
      const revision = await commit(entry('DENY'));
      await sync.fresh();
      assert.equal(sync.revision, revision);
      assert.deepEqual(sync.counts, { replayed: 0, rebuilt: 1 });
    });
  });
}
