/**
 * Every user gets a sequence number (`users.seq`), written beside the user's id in every
 * integration entry and group membership that names the user (`user_seq`). The policy snapshot
 * then reads the number instead of the id string for those rows (1.1 million of them at 1M
 * entries) and hands each the member's own id string, and the engine's bulk load finds the user
 * by the number instead of decoding the id (`src/core/policy/index-user-seqs.ts`).
 *
 * A number is never reused: entries outlive their user (no foreign key names the user), so a
 * reused number would hand a deleted user's entry to a new user. New numbers come from a counter
 * row (`sequences`) that only grows, on both backends. Rows that name no existing user keep a
 * null number, and the snapshot reads their id.
 */
import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/** Migration 0007: users' sequence numbers, in the users and in the rows that name them. */
export const migration0007UserSeqs: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('sequences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('users').addColumn('seq', 'integer').execute();
    // Existing users in the order they came (UPDATE … FROM: PostgreSQL, SQLite 3.33 and later).
    await sql`UPDATE users SET seq = numbered.n
      FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM users) AS numbered
      WHERE users.id = numbered.id`.execute(db);
    await db.schema.createIndex('users_seq').on('users').column('seq').unique().execute();
    await sql`INSERT INTO sequences (name, value) SELECT 'users', coalesce(max(seq), 0) FROM users`.execute(
      db,
    );
    await db.schema.alterTable('integration_entries').addColumn('user_seq', 'integer').execute();
    await sql`UPDATE integration_entries
      SET user_seq = (SELECT seq FROM users WHERE users.id = integration_entries.subject_id)
      WHERE subject_type = 'user'`.execute(db);
    await db.schema.alterTable('group_members').addColumn('user_seq', 'integer').execute();
    await sql`UPDATE group_members
      SET user_seq = (SELECT seq FROM users WHERE users.id = group_members.user_id)`.execute(db);
  },
};
