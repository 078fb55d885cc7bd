/**
 * The change log carries the policy change a write applied, so other processes replay it on their
 * index instead of rebuilding the whole index from the database. Nullable: a change without one
 * (a workspace or project deletion, a bootstrap, every change written before this migration)
 * still makes them rebuild.
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/** Migration 0003: `changes.policy_change`, the change as JSON (text), or null. */
export const migration0003ChangePayload: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema.alterTable('changes').addColumn('policy_change', 'text').execute();
  },
};
