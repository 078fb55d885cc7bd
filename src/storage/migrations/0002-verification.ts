/**
 * Verification: the history of every verification of an integration, and the leases that let
 * one process at a time verify an integration when several share a PostgreSQL database.
 * Portable like 0001: text, integer and bigint columns, JSON as text.
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/** Migration 0002: `verification_history` and `verification_leases`. */
export const migration0002Verification: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('verification_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('integration_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull())
      .addColumn('identity', 'text')
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addForeignKeyConstraint(
        'verification_history_integration_fk',
        ['workspace_id', 'integration_id'],
        'integrations',
        ['workspace_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('verification_history_integration_at')
      .on('verification_history')
      .columns(['workspace_id', 'integration_id', 'at'])
      .execute();
    await db.schema
      .createTable('verification_leases')
      .addColumn('integration_id', 'text', (c) =>
        c.primaryKey().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('until', 'bigint', (c) => c.notNull())
      .execute();
  },
};
