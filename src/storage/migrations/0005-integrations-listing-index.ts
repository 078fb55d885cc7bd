/**
 * Drops the index on integrations (workspace, name). PostgreSQL checks each new entry's, allowed
 * pipeline's, secret's and verification's reference to its integration with `workspace_id = $1
 * AND id = $2`. On a table without statistics, that index and the (workspace, id) key cost the
 * same to the planner, and it took the newer one, the (workspace, name) index, reading every
 * integration of the workspace for each check. The plan stays cached for the connection's life.
 * Storing integrations with ten entries each in one transaction grew from 1.0 to 4.0 s per
 * 1,000, then 5.8 s; without the index it stayed at about 0.5 s. A workspace's listing, by name,
 * now reads the (workspace, id) key and sorts.
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/** Migration 0005: drops `integrations_workspace` (workspace, name). */
export const migration0005IntegrationsListingIndex: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema.dropIndex('integrations_workspace').execute();
  },
};
