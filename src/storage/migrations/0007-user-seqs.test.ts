/**
 * Migration 0007 on a store that already holds users, entries and group memberships: every user
 * gets a number in the order the users came, every row naming a user carries that user's number,
 * and the next user made gets the next one. On SQLite and PostgreSQL (skipped with its reason when
 * unreachable).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { migrationProvider } from '../migrate.ts';
import { openStore, type Store } from '../store.ts';
import { allTargets, type TestLocation } from '../test-support/test-targets.ts';

/** Rows as plain objects (SQLite's come without prototype). */
const plain = <T extends object>(rows: readonly T[]): T[] => rows.map((row) => ({ ...row }));

for (const target of await allTargets()) {
  describe(`migration 0007, users' numbers (${target.kind})`, { skip: target.skipReason ?? false }, () => {
    const opened: { store: Store; location: TestLocation }[] = [];
    after(async () => {
      for (const o of opened) {
        await o.store.close();
        await o.location.cleanup();
      }
    });

    test('numbers the users in the order they came, and every row that names one', async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      const location = await target.fresh();
      const store = await openStore({ ...location.config, migrate: false });
      opened.push({ store, location });
      const migrator = new Migrator({ db: store.db, provider: migrationProvider });
      const { error } = await migrator.migrateTo('0006-tenancy-lookup-indexes');
      assert.equal(error, undefined);

      // Users made at different times (ids not in that order), in two workspaces.
      const users = [
        { id: 'u-c', created_at: 100 },
        { id: 'u-a', created_at: 300 },
        { id: 'u-b', created_at: 200 },
        { id: 'u-d', created_at: 200 },
      ];
      const db = store.db;
      await sql`insert into workspaces (id, name, created_at) values ('w1', 'one', 1), ('w2', 'two', 1)`.execute(
        db,
      );
      for (const u of users)
        await sql`insert into users (id, login, created_at) values (${u.id}, ${u.id}, ${u.created_at})`.execute(
          db,
        );
      for (const [w, u] of [
        ['w1', 'u-a'],
        ['w1', 'u-b'],
        ['w2', 'u-c'],
      ] as const)
        await sql`insert into memberships (workspace_id, user_id, role, role_source, updated_at)
          values (${w}, ${u}, 'member', '{"kind":"manual"}', 1)`.execute(db);
      await sql`insert into groups (id, workspace_id, name, source, created_at)
        values ('g1', 'w1', 'g', '{"kind":"manual"}', 1)`.execute(db);
      await sql`insert into group_members (workspace_id, group_id, user_id) values ('w1', 'g1', 'u-a'), ('w1', 'g1', 'u-b')`.execute(
        db,
      );
      await sql`insert into integrations (id, workspace_id, scope, project_id, provider, credential_type, name, config, created_by, all_pipelines_allowed, created_at, updated_at, version)
        values ('i1', 'w1', 'WORKSPACE', null, 'github', 'classic-pat', 'i', '{}', null, 1, 1, 1, 1)`.execute(
        db,
      );
      await sql`insert into integration_entries (workspace_id, integration_id, subject_type, subject_id, level, expires_at) values
        ('w1', 'i1', 'admins', '', 'MANAGE', null), ('w1', 'i1', 'user', 'u-a', 'USE', null),
        ('w1', 'i1', 'user', 'u-x', 'DENY', null), ('w1', 'i1', 'group', 'g1', 'USE', null)`.execute(db);

      assert.deepEqual(await store.migrate(), ['0007-user-seqs']);
      const seqs = plain(await db.selectFrom('users').select(['id', 'seq']).orderBy('seq').execute());
      // By time, then id: u-c (100), u-b and u-d (200), u-a (300).
      assert.deepEqual(seqs, [
        { id: 'u-c', seq: 1 },
        { id: 'u-b', seq: 2 },
        { id: 'u-d', seq: 3 },
        { id: 'u-a', seq: 4 },
      ]);
      const entries = plain(
        await db
          .selectFrom('integration_entries')
          .select(['subject_type', 'subject_id', 'user_seq'])
          .orderBy('subject_type')
          .orderBy('subject_id')
          .execute(),
      );
      assert.deepEqual(entries, [
        { subject_type: 'admins', subject_id: '', user_seq: null },
        { subject_type: 'group', subject_id: 'g1', user_seq: null },
        { subject_type: 'user', subject_id: 'u-a', user_seq: 4 },
        // An entry naming no existing user keeps no number; the snapshot reads its id.
        { subject_type: 'user', subject_id: 'u-x', user_seq: null },
      ]);
      const members = plain(
        await db.selectFrom('group_members').select(['user_id', 'user_seq']).orderBy('user_id').execute(),
      );
      assert.deepEqual(members, [
        { user_id: 'u-a', user_seq: 4 },
        { user_id: 'u-b', user_seq: 2 },
      ]);
      // The counter stands at the last number, and the next user made takes the one after.
      const made = await store.createUser({ login: 'after' });
      const row = await db
        .selectFrom('users')
        .select('seq')
        .where('id', '=', made.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.seq, 5);
      // The snapshot hands each member its number, and the entries theirs (u-x by its own id).
      const snapshot = await store.loadPolicySnapshot({ workspaceId: 'w1' });
      assert.deepEqual(snapshot.members.map((m) => [m.userId, m.userSeq]).sort(), [
        ['u-a', 4],
        ['u-b', 2],
      ]);
      const users1 = snapshot.integrations[0]!.permissions.users;
      assert.deepEqual(
        users1.map((e) => ({ ...e })).sort((x, y) => (x.id < y.id ? -1 : 1)),
        [
          { id: 'u-a', level: 'USE', userSeq: 4 },
          { id: 'u-x', level: 'DENY' },
        ],
      );
    });
  });
}
