/**
 * No secondary index leads with the workspace where a foreign key names the workspace and a more
 * selective column. Deleting an integration, a project or a pipeline's project looks up the rows
 * that reference it with `workspace_id = ? AND x = ?`. Without statistics (SQLite before its
 * first refresh, PostgreSQL on a fresh database, whose plan for a foreign key stays cached for
 * the connection's life), both planners took the index that leads with the workspace and read
 * every row of the workspace for each deletion:
 *
 * - entries by (workspace, subject) for an integration's entries: now (subject, workspace), which
 *   still finds the entries naming a user or a group;
 * - pipelines by workspace for a project's pipelines: dropped, the (workspace, id) key serves the
 *   workspace's listing;
 * - project roles by (workspace, user) for a project's roles: now (user, workspace), which still
 *   finds a member's roles.
 *
 * And a user's deletion finds the user's API tokens by an index of their own (it read every
 * token through the (workspace, user) index, as every other table a user is in has one).
 *
 * Reads of one workspace's entries, allowed pipelines or project roles go through the
 * workspace's integrations or projects instead (their keys lead with the integration or
 * project).
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/**
 * Migration 0006: the entries', pipelines' and project roles' secondary indexes no longer lead
 * with the workspace; API tokens get an index by user.
 */
export const migration0006TenancyLookupIndexes: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema.dropIndex('integration_entries_subject').execute();
    await db.schema
      .createIndex('integration_entries_subject')
      .on('integration_entries')
      .columns(['subject_type', 'subject_id', 'workspace_id'])
      .execute();
    await db.schema.dropIndex('pipelines_workspace').execute();
    await db.schema.dropIndex('project_roles_ws_user').execute();
    await db.schema
      .createIndex('project_roles_user')
      .on('project_roles')
      .columns(['user_id', 'workspace_id'])
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id']).execute();
  },
};
